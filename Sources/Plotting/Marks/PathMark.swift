import Foundation

/// An optimizer's trajectory: the iterates joined in order, a hollow circle at the start, a
/// star at the end, arrowheads showing the direction of travel, and a thin halo so the path
/// reads over any background.
public struct PathMark: Mark {
    public var points: [Point]
    public var label: String?
    public var color: Color?
    public var width: Double = 1.8
    /// Dots at each iterate (automatic: when there are few enough to tell apart).
    public var showsIterates: Bool?
    public var arrows = true

    public var bounds: DataBounds? { DataBounds.of(points.map(\.x), points.map(\.y)) }
    public var takesCycleColor: Bool { color == nil }
    public var legendAvoidancePoints: [Point] { points }
    public var ridesOnSurface: Bool { true }

    public func legendEntry(color: Color) -> LegendEntry? {
        label.map { LegendEntry(label: $0, color: self.color ?? color, swatch: .line(.solid, width: width, marker: nil)) }
    }

    public func draw(in plot: PlotContext, color: Color) {
        let screen = points.map { plot.point($0.x, $0.y) }
        draw(screen: screen, on: plot.canvas, color: self.color ?? color, halo: plot.halo,
             startFill: plot.overField ? .white : plot.theme.background)
    }

    /// Over a surface the halo and the start's fill are white, as over a field.
    public func drawOnSurface(canvas: Canvas, color: Color, project: (Point) -> Point) {
        draw(screen: points.map(project), on: canvas, color: self.color ?? color, halo: Color.white.opacity(0.9),
             startFill: .white)
    }

    /// Draws the path through canvas points (already projected, in 2-D or onto a 3-D surface).
    func draw(screen points: [Point], on canvas: Canvas, color c: Color, halo: Color, startFill: Color) {
        let screen = points.filter { $0.x.isFinite && $0.y.isFinite }
        guard let first = screen.first, let last = screen.last else { return }
        canvas.stroke(screen, width: width + 2.4, color: halo)
        canvas.stroke(screen, width: width, color: c)
        if showsIterates ?? (screen.count <= 60) {
            for p in screen.dropFirst().dropLast() { canvas.fill(circle: p, radius: width * 0.95, color: c) }
        }
        if arrows, screen.count >= 2 { drawArrows(screen, color: c, halo: halo, canvas: canvas) }
        Marker.circle.draw(on: canvas, at: first, size: 8, fill: startFill, edge: c, edgeWidth: 1.6)
        Marker.star.draw(on: canvas, at: last, size: 11, fill: c, edge: halo, edgeWidth: 0.9)
    }

    /// Arrowheads at even arc-length intervals, pointing along the path.
    func drawArrows(_ screen: [Point], color: Color, halo: Color, canvas: Canvas) {
        var lengths = [0.0]
        for k in 1..<screen.count { lengths.append(lengths[k - 1] + (screen[k] - screen[k - 1]).length) }
        let total = lengths.last!
        guard total > 40 else { return }
        let count = min(6, max(1, Int(total / 90)))
        var k = 1
        for a in 1...count {
            let target = total * Double(a) / Double(count + 1)
            while k < screen.count - 1, lengths[k] < target { k += 1 }
            // Direction over a short window around the target, so tiny zigzags do not turn it.
            let back = max(0, lengths.lastIndex { $0 <= target - 6 } ?? 0)
            let ahead = min(screen.count - 1, lengths.firstIndex { $0 >= target + 6 } ?? screen.count - 1)
            var d = screen[ahead] - screen[back]
            let len = d.length
            guard len > 1e-9 else { continue }
            d = d * (1 / len)
            let t = (target - lengths[k - 1]) / max(1e-9, lengths[k] - lengths[k - 1])
            let tip = screen[k - 1] + (screen[k] - screen[k - 1]) * min(1, max(0, t)) + d * 4.5
            let n = Point(-d.y, d.x)
            let size = 4.5 + width
            let head = [tip, tip - d * (size * 1.6) + n * size, tip - d * (size * 1.1), tip - d * (size * 1.6) - n * size]
            canvas.strokeClosed(head, width: 1.6, color: halo)
            canvas.fill(polygon: head, color: color)
        }
    }
}

/// Counts of values in equal bins (or a probability density, normalized to area 1).
public struct HistogramMark: Mark {
    public var values: [Double]
    public var bins: Int?
    public var density = false
    public var label: String?
    public var color: Color?

    public var takesCycleColor: Bool { color == nil }

    /// Bin edges and heights.
    func histogram() -> (edges: [Double], heights: [Double]) {
        let finite = values.filter(\.isFinite).sorted()
        guard let lo = finite.first, let hi = finite.last else { return ([0, 1], [0]) }
        var n = bins ?? 0
        if n <= 0 {
            // Freedman–Diaconis, kept between 10 and 80 bins.
            let q1 = finite[finite.count / 4], q3 = finite[(3 * finite.count) / 4]
            let width = 2 * (q3 - q1) / pow(Double(finite.count), 1.0 / 3)
            n = width > 0 ? Int(((hi - lo) / width).rounded(.up)) : 10
            n = min(80, max(10, n))
        }
        let span = hi > lo ? hi - lo : 1
        let edges = (0...n).map { lo + span * Double($0) / Double(n) }
        var counts = [Double](repeating: 0, count: n)
        for v in finite { counts[min(n - 1, max(0, Int((v - lo) / span * Double(n))))] += 1 }
        if density {
            let binWidth = span / Double(n)
            counts = counts.map { $0 / (Double(finite.count) * binWidth) }
        }
        return (edges, counts)
    }

    /// Points up the middle of each bar.
    public var legendAvoidancePoints: [Point] {
        let (e, h) = histogram()
        return h.indices.flatMap { k in
            stride(from: 0.0, through: h[k], by: max(h[k] / 4, 1e-300)).map { Point((e[k] + e[k + 1]) / 2, $0) }
        }
    }

    public var chartName: String? { "Histogram" }

    public var bounds: DataBounds? {
        let (e, h) = histogram()
        let positive = h.filter { $0 > 0 }
        return DataBounds(x: e.first!...e.last!, y: (positive.min() ?? 0)...(h.max() ?? 1), fromZero: true)
    }

    public func legendEntry(color: Color) -> LegendEntry? {
        label.map { LegendEntry(label: $0, color: (self.color ?? color).opacity(0.6), swatch: .patch) }
    }

    public func draw(in plot: PlotContext, color: Color) {
        let c = self.color ?? color
        let (edges, heights) = histogram()
        let base = plot.y.scale == .log ? plot.y.domain.lowerBound : 0
        var outline: [Point] = []
        for k in heights.indices {
            let x0 = plot.x.position(edges[k]), x1 = plot.x.position(edges[k + 1])
            let top = heights[k] > base ? plot.y.position(heights[k]) : plot.y.position(base)
            let bottom = min(plot.rect.maxY + 2, plot.y.position(base))
            if heights[k] > base {
                plot.canvas.fill(rect: Rect(x: x0, y: top, width: x1 - x0, height: bottom - top), color: c.opacity(0.55))
            }
            outline += [Point(x0, top), Point(x1, top)]
        }
        if let first = outline.first, let last = outline.last {
            let bottom = plot.y.position(base)
            plot.canvas.stroke([Point(first.x, bottom)] + outline + [Point(last.x, bottom)], width: 1.2, color: c)
        }
    }
}

/// One bar per category; several bar marks in a panel stand side by side.
public struct BarMark: Mark {
    public var categories: [String]
    public var values: [Double]
    public var label: String?
    public var color: Color?

    public var takesCycleColor: Bool { color == nil }
    public var barCategories: [String]? { categories }
    public var chartName: String? { "Bar chart" }
    public var bounds: DataBounds? {
        let finite = values.filter(\.isFinite)
        return DataBounds(x: -0.5...(Double(categories.count) - 0.5),
                          y: min(0, finite.min() ?? 0)...max(0, finite.max() ?? 1), fromZero: true)
    }

    public func legendEntry(color: Color) -> LegendEntry? {
        label.map { LegendEntry(label: $0, color: self.color ?? color, swatch: .patch) }
    }

    public func draw(in plot: PlotContext, color: Color) {
        let c = self.color ?? color
        let group = 0.8, slot = group / Double(plot.barSlot.count)
        let base = plot.y.scale == .log ? plot.y.domain.lowerBound : 0
        for (k, v) in values.enumerated() where v.isFinite && k < categories.count {
            let left = Double(k) - group / 2 + slot * Double(plot.barSlot.index)
            let x0 = plot.x.position(left + slot * 0.06), x1 = plot.x.position(left + slot * 0.94)
            let y0 = plot.y.position(base), y1 = plot.y.position(v)
            guard y1.isFinite else { continue }
            plot.canvas.fill(rect: Rect(x: x0, y: min(y0, y1), width: x1 - x0, height: abs(y1 - y0)), color: c)
        }
    }
}
