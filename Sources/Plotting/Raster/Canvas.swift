import Foundation

/// A point in canvas coordinates: CSS pixels from the top-left corner (y grows downwards).
public struct Point: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }

    static func + (a: Point, b: Point) -> Point { Point(a.x + b.x, a.y + b.y) }
    static func - (a: Point, b: Point) -> Point { Point(a.x - b.x, a.y - b.y) }
    static func * (a: Point, s: Double) -> Point { Point(a.x * s, a.y * s) }
    var length: Double { (x * x + y * y).squareRoot() }
}

/// An axis-aligned rectangle in CSS pixels.
public struct Rect: Sendable, Hashable {
    public var x, y, width, height: Double
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }
    var minX: Double { x }
    var maxX: Double { x + width }
    var minY: Double { y }
    var maxY: Double { y + height }
    var midX: Double { x + width / 2 }
    var midY: Double { y + height / 2 }
    func inset(left: Double = 0, top: Double = 0, right: Double = 0, bottom: Double = 0) -> Rect {
        Rect(x: x + left, y: y + top, width: max(1, width - left - right), height: max(1, height - top - bottom))
    }
    func contains(_ p: Point) -> Bool { p.x >= minX && p.x <= maxX && p.y >= minY && p.y <= maxY }
}

/// How a stroke is broken into dashes.
public enum LineStyle: Sendable, Hashable {
    case solid
    case dashed
    case dotted
    case dashDot
    /// On/off lengths in multiples of the line width.
    case pattern([Double])

    var pattern: [Double]? {
        switch self {
        case .solid: return nil
        case .dashed: return [3.7, 1.6]
        case .dotted: return [1, 1.65]
        case .dashDot: return [6.4, 1.6, 1, 1.6]
        case .pattern(let p): return p.isEmpty ? nil : p
        }
    }
}

/// The pixel backend: an RGBA buffer drawn at `scale` device pixels per CSS pixel.
///
/// One primitive does the work, as in Agg: a coverage mask (the exact area of each pixel a
/// shape covers, or a distance-based coverage for strokes) composited source-over with a color.
/// Every public drawing call takes CSS pixels; `scale` maps them to device pixels.
public final class Canvas {
    /// Device pixels.
    public let width: Int
    public let height: Int
    public let scale: Double
    /// Straight-alpha RGBA, 0...1, row-major from the top.
    private(set) var pixels: [Float]
    /// Optional clip rectangle in device pixels (x0, y0, x1, y1), half-open.
    private var clip: (Int, Int, Int, Int)

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

    // MARK: Filled shapes

    /// Fills the polygons (CSS pixels) with `color`. Overlapping subpaths add up and saturate,
    /// so a shape with holes must wind its holes the other way; each pixel gets the exact area
    /// it covers (signed-area accumulation, as in font-rs / stb_truetype).
    public func fill(_ polygons: [[Point]], color: Color) {
        let device = polygons.map { $0.map { Point($0.x * scale, $0.y * scale) } }
        fillDevice(device, color: color)
    }

    public func fill(polygon: [Point], color: Color) { fill([polygon], color: color) }

    public func fill(rect: Rect, color: Color) {
        fill(polygon: [Point(rect.minX, rect.minY), Point(rect.maxX, rect.minY),
                       Point(rect.maxX, rect.maxY), Point(rect.minX, rect.maxY)], color: color)
    }

    /// A circle as a 48-gon (enough for markers at 2×).
    public func fill(circle center: Point, radius: Double, color: Color) {
        fill(polygon: Canvas.circle(center, radius), color: color)
    }

    /// The outline of a rectangle with corners rounded to `radius`.
    static func roundedRect(_ r: Rect, radius: Double) -> [Point] {
        let k = min(radius, r.width / 2, r.height / 2)
        let centers = [Point(r.maxX - k, r.minY + k), Point(r.maxX - k, r.maxY - k),
                       Point(r.minX + k, r.maxY - k), Point(r.minX + k, r.minY + k)]
        var out: [Point] = []
        for (i, c) in centers.enumerated() {
            for step in 0...6 {
                let a = -Double.pi / 2 + Double(i) * Double.pi / 2 + Double(step) * Double.pi / 12
                out.append(Point(c.x + k * cos(a), c.y + k * sin(a)))
            }
        }
        return out
    }

    /// A device coordinate as an index, clamped far outside any canvas (never traps).
    @inline(__always)
    static func index(_ v: Double) -> Int {
        v.isNaN ? 0 : Int(max(-1e9, min(1e9, v)))
    }

    static func circle(_ c: Point, _ r: Double, sides: Int = 40) -> [Point] {
        (0..<sides).map { k in
            let a = 2 * Double.pi * Double(k) / Double(sides)
            return Point(c.x + r * cos(a), c.y + r * sin(a))
        }
    }

    /// Fills a quadrilateral (CSS pixels) Gouraud-shaded from the colors at its corners: split
    /// along the diagonal 0–2, each half interpolates its three corners linearly. The quad is
    /// grown by `dilation` CSS pixels from its center, so neighbouring quads drawn in order
    /// leave no antialiasing seams between them.
    func fill(quad q: [Point], colors: [Color], dilation: Double = 0) {
        guard q.count == 4, colors.count == 4 else { return }
        let d = q.map { Point($0.x * scale, $0.y * scale) }
        let center = Point((d[0].x + d[1].x + d[2].x + d[3].x) / 4, (d[0].y + d[1].y + d[2].y + d[3].y) / 4)
        let grown = d.map { p -> Point in
            let v = p - center
            let l = v.length
            return l > 1e-9 ? center + v * (1 + dilation * scale / l) : p
        }
        func weights(_ a: Point, _ b: Point, _ c: Point, _ px: Double, _ py: Double) -> (Double, Double, Double)? {
            let det = (b.y - c.y) * (a.x - c.x) + (c.x - b.x) * (a.y - c.y)
            guard abs(det) > 1e-12 else { return nil }
            let wa = ((b.y - c.y) * (px - c.x) + (c.x - b.x) * (py - c.y)) / det
            let wb = ((c.y - a.y) * (px - c.x) + (a.x - c.x) * (py - c.y)) / det
            return (wa, wb, 1 - wa - wb)
        }
        func mix(_ i: Int, _ j: Int, _ k: Int, _ w: (Double, Double, Double)) -> Color {
            var (a, b, c) = (max(0, w.0), max(0, w.1), max(0, w.2))
            let sum = max(1e-12, a + b + c)
            a /= sum; b /= sum; c /= sum
            return Color(red: colors[i].red * a + colors[j].red * b + colors[k].red * c,
                         green: colors[i].green * a + colors[j].green * b + colors[k].green * c,
                         blue: colors[i].blue * a + colors[j].blue * b + colors[k].blue * c,
                         alpha: colors[i].alpha * a + colors[j].alpha * b + colors[k].alpha * c)
        }
        fillDevice([grown], color: colors[0]) { px, py in
            let first = weights(d[0], d[1], d[2], px, py)
            if let w = first, min(w.0, w.1, w.2) >= -1e-9 { return mix(0, 1, 2, w) }
            if let w = weights(d[0], d[2], d[3], px, py) {
                if let f = first, min(f.0, f.1, f.2) > min(w.0, w.1, w.2) { return mix(0, 1, 2, f) }
                return mix(0, 2, 3, w)
            }
            return first.map { mix(0, 1, 2, $0) } ?? colors[0]
        }
    }

    func fillDevice(_ polygons: [[Point]], color: Color, shade: ((Double, Double) -> Color)? = nil) {
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for poly in polygons { for p in poly {
            minX = min(minX, p.x); maxX = max(maxX, p.x); minY = min(minY, p.y); maxY = max(maxY, p.y)
        } }
        guard minX.isFinite, maxX.isFinite, minY.isFinite, maxY.isFinite else { return }
        let x0 = max(clip.0, Canvas.index(minX.rounded(.down))), x1 = min(clip.2, Canvas.index(maxX.rounded(.up)) + 1)
        let y0 = max(clip.1, Canvas.index(minY.rounded(.down))), y1 = min(clip.3, Canvas.index(maxY.rounded(.up)) + 1)
        guard x1 > x0, y1 > y0 else { return }
        let w = x1 - x0, h = y1 - y0
        let stride = w + 2
        var acc = [Float](repeating: 0, count: stride * h + 2)
        acc.withUnsafeMutableBufferPointer { acc in
            for poly in polygons where poly.count >= 3 {
                for k in poly.indices {
                    let a = poly[k], b = poly[(k + 1) % poly.count]
                    Canvas.accumulate(&acc, stride: stride, width: w, height: h,
                                      Point(a.x - Double(x0), a.y - Double(y0)),
                                      Point(b.x - Double(x0), b.y - Double(y0)))
                }
            }
        }
        for y in 0..<h {
            var sum: Float = 0
            let row = y * stride
            for x in 0..<w {
                sum += acc[row + x]
                let coverage = min(1, abs(sum))
                if coverage > 1.0 / 512 {
                    let c = shade?(Double(x0 + x) + 0.5, Double(y0 + y) + 0.5) ?? color
                    blend(x0 + x, y0 + y, c, coverage: coverage)
                }
            }
        }
    }

    /// Adds the signed area of one edge to the accumulation buffer (x clamped to the box, which
    /// keeps the winding of everything to its right).
    private static func accumulate(_ acc: inout UnsafeMutableBufferPointer<Float>, stride: Int, width: Int,
                                   height: Int, _ p: Point, _ q: Point) {
        if p.y == q.y || !p.y.isFinite || !q.y.isFinite { return }
        let (top, bottom, dir): (Point, Point, Float) = p.y < q.y ? (p, q, 1) : (q, p, -1)
        let dxdy = (bottom.x - top.x) / (bottom.y - top.y)
        let clampX = { (x: Double) in min(Double(width), max(0, x)) }
        var x = top.x
        var yStart = top.y
        if yStart < 0 { x -= yStart * dxdy; yStart = 0 }
        let yEnd = min(Double(height), bottom.y)
        if yEnd <= yStart { return }
        var y = Int(yStart.rounded(.down))
        while Double(y) < yEnd, y < height {
            let rowTop = max(Double(y), yStart), rowBottom = min(Double(y + 1), yEnd)
            let dy = rowBottom - rowTop
            if dy > 0 {
                let xNext = x + dxdy * dy
                let d = Float(dy) * dir
                let xa = clampX(min(x, xNext)), xb = clampX(max(x, xNext))
                let line = y * stride
                let xaFloor = xa.rounded(.down)
                let xaI = Int(xaFloor)
                let xbCeil = xb.rounded(.up)
                let xbI = Int(xbCeil)
                if xbI <= xaI + 1 {
                    let mid = Float(0.5 * (xa + xb) - xaFloor)
                    acc[line + xaI] += d - d * mid
                    acc[line + xaI + 1] += d * mid
                } else {
                    let s = Float(1 / (xb - xa))
                    let xaf = Float(xa - xaFloor)
                    let a0 = 0.5 * s * (1 - xaf) * (1 - xaf)
                    let xbf = Float(xb - xbCeil + 1)
                    let am = 0.5 * s * xbf * xbf
                    acc[line + xaI] += d * a0
                    if xbI == xaI + 2 {
                        acc[line + xaI + 1] += d * (1 - a0 - am)
                    } else {
                        let a1 = s * (1.5 - xaf)
                        acc[line + xaI + 1] += d * (a1 - a0)
                        if xaI + 2 < xbI - 1 {
                            for xi in (xaI + 2)..<(xbI - 1) { acc[line + xi] += d * s }
                        }
                        let a2 = a1 + Float(xbI - xaI - 3) * s
                        acc[line + xbI - 1] += d * (1 - a2 - am)
                    }
                    acc[line + xbI] += d * am
                }
                x = xNext
            }
            y += 1
        }
    }

    // MARK: Strokes

    /// Strokes a polyline (CSS pixels) `width` CSS pixels wide, with butt caps at its two ends
    /// and round joins. The segments are united (max of coverages) before compositing, so a
    /// translucent line never darkens where its segments overlap.
    public func stroke(_ points: [Point], width lineWidth: Double, color: Color, style: LineStyle = .solid) {
        let device = points.map { Point($0.x * scale, $0.y * scale) }.filter { $0.x.isFinite && $0.y.isFinite }
        guard device.count >= 2, lineWidth > 0 else { return }
        let w = lineWidth * scale
        var pieces: [[Point]] = [device]
        if let pattern = style.pattern {
            // Dashing walks the whole length: far off-canvas lines are drawn solid instead.
            var length = 0.0
            for k in 1..<device.count { length += (device[k] - device[k - 1]).length }
            if length < 1e6 { pieces = Canvas.dash(device, pattern: pattern.map { max($0, 0.05) * w }) }
        }
        strokeDevice(pieces, halfWidth: w / 2, color: color)
    }

    public func line(from a: Point, to b: Point, width: Double, color: Color, style: LineStyle = .solid) {
        stroke([a, b], width: width, color: color, style: style)
    }

    /// The outline of a polygon, closed, with round joins all round.
    public func strokeClosed(_ points: [Point], width: Double, color: Color) {
        guard let first = points.first else { return }
        let device = (points + [first, points.count > 1 ? points[1] : first]).map { Point($0.x * scale, $0.y * scale) }
        strokeDevice([device], halfWidth: width * scale / 2, color: color, closed: true)
    }

    static func dash(_ points: [Point], pattern: [Double]) -> [[Point]] {
        var pieces: [[Point]] = []
        var current: [Point] = []
        var index = 0
        var remaining = pattern[0]
        var on = true
        if on { current = [points[0]] }
        for k in 1..<points.count {
            var a = points[k - 1]
            let b = points[k]
            var segment = (b - a).length
            while segment > 0 {
                if remaining >= segment {
                    remaining -= segment
                    if on { current.append(b) }
                    segment = 0
                } else {
                    let p = a + (b - a) * (remaining / segment)
                    segment -= remaining
                    if on { current.append(p); if current.count >= 2 { pieces.append(current) }; current = [] }
                    else { current = [p] }
                    on.toggle()
                    index = (index + 1) % pattern.count
                    remaining = max(1e-3, pattern[index])
                    a = p
                }
            }
        }
        if on, current.count >= 2 { pieces.append(current) }
        return pieces
    }

    /// Coverage of a stroke: per pixel, the length of the overlap of [d − hw, d + hw] with the
    /// pixel's [−½, ½] across the line (exact for axis-aligned lines), times the same along it
    /// at butt ends; round discs at interior joins. Segments unite by `max`.
    func strokeDevice(_ pieces: [[Point]], halfWidth hw: Double, color: Color, closed: Bool = false) {
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for piece in pieces { for p in piece {
            minX = min(minX, p.x); maxX = max(maxX, p.x); minY = min(minY, p.y); maxY = max(maxY, p.y)
        } }
        guard minX.isFinite else { return }
        let pad = hw + 2
        let x0 = max(clip.0, Canvas.index((minX - pad).rounded(.down))), x1 = min(clip.2, Canvas.index((maxX + pad).rounded(.up)))
        let y0 = max(clip.1, Canvas.index((minY - pad).rounded(.down))), y1 = min(clip.3, Canvas.index((maxY + pad).rounded(.up)))
        guard x1 > x0, y1 > y0 else { return }
        let w = x1 - x0, h = y1 - y0
        var mask = [Float](repeating: 0, count: w * h)
        @inline(__always) func across(_ d: Double) -> Double {
            max(0, min(0.5, d + hw) - max(-0.5, d - hw))
        }
        for piece in pieces where piece.count >= 2 {
            let last = piece.count - 2
            for k in 0...last {
                let a = piece[k], b = piece[k + 1]
                let v = b - a
                let len = v.length
                if len < 1e-9 { continue }
                let ux = v.x / len, uy = v.y / len
                let startOpen = closed || k > 0, endOpen = closed || k < last
                let bx0 = max(x0, Canvas.index((min(a.x, b.x) - pad).rounded(.down)))
                let bx1 = min(x1, Canvas.index((max(a.x, b.x) + pad).rounded(.up)))
                let by0 = max(y0, Canvas.index((min(a.y, b.y) - pad).rounded(.down)))
                let by1 = min(y1, Canvas.index((max(a.y, b.y) + pad).rounded(.up)))
                if bx1 <= bx0 || by1 <= by0 { continue }
                for py in by0..<by1 {
                    let cy = Double(py) + 0.5 - a.y
                    let row = (py - y0) * w - x0
                    for px in bx0..<bx1 {
                        let cx = Double(px) + 0.5 - a.x
                        let along = cx * ux + cy * uy
                        let perp = abs(cx * uy - cy * ux)
                        if perp > hw + 1 { continue }
                        // Along the segment: butt ends; interior joins are covered by discs below.
                        let alongCover = max(0, min(0.5, len - along) - max(-0.5, -along))
                        var c = across(perp) * min(1, alongCover)
                        if startOpen || endOpen {
                            // Round join: disc of radius hw at an interior vertex.
                            if startOpen, along < 0.5 {
                                let d = (cx * cx + cy * cy).squareRoot()
                                c = max(c, min(1, max(0, hw + 0.5 - d)))
                            }
                            if endOpen, along > len - 0.5 {
                                let ex = cx - v.x, ey = cy - v.y
                                let d = (ex * ex + ey * ey).squareRoot()
                                c = max(c, min(1, max(0, hw + 0.5 - d)))
                            }
                        }
                        if c > 0 {
                            let i = row + px
                            if Float(c) > mask[i] { mask[i] = Float(c) }
                        }
                    }
                }
            }
        }
        for y in 0..<h {
            for x in 0..<w where mask[y * w + x] > 0 {
                blend(x0 + x, y0 + y, color, coverage: mask[y * w + x])
            }
        }
    }

    // MARK: Coverage bitmaps (glyphs)

    /// Composites an 8-bit coverage bitmap whose top-left device pixel is (x, y).
    func blit(coverage: [UInt8], width w: Int, height h: Int, atX x: Int, y: Int, color: Color, rotated: Bool = false) {
        if !rotated {
            for row in 0..<h { for col in 0..<w {
                let c = coverage[row * w + col]
                if c > 0 { blend(x + col, y + row, color, coverage: Float(c) / 255) }
            } }
        } else {
            // Rotated a quarter turn counter-clockwise: bitmap (col, row) → (x + row, y + w − 1 − col).
            for row in 0..<h { for col in 0..<w {
                let c = coverage[row * w + col]
                if c > 0 { blend(x + row, y + (w - 1 - col), color, coverage: Float(c) / 255) }
            } }
        }
    }
}
