// The only file that imports the zlib shim: data files compressed with gzip are read (and, for
// tests and tools, written) through the two functions below.
import CZlib

/// Why a gzip stream could not be decompressed (zlib's own message when it has one).
public struct GzipError: Error, CustomStringConvertible, Equatable {
    public let description: String
}

/// gzip compression of byte arrays in memory, through zlib.
public enum Gzip {
    /// The bytes of a gzip stream, decompressed. A stream that ends early (a truncated file),
    /// fails its checksum or is not gzip at all throws.
    public static func decompress(_ input: [UInt8]) throws(GzipError) -> [UInt8] {
        var stream = z_stream()
        guard litopt_inflate_init(&stream) == Z_OK else { throw GzipError(description: "zlib could not start inflating") }
        defer { inflateEnd(&stream) }
        var output = [UInt8]()
        output.reserveCapacity(max(input.count * 4, 1 << 16))
        var chunk = [UInt8](repeating: 0, count: 1 << 18)
        var status: Int32 = Z_OK
        let failure: String? = input.withUnsafeBufferPointer { src -> String? in
            stream.next_in = UnsafeMutablePointer(mutating: src.baseAddress)
            stream.avail_in = UInt32(src.count)
            while true {
                let produced = chunk.withUnsafeMutableBufferPointer { dst -> Int in
                    stream.next_out = dst.baseAddress
                    stream.avail_out = UInt32(dst.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return dst.count - Int(stream.avail_out)
                }
                output.append(contentsOf: chunk[0..<produced])
                switch status {
                case Z_STREAM_END:
                    return nil
                case Z_OK:
                    continue
                case Z_BUF_ERROR where stream.avail_in == 0:
                    return "the compressed data ends early (truncated file)"
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    return "corrupt gzip data (\(message))"
                }
            }
        }
        if let failure { throw GzipError(description: failure) }
        return output
    }

    /// `input` as a gzip stream (zlib's compression level 0–9, default 6).
    public static func compress(_ input: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        precondition(litopt_deflate_init_gzip(&stream, level) == Z_OK, "Gzip.compress: zlib could not start deflating")
        defer { deflateEnd(&stream) }
        var output = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        input.withUnsafeBufferPointer { src in
            stream.next_in = UnsafeMutablePointer(mutating: src.baseAddress)
            stream.avail_in = UInt32(src.count)
            var status: Int32 = Z_OK
            while status != Z_STREAM_END {
                let produced = chunk.withUnsafeMutableBufferPointer { dst -> Int in
                    stream.next_out = dst.baseAddress
                    stream.avail_out = UInt32(dst.count)
                    status = deflate(&stream, Z_FINISH)
                    return dst.count - Int(stream.avail_out)
                }
                precondition(status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR,
                             "Gzip.compress: zlib failed with status \(status)")
                output.append(contentsOf: chunk[0..<produced])
            }
        }
        return output
    }
}
