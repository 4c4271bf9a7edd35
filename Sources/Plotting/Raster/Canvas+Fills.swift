import Foundation

/// Filled polygons: each pixel gets the exact area a shape covers.
extension Canvas {
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

    static func circle(_ c: Point, _ r: Double, sides: Int = 40) -> [Point] {
        (0..<sides).map { k in
            let a = 2 * Double.pi * Double(k) / Double(sides)
            return Point(c.x + r * cos(a), c.y + r * sin(a))
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
}
