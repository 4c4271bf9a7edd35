/// A chapter's body by line: the text diagnostics quote, and where a character offset or a
/// search from a node's position lands in the chapter file. One per chapter, made by the
/// parser and carried by the `Document`, so every later stage places what it reports from the
/// node it is about rather than by searching the whole chapter.
public struct LineMap: Sendable, Equatable {
    /// The body's lines (the chapter file after its front matter), without line breaks.
    public let lines: [String]
    /// Lines of the file before the body (the front matter and its fences).
    public let lineOffset: Int
    /// The character offset in the body at which each line starts.
    private let starts: [Int]

    public init(_ body: String, lineOffset: Int = 0) {
        lines = body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        self.lineOffset = lineOffset
        var starts: [Int] = []
        starts.reserveCapacity(lines.count)
        var offset = 0
        for line in lines {
            starts.append(offset)
            offset += line.count + 1
        }
        self.starts = starts
    }

    /// The chapter-file position of the body's character at `offset`.
    public func position(ofOffset offset: Int) -> SourcePosition {
        guard !starts.isEmpty, offset >= 0 else { return .unknown }
        var low = 0, high = starts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if starts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return SourcePosition(line: low + 1 + lineOffset, column: offset - starts[low] + 1)
    }

    /// The text of chapter-file line `line`, when the body has it.
    public func text(ofLine line: Int) -> String? {
        let n = line - lineOffset
        return n >= 1 && n <= lines.count ? lines[n - 1] : nil
    }

    /// Where `needle` next occurs on `start`'s line at or after its column, or else at the
    /// start of the following lines, up to `lineCount` lines in all; nil if not there.
    public func find(_ needle: String, from start: SourcePosition, lineCount: Int = 1) -> SourcePosition? {
        for k in 0..<max(1, lineCount) {
            let from = k == 0 ? start : SourcePosition(line: start.line + k, column: 1)
            guard text(ofLine: from.line) != nil else { return nil }
            if let found = findOnLine(needle, from: from) { return found }
        }
        return nil
    }

    private func findOnLine(_ needle: String, from start: SourcePosition) -> SourcePosition? {
        guard let text = text(ofLine: start.line), !needle.isEmpty else { return nil }
        let skip = max(0, start.column - 1)
        guard skip <= text.count else { return nil }
        let from = text.index(text.startIndex, offsetBy: skip)
        guard let range = text.range(of: needle, range: from..<text.endIndex) else { return nil }
        return SourcePosition(line: start.line, column: text.distance(from: text.startIndex, to: range.lowerBound) + 1)
    }

    /// The position just after `needle` found at `position` (for the next search in the same node).
    public func after(_ needle: String, at position: SourcePosition) -> SourcePosition {
        SourcePosition(line: position.line, column: position.column + needle.count)
    }

    /// A cursor at `position`, for finding what a node holds one thing after another.
    public func cursor(at position: SourcePosition) -> Cursor { Cursor(lines: self, position: position) }

    /// Successive searches along one line: each finds the next occurrence after the last found.
    public struct Cursor: Sendable {
        public let lines: LineMap
        /// Where the next search starts: just after what was last found.
        public private(set) var position: SourcePosition

        /// Where `needle` next occurs, moving the cursor past it; nil (cursor unmoved) if not there.
        public mutating func next(_ needle: String) -> SourcePosition? {
            guard let found = lines.find(needle, from: position) else { return nil }
            position = lines.after(needle, at: found)
            return found
        }
    }
}
