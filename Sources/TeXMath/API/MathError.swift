/// A formula the converter cannot render, with the place in the TeX source it concerns.
///
/// `offset` counts UTF-8 bytes from the start of the TeX source handed to
/// ``MathRenderer/render(_:display:number:)``, so a caller that knows where the formula starts
/// in its Markdown file adds it to that column and prints `FILE.md:LINE:COL: error: message`.
/// For formulas that span lines, ``location(in:)`` turns the offset into a line and column.
public struct MathError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    /// UTF-8 byte offset into the TeX source.
    public var offset: Int

    public init(_ message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    /// The 1-based line and 1-based UTF-8 column of ``offset`` within `tex`.
    public func location(in tex: String) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for (index, byte) in tex.utf8.enumerated() {
            if index >= offset { break }
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }

    public var description: String { "offset \(offset): \(message)" }
}
