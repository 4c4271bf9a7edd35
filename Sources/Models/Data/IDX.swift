import Autodiff

/// A data file that could not be read, named in the message: `PATH: error: what is wrong`.
public struct DataFileError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): error: \(message)" }
}

/// LeCun's IDX format, the files MNIST and Fashion-MNIST ship in: a 4-byte magic number
/// (two zero bytes, a type code, the number of dimensions), each dimension as a big-endian
/// 32-bit count, then the elements in row-major order. Only unsigned bytes (type 0x08) are read,
/// which is what both data sets hold; a file ending in `.gz` is decompressed first.
public enum IDX {
    /// The dimensions and elements of an IDX file.
    public struct Contents: Sendable, Equatable {
        public let dimensions: [Int]
        public let bytes: [UInt8]

        public init(dimensions: [Int], bytes: [UInt8]) {
            precondition(dimensions.reduce(1, *) == bytes.count, "IDX.Contents: \(bytes.count) bytes do not fill dimensions \(dimensions)")
            self.dimensions = dimensions
            self.bytes = bytes
        }
    }

    /// Reads and checks the file at `path` (gzip-compressed when the name ends in `.gz`).
    public static func read(_ path: String) throws(DataFileError) -> Contents {
        var raw = try readFile(path)
        if path.hasSuffix(".gz") {
            do { raw = try Gzip.decompress(raw) } catch { throw DataFileError(file: path, message: error.description) }
        }
        return try parse(raw, file: path)
    }

    /// Parses IDX bytes; `file` names the source in errors.
    public static func parse(_ data: [UInt8], file: String) throws(DataFileError) -> Contents {
        func fail(_ message: String) -> DataFileError { DataFileError(file: file, message: message) }
        guard data.count >= 4 else { throw fail("not an IDX file: \(data.count) bytes, shorter than the 4-byte magic number") }
        guard data[0] == 0, data[1] == 0 else {
            throw fail("not an IDX file: the magic number starts with \(hex(data[0])) \(hex(data[1])), not 00 00")
        }
        guard data[2] == 0x08 else {
            throw fail("IDX element type \(hex(data[2])) is not supported (only 08, unsigned bytes)")
        }
        let rank = Int(data[3])
        guard (1...4).contains(rank) else { throw fail("IDX file declares \(rank) dimensions (expected 1 to 4)") }
        let header = 4 + 4 * rank
        guard data.count >= header else {
            throw fail("truncated: the header needs \(header) bytes for \(rank) dimensions, the file has \(data.count)")
        }
        var dims: [Int] = []
        var total = 1
        for d in 0..<rank {
            let o = 4 + 4 * d
            let n = Int(data[o]) << 24 | Int(data[o + 1]) << 16 | Int(data[o + 2]) << 8 | Int(data[o + 3])
            dims.append(n)
            total *= n
        }
        let body = data.count - header
        guard body >= total else {
            throw fail("truncated: dimensions \(dims) need \(total) bytes of data, the file has \(body)")
        }
        guard body == total else { throw fail("\(body - total) bytes after the \(total) bytes that dimensions \(dims) describe") }
        return Contents(dimensions: dims, bytes: [UInt8](data[header...]))
    }

    /// The IDX encoding of unsigned bytes with these dimensions (what `parse` reads back).
    public static func encode(_ array: Contents) -> [UInt8] {
        var out: [UInt8] = [0, 0, 0x08, UInt8(array.dimensions.count)]
        for n in array.dimensions {
            out += [UInt8(truncatingIfNeeded: n >> 24), UInt8(truncatingIfNeeded: n >> 16),
                    UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)]
        }
        return out + array.bytes
    }

    static func hex(_ b: UInt8) -> String {
        let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
        return String([digits[Int(b >> 4)], digits[Int(b & 15)]])
    }

    /// The whole file's bytes.
    static func readFile(_ path: String) throws(DataFileError) -> [UInt8] {
        guard let f = fopen(path, "rb") else {
            throw DataFileError(file: path, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { fclose(f) }
        var out = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n > 0 { out.append(contentsOf: chunk[0..<n]) }
            if n < chunk.count {
                if ferror(f) != 0 { throw DataFileError(file: path, message: "read failed: \(String(cString: strerror(errno)))") }
                return out
            }
        }
    }
}
