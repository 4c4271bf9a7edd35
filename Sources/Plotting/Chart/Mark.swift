import Foundation

/// The data rectangle a mark occupies.
public struct DataBounds: Sendable, Hashable {
    public var x: ClosedRange<Double>
    public var y: ClosedRange<Double>
    /// Fields (heatmaps, contours) fill exactly their extent: no padding around them.
    public var exact: Bool = false
    /// Bars and histograms stand on zero: the y axis includes it, with no padding below.
    public var fromZero: Bool = false

    public init(x: ClosedRange<Double>, y: ClosedRange<Double>, exact: Bool = false, fromZero: Bool = false) {
        self.x = x; self.y = y; self.exact = exact; self.fromZero = fromZero
    }

    /// The bounds of finite points (non-positive values dropped on log axes), or nil.
    static func of(_ xs: [Double], _ ys: [Double], fromZero: Bool = false) -> DataBounds? {
        var x0 = Double.infinity, x1 = -Double.infinity, y0 = Double.infinity, y1 = -Double.infinity
        for (x, y) in zip(xs, ys) where x.isFinite && y.isFinite {
            x0 = min(x0, x); x1 = max(x1, x); y0 = min(y0, y); y1 = max(y1, y)
        }
        guard x0 <= x1, y0 <= y1 else { return nil }
        return DataBounds(x: x0...x1, y: y0...y1, fromZero: fromZero)
    }
}

/// How a legend row shows its mark.
public struct LegendEntry: Sendable, Hashable {
    public enum Swatch: Sendable, Hashable {
        case line(LineStyle, width: Double, marker: Marker?)
        case patch
        case marker(Marker)
    }
    public var label: String
    public var color: Color
    public var swatch: Swatch
}

/// Something drawn in a plot: a line, points, a field, a path. Marks are values; the panel
/// lays out the axes from their bounds and then asks each to draw itself. Where a panel treats
/// kinds of mark differently (grouped bars, level bands, the legend), it asks the mark, and
/// every requirement but `draw(in:color:)` has a default.
public protocol Mark: Sendable {
    /// The data it covers, or nil (e.g. a reference line).
    var bounds: DataBounds? { get }
    /// The range of values it maps through the color map, if it uses one.
    var colorValues: ClosedRange<Double>? { get }
    /// The range of its positive values, for a logarithmic color scale.
    var positiveColorValues: ClosedRange<Double>? { get }
    /// Whether it takes the next color of the cycle when it has none of its own.
    var takesCycleColor: Bool { get }
    /// Whether it paints the whole plot area (then no grid is drawn beneath it).
    var fillsPlot: Bool { get }
    func legendEntry(color: Color) -> LegendEntry?
    /// Its rows in the legend: its `legendEntry`, if any, unless it has several (regions).
    func legendEntries(color: Color) -> [LegendEntry]
    /// Data points it draws at, which an automatically placed legend avoids covering.
    var legendAvoidancePoints: [Point] { get }
    /// For bars: the categories it stands a bar in. The panel's bar marks share each category's
    /// slot side by side, and the first one's categories name the x axis's ticks.
    var barCategories: [String]? { get }
    /// Whether the color bar shows the panel's contour levels as flat bands (filled contours).
    var showsLevelBands: Bool { get }
    /// What a figure whose first mark this is shows, for its alt text ("Heatmap"); nil: "Plot".
    var chartName: String? { get }
    /// Whether it is drawn over a 3-D surface (an optimizer's path rides on it); a surface
    /// panel leaves other marks out.
    var ridesOnSurface: Bool { get }
    /// Draws it over a 3-D surface: `project` takes a data point (x, y) to the canvas, onto
    /// the surface (a non-finite point where the surface has no height).
    func drawOnSurface(canvas: Canvas, color: Color, project: (Point) -> Point)
    func draw(in plot: PlotContext, color: Color)
}

extension Mark {
    public var colorValues: ClosedRange<Double>? { nil }
    public var positiveColorValues: ClosedRange<Double>? { colorValues.flatMap { $0.upperBound > 0 ? max($0.lowerBound, $0.upperBound * 1e-6)...$0.upperBound : nil } }
    public var takesCycleColor: Bool { true }
    public var fillsPlot: Bool { false }
    public func legendEntry(color: Color) -> LegendEntry? { nil }
    public func legendEntries(color: Color) -> [LegendEntry] { legendEntry(color: color).map { [$0] } ?? [] }
    public var legendAvoidancePoints: [Point] { [] }
    public var barCategories: [String]? { nil }
    public var showsLevelBands: Bool { false }
    public var chartName: String? { nil }
    public var ridesOnSurface: Bool { false }
    public func drawOnSurface(canvas: Canvas, color: Color, project: (Point) -> Point) {}
}

/// What a mark needs to draw: the canvas, the plot rectangle, the two axis maps, the theme and
/// the panel's color scale.
public struct PlotContext {
    public let canvas: Canvas
    public let rect: Rect
    public let x: AxisMap
    public let y: AxisMap
    public let theme: Theme
    public let colors: ColorScale
    /// Contour levels chosen by the panel.
    public let levels: [Double]
    /// For grouped bars: this mark's slot among the panel's bar marks.
    let barSlot: (index: Int, count: Int)
    /// Whether a field (heatmap, filled contours) lies beneath: it has the same colors in
    /// both themes, so halos around lines drawn over it are white, not the page color.
    var overField = false
    /// Level values written on contour lines (nil: as each contour mark has it by default).
    var contourLabels: Bool?

    /// The outline that separates a line from what is under it.
    var halo: Color { overField ? Color.white.opacity(0.9) : theme.background.opacity(0.85) }

    /// Canvas position of a data point (non-finite when it is off a log axis).
    public func point(_ px: Double, _ py: Double) -> Point { Point(x.position(px), y.position(py)) }

    /// Splits a polyline into runs of drawable (finite) points.
    func pieces(_ xs: [Double], _ ys: [Double]) -> [[Point]] {
        var out: [[Point]] = []
        var current: [Point] = []
        for (a, b) in zip(xs, ys) {
            let p = point(a, b)
            if p.x.isFinite && p.y.isFinite && abs(p.x) < 1e6 && abs(p.y) < 1e6 {
                current.append(p)
            } else if !current.isEmpty {
                out.append(current); current = []
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }
}

/// Values → colors: a color map over a range, linear or logarithmic.
public struct ColorScale: Sendable, Hashable {
    public var map: ColorMap
    public var range: ClosedRange<Double>
    public var scale: Scale

    public init(map: ColorMap = .viridis, range: ClosedRange<Double> = 0...1, scale: Scale = .linear) {
        self.map = map; self.range = range; self.scale = scale
    }

    /// Position of `v` along the map, 0...1 (clamped).
    public func fraction(_ v: Double) -> Double {
        let a = scale.forward(range.lowerBound), b = scale.forward(range.upperBound)
        var u = scale.forward(v)
        if u == -.infinity { u = a }
        guard b > a, u.isFinite else { return 0.5 }
        return min(1, max(0, (u - a) / (b - a)))
    }

    public func color(_ v: Double) -> Color { map.color(at: fraction(v)) }

    /// The field in the scale's space; on a log scale values at or below zero become the
    /// bottom of the range (a minimum of exactly 0 is common and must not spread −∞).
    func transformed(_ field: Field) -> Field {
        switch scale {
        case .linear: return field
        case .log:
            let floor = range.lowerBound
            return field.mapped { $0.isNaN ? $0 : Foundation.log10(Swift.max($0, floor)) }
        }
    }
}
