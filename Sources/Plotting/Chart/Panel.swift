import Foundation

/// Where the legend goes.
public enum LegendPlacement: Sendable, Hashable {
    /// The inside corner that hides the least data.
    case automatic
    case upperRight, upperLeft, lowerRight, lowerLeft
    case hidden
}

/// Contour levels: about `n` nice values across the color range, or given values.
public enum ContourLevels: Sendable, Hashable {
    case automatic(Int)
    case values([Double])
}

/// One cell of a figure: a 2-D chart (axes and the marks drawn in them) or a 3-D surface.
/// Its settings are what the figure's modifiers change; drawing it is two steps, a layout
/// computed as values (`layout(in:sharing:metrics:)`) and a painter that draws it
/// (`PanelPainter`).
struct Panel: Sendable {
    /// What the panel draws.
    enum Kind: Sendable {
        /// 2-D axes with the marks in them.
        case chart
        /// A surface in perspective; marks that ride on surfaces (paths) are drawn over it.
        case surface(Surface)
    }

    /// The x and y axes of a chart (a surface's domains, which a grid may share, use them too).
    struct Axes: Sendable {
        var xScale: Scale = .linear
        var yScale: Scale = .linear
        var xRange: ClosedRange<Double>?
        var yRange: ClosedRange<Double>?
        /// Names of the x axis's categories (bar charts), at 0, 1, 2, …
        var categories: [String]?
        var grid = true
        /// Equal data units on both axes (circles look round).
        var equalAspect = false
    }

    /// How values map to colors, and the color bar and contour levels that show it.
    struct Coloring: Sendable {
        var map: ColorMap?
        var scale: Scale = .linear
        var range: ClosedRange<Double>?
        var label: String?
        var showsBar = true
        var contourLevels: ContourLevels = .automatic(12)
        /// Level values written on contour lines (nil: on for line contours, off for filled).
        var contourLabels: Bool?
    }

    var kind: Kind = .chart
    var title: String?
    var xLabel: String?
    var yLabel: String?
    var marks: [any Mark] = []
    var legend: LegendPlacement = .automatic
    var axes = Axes()
    var coloring = Coloring()

    /// The surface, when the panel is one.
    var surface: Surface? {
        if case .surface(let surface) = kind { return surface }
        return nil
    }
}

// MARK: Domains and colors

extension Panel {
    /// The data rectangles of the surface (if any) and the marks.
    private var allBounds: [DataBounds] {
        (surface.map { [$0.bounds] } ?? []) + marks.compactMap(\.bounds)
    }

    func dataBounds() -> (x: ClosedRange<Double>, y: ClosedRange<Double>)? {
        var all = allBounds
        // A field fixes the view to its extent; paths over it are clipped.
        if all.contains(where: \.exact) { all = all.filter(\.exact) }
        guard let first = all.first else { return nil }
        var x = first.x, y = first.y
        var exact = true, fromZero = false
        for b in all {
            x = min(x.lowerBound, b.x.lowerBound)...max(x.upperBound, b.x.upperBound)
            y = min(y.lowerBound, b.y.lowerBound)...max(y.upperBound, b.y.upperBound)
            exact = exact && b.exact
            fromZero = fromZero || b.fromZero
        }
        let xScale = axes.xScale, yScale = axes.yScale
        // A log axis shows at most eight decades below the largest value (density tails).
        if yScale == .log, y.upperBound > 0, y.lowerBound < y.upperBound * 1e-8 { y = (y.upperBound * 1e-8)...y.upperBound }
        if xScale == .log, x.upperBound > 0, x.lowerBound < x.upperBound * 1e-12 { x = (x.upperBound * 1e-12)...x.upperBound }
        if !exact {
            x = paddedRange(x.lowerBound, x.upperBound, scale: xScale, margin: 0.04)
            if fromZero && yScale == .linear {
                let top = paddedRange(min(0, y.lowerBound), y.upperBound, scale: .linear, margin: 0.05)
                y = min(0, y.lowerBound)...top.upperBound
            } else {
                y = paddedRange(y.lowerBound, y.upperBound, scale: yScale, margin: 0.05)
            }
        }

        return (x, y)
    }

    /// The x and y domains: explicit ranges first, then the marks' bounds.
    func domains() -> (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        let bounds = dataBounds()
        let xScale = axes.xScale, yScale = axes.yScale
        var x = axes.xRange ?? bounds?.x ?? (xScale == .log ? 0.1...10 : 0...1)
        var y = axes.yRange ?? bounds?.y ?? (yScale == .log ? 0.1...10 : 0...1)
        if let categories = axes.categories, axes.xRange == nil { x = -0.5...(Double(categories.count) - 0.5) }
        if xScale == .log, x.lowerBound <= 0 { x = max(x.upperBound * 1e-6, 1e-300)...max(x.upperBound, 1e-299) }
        if yScale == .log, y.lowerBound <= 0 { y = max(y.upperBound * 1e-6, 1e-300)...max(y.upperBound, 1e-299) }
        if x.upperBound <= x.lowerBound { x = (x.lowerBound - 0.5)...(x.lowerBound + 0.5) }
        if y.upperBound <= y.lowerBound { y = (y.lowerBound - 0.5)...(y.lowerBound + 0.5) }
        return (x, y)
    }

    /// The domains a grid's sharing imposes, or else the panel's own.
    func domains(sharing: AxisSharing) -> (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        var (x, y) = domains()
        if let shared = sharing.x { x = shared }
        if let shared = sharing.y { y = shared }
        return (x, y)
    }

    /// The shared color scale of the surface and the marks that map values to colors, if any.
    func colorScaleResolved() -> ColorScale? {
        let ranges = (surface.map { [$0.colorValues] } ?? []) + marks.map(\.colorValues)
        let nonEmpty = ranges.compactMap { $0 }
        guard let first = nonEmpty.first else { return nil }
        var lo = first.lowerBound, hi = first.upperBound
        for r in nonEmpty { lo = min(lo, r.lowerBound); hi = max(hi, r.upperBound) }
        let map = coloring.map ?? .viridis
        if coloring.scale == .log {
            let positiveHi = max(hi, 1e-300)
            if lo <= 0 {
                let positives = (surface.map { [$0.positiveColorValues] } ?? []) + marks.map(\.positiveColorValues)
                let positive = positives.compactMap { $0 }.map(\.lowerBound).min()
                lo = positive ?? positiveHi * 1e-6
            }
            hi = positiveHi
        }
        if map.isDiverging, coloring.scale == .linear, coloring.range == nil {
            let m = max(abs(lo), abs(hi))
            lo = -m; hi = m
        }
        if hi <= lo { hi = lo + 1 }
        return ColorScale(map: map, range: coloring.range ?? lo...hi, scale: coloring.scale)
    }

    func levels(for colors: ColorScale?) -> [Double] {
        guard let colors else { return [] }
        let lo = colors.range.lowerBound, hi = colors.range.upperBound
        switch coloring.contourLevels {
        case .values(let v): return v.sorted()
        case .automatic(let count):
            if colors.scale == .log, lo > 0 {
                let a = log10(lo), b = log10(hi)
                let perDecade = max(1, Int((Double(count) / max(1e-9, b - a)).rounded()))
                let steps: [Double] = perDecade >= 3 ? [1, 2, 5] : perDecade == 2 ? [1, 3] : [1]
                var out: [Double] = []
                var k = Int(a.rounded(.down))
                while Double(k) <= b {
                    for m in steps {
                        let v = m * pow(10, Double(k))
                        if v > lo, v < hi { out.append(v) }
                    }
                    k += 1
                }
                if out.count > count * 2 { out = stride(from: 0, to: out.count, by: 2).map { out[$0] } }
                return out
            }
            return Ticks.linear(lo, hi, target: count).map(\.value).filter { $0 > lo && $0 < hi }
        }
    }
}

/// How a panel in a grid shares its axes with the others.
struct AxisSharing {
    var x: ClosedRange<Double>?
    var y: ClosedRange<Double>?
    var hideXTickLabels = false
    var hideYTickLabels = false
}

// MARK: Drawing

extension Panel {
    /// The panel laid out in `frame` (CSS pixels) for a canvas of `metrics`, without drawing.
    func layout(in frame: Rect, sharing: AxisSharing = AxisSharing(), metrics: LayoutMetrics) -> PanelLayout? {
        switch kind {
        case .chart:
            return .chart(ChartLayout(self, in: frame, sharing: sharing, metrics: metrics))
        case .surface(let surface):
            return SurfaceLayout(surface, of: self, in: frame, metrics: metrics).map(PanelLayout.surface)
        }
    }

    /// Draws the panel into `frame` (CSS pixels).
    func render(on canvas: Canvas, in frame: Rect, theme: Theme, sharing: AxisSharing = AxisSharing()) {
        guard let layout = layout(in: frame, sharing: sharing, metrics: LayoutMetrics(canvas)) else { return }
        PanelPainter(canvas: canvas, theme: theme).paint(layout)
    }
}
