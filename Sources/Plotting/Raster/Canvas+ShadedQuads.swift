import Foundation

/// Gouraud-shaded quadrilaterals (the facets of a 3-D surface).
extension Canvas {
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
}
