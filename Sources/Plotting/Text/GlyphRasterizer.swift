import CFreeType
import Foundation

/// One glyph rendered to an 8-bit coverage bitmap by FreeType.
struct Glyph: Sendable {
    var coverage: [UInt8]
    var width: Int
    var height: Int
    /// Offset of the bitmap's left edge from the pen, and of its top row above the baseline.
    var left: Int
    var top: Int
    /// Pen advance in device pixels (fractional).
    var advance: Double
}

/// Rasterizes glyphs of DejaVu Sans with FreeType (light hinting, 8-bit antialiasing).
/// The only file that talks to FreeType; glyphs are cached by (character, pixel size).
final class GlyphRasterizer: @unchecked Sendable {
    /// The shared face, or `nil` when the font cannot be found (figures then have no text).
    static let shared: GlyphRasterizer? = {
        var candidates: [String] = []
        if let custom = ProcessInfo.processInfo.environment["LITOPT_FONT"] { candidates.append(custom) }
        candidates += ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                       "/usr/share/fonts/TTF/DejaVuSans.ttf",
                       "/usr/share/fonts/dejavu/DejaVuSans.ttf",
                       "/usr/local/share/fonts/DejaVuSans.ttf"]
        for path in candidates where FileManager.default.fileExists(atPath: path) {
            if let face = GlyphRasterizer(path: path) { return face }
        }
        return nil
    }()

    private struct Key: Hashable { var scalar: UInt32; var pixelSize: Int }
    private var library: FT_Library?
    private var face: FT_Face?
    private var cache: [Key: Glyph] = [:]
    private let lock = NSLock()

    private init?(path: String) {
        guard FT_Init_FreeType(&library) == 0, let library else { return nil }
        guard FT_New_Face(library, path, 0, &face) == 0, face != nil else {
            FT_Done_FreeType(library)
            return nil
        }
    }

    deinit {
        if let face { FT_Done_Face(face) }
        if let library { FT_Done_FreeType(library) }
    }

    func glyph(_ scalar: Unicode.Scalar, pixelSize: Int) -> Glyph {
        let key = Key(scalar: scalar.value, pixelSize: pixelSize)
        lock.lock()
        defer { lock.unlock() }
        if let cached = cache[key] { return cached }
        let rendered = render(scalar, pixelSize: pixelSize)
        cache[key] = rendered
        return rendered
    }

    private struct PairKey: Hashable { var left: UInt32; var right: UInt32; var pixelSize: Int }
    private var kerns: [PairKey: Double] = [:]

    /// The horizontal kerning between two characters, in device pixels (0 without a kern table).
    func kerning(_ left: Unicode.Scalar, _ right: Unicode.Scalar, pixelSize: Int) -> Double {
        let key = PairKey(left: left.value, right: right.value, pixelSize: pixelSize)
        lock.lock()
        defer { lock.unlock() }
        if let cached = kerns[key] { return cached }
        var value = 0.0
        if let face, face.pointee.face_flags & FT_Long(FT_FACE_FLAG_KERNING) != 0 {
            FT_Set_Pixel_Sizes(face, 0, FT_UInt(max(1, pixelSize)))
            var delta = FT_Vector()
            let l = FT_Get_Char_Index(face, FT_ULong(left.value)), r = FT_Get_Char_Index(face, FT_ULong(right.value))
            if FT_Get_Kerning(face, l, r, FT_UInt(FT_KERNING_DEFAULT.rawValue), &delta) == 0 {
                value = Double(delta.x) / 64
            }
        }
        kerns[key] = value
        return value
    }

    private func render(_ scalar: Unicode.Scalar, pixelSize: Int) -> Glyph {
        let empty = Glyph(coverage: [], width: 0, height: 0, left: 0, top: 0, advance: Double(pixelSize) * 0.5)
        guard let face else { return empty }
        FT_Set_Pixel_Sizes(face, 0, FT_UInt(max(1, pixelSize)))
        let index = FT_Get_Char_Index(face, FT_ULong(scalar.value))
        let flags = FT_Int32(FT_LOAD_RENDER) | FT_Int32(litopt_ft_load_target_light)
        guard FT_Load_Glyph(face, index, flags) == 0, let slot = face.pointee.glyph else { return empty }
        let bitmap = slot.pointee.bitmap
        let w = Int(bitmap.width), h = Int(bitmap.rows), pitch = Int(bitmap.pitch)
        var coverage = [UInt8](repeating: 0, count: w * h)
        if let buffer = bitmap.buffer, w > 0, h > 0 {
            for row in 0..<h {
                for col in 0..<w { coverage[row * w + col] = buffer[row * pitch + col] }
            }
        }
        return Glyph(coverage: coverage, width: w, height: h, left: Int(slot.pointee.bitmap_left),
                     top: Int(slot.pointee.bitmap_top), advance: Double(slot.pointee.advance.x) / 64)
    }
}
