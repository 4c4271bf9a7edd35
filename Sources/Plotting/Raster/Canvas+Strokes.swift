import Foundation

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

/// Strokes: polylines and closed outlines, solid or dashed.
extension Canvas {
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
}
