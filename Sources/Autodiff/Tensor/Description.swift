// Printing: NumPy-like, the shape first and the values aligned in columns.

extension Tensor: CustomStringConvertible, CustomDebugStringConvertible {
    /// For example
    ///
    ///     Tensor(shape: [2, 2])
    ///     [[2.0, 1.0],
    ///      [1.0, 3.0]]
    ///
    /// A 0-d tensor prints as `Tensor(2.5)`. Numbers use up to 8 significant digits; large
    /// tensors show the first and last 3 entries of each long axis around "…".
    public var description: String {
        if rank == 0 { return "Tensor(\(formatScalar(scalars[0])))" }
        let summarize = count > 1000
        let texts = scalars.map(formatScalar)
        let width = texts.map(\.count).max() ?? 0
        var out = "Tensor(shape: \(shape))\n"
        formatBlock(into: &out, texts: texts, width: width, axis: 0, offset: 0, indent: 1, summarize: summarize)
        return out
    }

    public var debugDescription: String { description }

    private func formatBlock(into out: inout String, texts: [String], width: Int, axis: Int, offset: Int,
                             indent: Int, summarize: Bool) {
        let n = shape[axis]
        let stride = shape[(axis + 1)...].reduce(1, *)
        let shown: [Int?] = summarize && n > 6 ? Array(0..<3) + [nil] + Array((n - 3)..<n) : Array(0..<n)
        out += "["
        for (k, i) in shown.enumerated() {
            if k > 0 {
                out += axis == rank - 1 ? ", " : ",\n" + String(repeating: "\n", count: Swift.max(0, rank - axis - 2))
                    + String(repeating: " ", count: indent)
            }
            guard let i else { out += "…"; continue }
            if axis == rank - 1 {
                let t = texts[offset + i]
                out += String(repeating: " ", count: width - t.count) + t
            } else {
                formatBlock(into: &out, texts: texts, width: width, axis: axis + 1, offset: offset + i * stride,
                            indent: indent + 1, summarize: summarize)
            }
        }
        out += "]"
    }
}

/// Shortest form that round-trips at 8 significant digits: 2.0, 0.12345679, 1.5e-09.
func formatScalar(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x < 0 ? "-inf" : "inf" }
    if x == x.rounded() && Swift.abs(x) < 1e15 { return String(Int64(x)) + ".0" }
    var buffer = [CChar](repeating: 0, count: 40)
    _ = withVaList([x]) { vsnprintf(&buffer, 40, "%.8g", $0) }
    let end = buffer.firstIndex(of: 0) ?? buffer.count
    var s = String(decoding: buffer[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    if !s.contains(".") && !s.contains("e") { s += ".0" }
    return s
}
