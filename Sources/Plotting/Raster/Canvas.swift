import Foundation

/// The pixel backend: an RGBA buffer drawn at `scale` device pixels per CSS pixel.
///
/// One primitive does the work, as in Agg: a coverage mask (the exact area of each pixel a
/// shape covers, or a distance-based coverage for strokes) composited source-over with a color.
/// Every public drawing call takes CSS pixels; `scale` maps them to device pixels.
///
/// This file holds the buffer, the clip and compositing; the primitives are extensions:
/// polygons in `Canvas+Fills`, Gouraud-shaded quads in `Canvas+ShadedQuads`, lines in
/// `Canvas+Strokes`, glyph bitmaps in `Canvas+Bitmaps` (text layout is in `Text/Text.swift`).
public final class Canvas {
    /// Device pixels.
    public let width: Int
    public let height: Int
    public let scale: Double
    /// Straight-alpha RGBA, 0...1, row-major from the top.
    private(set) var pixels: [Float]
    /// Optional clip rectangle in device pixels (x0, y0, x1, y1), half-open.
    private(set) var clip: (Int, Int, Int, Int)

    public init(width: Int, height: Int, scale: Double = 1, background: Color = .white) {
        self.width = max(1, width)
        self.height = max(1, height)
        self.scale = scale
        pixels = [Float](repeating: 0, count: self.width * self.height * 4)
        clip = (0, 0, self.width, self.height)
        for i in 0..<(self.width * self.height) {
            pixels[4 * i] = Float(background.red)
            pixels[4 * i + 1] = Float(background.green)
            pixels[4 * i + 2] = Float(background.blue)
            pixels[4 * i + 3] = Float(background.alpha)
        }
    }

    /// Restricts drawing to `rect` (CSS pixels) until `clip(to: nil)`.
    public func clip(to rect: Rect?) {
        guard let r = rect else { clip = (0, 0, width, height); return }
        clip = (max(0, Canvas.index((r.minX * scale).rounded(.down))), max(0, Canvas.index((r.minY * scale).rounded(.down))),
                min(width, Canvas.index((r.maxX * scale).rounded(.up))), min(height, Canvas.index((r.maxY * scale).rounded(.up))))
    }

    // MARK: Compositing

    /// Source-over of `color` at `coverage` onto device pixel (x, y).
    @inline(__always)
    func blend(_ x: Int, _ y: Int, _ color: Color, coverage: Float) {
        guard x >= clip.0, x < clip.2, y >= clip.1, y < clip.3, coverage > 0 else { return }
        let a = Float(color.alpha) * min(1, coverage)
        guard a > 0 else { return }
        let i = 4 * (y * width + x)
        let da = pixels[i + 3]
        let outA = a + da * (1 - a)
        guard outA > 0 else { return }
        let k = da * (1 - a)
        pixels[i] = (Float(color.red) * a + pixels[i] * k) / outA
        pixels[i + 1] = (Float(color.green) * a + pixels[i + 1] * k) / outA
        pixels[i + 2] = (Float(color.blue) * a + pixels[i + 2] * k) / outA
        pixels[i + 3] = outA
    }

    /// Overwrites a device pixel (used by image marks that compute every pixel themselves).
    func set(_ x: Int, _ y: Int, _ color: Color) {
        guard x >= clip.0, x < clip.2, y >= clip.1, y < clip.3 else { return }
        if color.alpha >= 1 {
            let i = 4 * (y * width + x)
            pixels[i] = Float(color.red); pixels[i + 1] = Float(color.green)
            pixels[i + 2] = Float(color.blue); pixels[i + 3] = 1
        } else {
            blend(x, y, color, coverage: 1)
        }
    }

    /// The color now at a device pixel (for tests and for reading back).
    public func pixel(_ x: Int, _ y: Int) -> Color {
        let i = 4 * (y * width + x)
        return Color(red: Double(pixels[i]), green: Double(pixels[i + 1]),
                     blue: Double(pixels[i + 2]), alpha: Double(pixels[i + 3]))
    }

    /// 8-bit RGBA bytes, rounded to nearest.
    public func rgba8() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: pixels.count) { out, count in
            pixels.withUnsafeBufferPointer { src in
                for i in 0..<src.count { out[i] = UInt8(max(0, min(255, (src[i] * 255).rounded()))) }
            }
            count = pixels.count
        }
    }

    /// The canvas as PNG bytes.
    public func png() throws -> [UInt8] {
        try PNGEncoder.encode(rgba: rgba8(), width: width, height: height)
    }

    /// A device coordinate as an index, clamped far outside any canvas (never traps).
    @inline(__always)
    static func index(_ v: Double) -> Int {
        v.isNaN ? 0 : Int(max(-1e9, min(1e9, v)))
    }
}
