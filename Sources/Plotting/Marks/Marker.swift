import Foundation

/// A point symbol.
public enum Marker: Sendable, Hashable {
    case circle, square, diamond, triangle, star, cross, plus

    /// Draws the symbol centered at `center`, `size` CSS pixels across.
    func draw(on canvas: Canvas, at c: Point, size: Double, fill: Color, edge: Color?, edgeWidth: Double = 0.8) {
        let r = size / 2
        var shape: [Point]
        switch self {
        case .circle: shape = Canvas.circle(c, r, sides: 28)
        case .square: shape = [Point(c.x - r * 0.85, c.y - r * 0.85), Point(c.x + r * 0.85, c.y - r * 0.85),
                               Point(c.x + r * 0.85, c.y + r * 0.85), Point(c.x - r * 0.85, c.y + r * 0.85)]
        case .diamond: shape = [Point(c.x, c.y - r * 1.1), Point(c.x + r * 0.8, c.y),
                                Point(c.x, c.y + r * 1.1), Point(c.x - r * 0.8, c.y)]
        case .triangle: shape = [Point(c.x, c.y - r * 1.1), Point(c.x + r, c.y + r * 0.7), Point(c.x - r, c.y + r * 0.7)]
        case .star:
            shape = (0..<10).map { k in
                let a = -Double.pi / 2 + Double(k) * Double.pi / 5
                let rr = k % 2 == 0 ? r * 1.25 : r * 0.5
                return Point(c.x + rr * cos(a), c.y + rr * sin(a))
            }
        case .cross, .plus:
            let d = self == .cross ? r * 0.8 : r
            let arms: [(Point, Point)] = self == .cross
                ? [(Point(c.x - d, c.y - d), Point(c.x + d, c.y + d)), (Point(c.x - d, c.y + d), Point(c.x + d, c.y - d))]
                : [(Point(c.x - d, c.y), Point(c.x + d, c.y)), (Point(c.x, c.y - d), Point(c.x, c.y + d))]
            for (a, b) in arms {
                if let edge { canvas.line(from: a, to: b, width: size * 0.28 + 2 * edgeWidth, color: edge) }
            }
            for (a, b) in arms { canvas.line(from: a, to: b, width: size * 0.28, color: fill) }
            return
        }
        if let edge, edgeWidth > 0 { canvas.strokeClosed(shape, width: 2 * edgeWidth, color: edge) }
        canvas.fill(polygon: shape, color: fill)
    }
}
