import CPNG

/// Encodes 8-bit RGBA pixels as PNG through libpng's simplified API.
///
/// The output is deterministic: libpng writes no timestamp or other metadata here, so the
/// same pixels always give the same bytes.
public enum PNGEncoder {
    public enum Failure: Error, CustomStringConvertible {
        case sizeMismatch(expected: Int, got: Int)
        case libpng(String)

        public var description: String {
            switch self {
            case .sizeMismatch(let e, let g): return "PNG: expected \(e) bytes of RGBA, got \(g)"
            case .libpng(let message): return "libpng: \(message)"
            }
        }
    }

    /// `rgba` holds `width × height` pixels, row-major from the top, 4 bytes each. An image
    /// that is opaque everywhere is written as RGB (a quarter fewer bytes to compress).
    public static func encode(rgba: [UInt8], width: Int, height: Int) throws -> [UInt8] {
        guard rgba.count == width * height * 4 else {
            throw Failure.sizeMismatch(expected: width * height * 4, got: rgba.count)
        }
        let pixels = width * height
        let opaque = rgba.withUnsafeBufferPointer { src in
            for p in 0..<pixels where src[4 * p + 3] != 255 { return false }
            return true
        }
        if opaque {
            let rgb = [UInt8](unsafeUninitializedCapacity: pixels * 3) { out, count in
                rgba.withUnsafeBufferPointer { src in
                    for p in 0..<pixels {
                        out[3 * p] = src[4 * p]; out[3 * p + 1] = src[4 * p + 1]; out[3 * p + 2] = src[4 * p + 2]
                    }
                }
                count = pixels * 3
            }
            return try write(rgb, width: width, height: height,
                             format: UInt32(litopt_png_format_rgba) & ~UInt32(PNG_FORMAT_FLAG_ALPHA), channels: 3)
        }
        return try write(rgba, width: width, height: height, format: UInt32(litopt_png_format_rgba), channels: 4)
    }

    private static func write(_ rgba: [UInt8], width: Int, height: Int, format: UInt32, channels: Int) throws -> [UInt8] {
        var image = png_image()
        image.version = UInt32(litopt_png_image_version)
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.format = format
        var size: png_alloc_size_t = 0
        let stride = Int32(width * channels)
        // First call measures, second writes.
        let measured = rgba.withUnsafeBytes { pixels in
            png_image_write_to_memory(&image, nil, &size, 0, pixels.baseAddress, stride, nil)
        }
        guard measured != 0 else { throw Failure.libpng(message(of: &image)) }
        var out = [UInt8](repeating: 0, count: Int(size))
        let written = rgba.withUnsafeBytes { pixels in
            out.withUnsafeMutableBytes { buffer in
                png_image_write_to_memory(&image, buffer.baseAddress, &size, 0,
                                          pixels.baseAddress, stride, nil)
            }
        }
        guard written != 0 else { throw Failure.libpng(message(of: &image)) }
        png_image_free(&image)
        return Array(out.prefix(Int(size)))
    }

    /// Decodes a PNG into RGBA pixels (used by tests and golden-image comparisons).
    public static func decode(_ png: [UInt8]) throws -> (rgba: [UInt8], width: Int, height: Int) {
        var image = png_image()
        image.version = UInt32(litopt_png_image_version)
        let begun = png.withUnsafeBytes { bytes in
            png_image_begin_read_from_memory(&image, bytes.baseAddress, bytes.count)
        }
        guard begun != 0 else { throw Failure.libpng(message(of: &image)) }
        image.format = UInt32(litopt_png_format_rgba)
        let width = Int(image.width), height = Int(image.height)
        var out = [UInt8](repeating: 0, count: width * height * 4)
        let finished = out.withUnsafeMutableBytes { buffer in
            png_image_finish_read(&image, nil, buffer.baseAddress, Int32(width * 4), nil)
        }
        guard finished != 0 else { throw Failure.libpng(message(of: &image)) }
        return (out, width, height)
    }

    private static func message(of image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
