import Foundation

/// Where a step plot changes level.
public enum StepPosition: Sendable, Hashable { case before, middle, after }

/// A polyline through `(xs[i], ys[i])`: a loss curve, a schedule, a density.
public struct LineMark: Mark {
    public var xs: [Double]
    public var ys: [Double]
    public var label: String?
    public var color: Color?
    public var width: Double = 1.8
    public var style: LineStyle = .solid
    public var marker: Marker?
    public var step: StepPosition?
    /// Shades the area between the line and the bottom of the axis.
    public var filled = false

    public var bounds: DataBounds? { DataBounds.of(xs, ys, fromZero: filled) }
    public var takesCycleColor: Bool { color == nil }

    /// Every point of a short line, about 200 of a long one.
    public var legendAvoidancePoints: [Point] {
        let every = max(1, xs.count / 200)
        return stride(from: 0, to: min(xs.count, ys.count), by: every).map { Point(xs[$0], ys[$0]) }
    }

    public func legendEntry(color: Color) -> LegendEntry? {
        label.map { LegendEntry(label: $0, color: self.color ?? color, swatch: .line(style, width: width, marker: marker)) }
    }

    /// The vertices actually drawn (steps expanded).
    func vertices() -> (xs: [Double], ys: [Double]) {
        guard let step, xs.count >= 2 else { return (xs, ys) }
        var x: [Double] = [], y: [Double] = []
        let n = min(xs.count, ys.count)
        for i in 0..<n {
            switch step {
            case .after:
                if i > 0 { x.append(xs[i]); y.append(ys[i - 1]) }
                x.append(xs[i]); y.append(ys[i])
            case .before:
                if i > 0 { x.append(xs[i - 1]); y.append(ys[i]) }
                x.append(xs[i]); y.append(ys[i])
            case .middle:
                if i > 0 {
                    let m = (xs[i - 1] + xs[i]) / 2
                    x += [m, m]; y += [ys[i - 1], ys[i]]
                }
                x.append(xs[i]); y.append(ys[i])
            }
        }
        return (x, y)
    }

    public func draw(in plot: PlotContext, color: Color) {
        let c = self.color ?? color
        let (vx, vy) = vertices()
        let pieces = plot.pieces(vx, vy)
        if filled {
            let base = plot.rect.maxY
            for piece in pieces where piece.count >= 2 {
                plot.canvas.fill(polygon: piece + [Point(piece.last!.x, base), Point(piece[0].x, base)], color: c.opacity(0.2))
            }
        }
        for piece in pieces { plot.canvas.stroke(piece, width: width, color: c, style: style) }
        if let marker {
            let size = max(4.5, width * 3)
            for (x, y) in zip(xs, ys) {
                let p = plot.point(x, y)
                if p.x.isFinite, p.y.isFinite { marker.draw(on: plot.canvas, at: p, size: size, fill: c, edge: plot.halo) }
            }
        }
    }
}

/// A horizontal or vertical reference line across the plot (e.g. `2/η`, a minimum's loss).
public struct RuleMark: Mark {
    public enum Orientation: Sendable { case horizontal, vertical }
    public var value: Double
    public var orientation: Orientation
    public var label: String?
    public var color: Color?
    public var style: LineStyle = .dashed

    public var bounds: DataBounds? { nil }
    public var takesCycleColor: Bool { false }

    public func legendEntry(color: Color) -> LegendEntry? {
        label.map { LegendEntry(label: $0, color: self.color ?? Color(hex: 0x7d838d), swatch: .line(style, width: 1.2, marker: nil)) }
    }

    public func draw(in plot: PlotContext, color: Color) {
        let c = self.color ?? plot.theme.reference
        switch orientation {
        case .horizontal:
            let y = plot.y.position(value)
            guard y.isFinite else { return }
            plot.canvas.line(from: Point(plot.rect.minX, y), to: Point(plot.rect.maxX, y), width: 1.2, color: c, style: style)
        case .vertical:
            let x = plot.x.position(value)
            guard x.isFinite else { return }
            plot.canvas.line(from: Point(x, plot.rect.minY), to: Point(x, plot.rect.maxY), width: 1.2, color: c, style: style)
        }
    }
}

/// Points, optionally colored one by one through the panel's color map.
public struct ScatterMark: Mark {
    public var xs: [Double]
    public var ys: [Double]
    /// Per-point values mapped through the color map (a color bar appears).
    public var values: [Double]?
    /// Per-point colors given directly (class labels).
    public var colors: [Color]?
    public var label: String?
    public var color: Color?
    public var size: Double = 6
    public var marker: Marker = .circle

    public var bounds: DataBounds? { DataBounds.of(xs, ys) }
    public var takesCycleColor: Bool { color == nil && values == nil && colors == nil }
    public var legendAvoidancePoints: [Point] { zip(xs, ys).map { Point($0.0, $0.1) } }
    public var chartName: String? { "Scatter plot" }
    public var colorValues: ClosedRange<Double>? {
        guard let values else { return nil }
        let finite = values.filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max() else { return nil }
        return lo...hi
    }

    public func legendEntry(color: Color) -> LegendEntry? {
        label.map { LegendEntry(label: $0, color: self.color ?? colors?.first ?? color, swatch: .marker(marker)) }
    }

    public func draw(in plot: PlotContext, color: Color) {
        let base = self.color ?? color
        for i in 0..<min(xs.count, ys.count) {
            let p = plot.point(xs[i], ys[i])
            guard p.x.isFinite, p.y.isFinite else { continue }
            var c = base
            if let values, i < values.count { c = plot.colors.color(values[i]) }
            if let colors, i < colors.count { c = colors[i] }
            marker.draw(on: plot.canvas, at: p, size: size, fill: c.opacity(0.9), edge: plot.halo,
                        edgeWidth: 0.5)
        }
    }
}
