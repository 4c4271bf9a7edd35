import Foundation

/// A figure: one panel of axes, or several in a grid, rendered to PNG in a light and a dark
/// variant. Built in one expression from a constructor and modifiers, each of which returns
/// a changed copy:
///
///     Figure.heatmap(x: -2...2, y: -1...3) { x, y in rosenbrock(x, y) }
///         .title("Rosenbrock").colorScale(.log)
///
/// Titles, labels and legend entries are DejaVu Sans with a little markup: `x^2`, `10^{-4}`,
/// `λ_max`, `w_{ij}` (write `\_` for a literal underscore). Marks without a color take the
/// next color of `Color.cycle`; fields use the panel's color map (viridis unless set).
public struct Figure: Sendable {
    /// Size in CSS pixels; the PNG is drawn at `pixelDensity` times this.
    public var width: Double = 640
    public var height: Double = 400
    public var pixelDensity: Double = 2
    /// How much larger than `TypeSize` text, lines and margins are drawn (`legible`, `stacked`):
    /// the figure is laid out on a `width / typeScale` wide area and drawn magnified.
    public internal(set) var typeScale: Double = 1
    /// The figure's title (above a grid of panels; a single panel's own title otherwise).
    var suptitle: String?
    var explicitAlt: String?
    var panels: [Panel]
    var columns = 1
    var sharedX = false
    var sharedY = false

    init(panels: [Panel]) { self.panels = panels }

    /// An empty set of axes, to which marks are added: `Figure.lines(title: "Loss").line(ys)`.
    public static func lines(title: String? = nil, x xLabel: String? = nil, y yLabel: String? = nil) -> Figure {
        var panel = Panel()
        panel.title = title
        panel.xLabel = xLabel
        panel.yLabel = yLabel
        return Figure(panels: [panel])
    }

    /// A function of two variables painted through a color map, with a color bar.
    public static func heatmap(x: ClosedRange<Double>, y: ClosedRange<Double>, resolution: Int = 161,
                               _ f: (Double, Double) -> Double) -> Figure {
        heatmap(Field(x: x, y: y, resolution: resolution, f))
    }

    /// From a table of values, `grid[row][column]`, rows going up in y (e.g. a loss plane).
    public static func heatmap(x: ClosedRange<Double>, y: ClosedRange<Double>, grid: [[Double]]) -> Figure {
        heatmap(Field(x: x, y: y, grid: grid))
    }

    public static func contour(x: ClosedRange<Double>, y: ClosedRange<Double>, grid: [[Double]],
                               filled: Bool = true) -> Figure {
        contour(Field(x: x, y: y, grid: grid), filled: filled)
    }

    public static func surface(x: ClosedRange<Double>, y: ClosedRange<Double>, grid: [[Double]]) -> Figure {
        surface(Field(x: x, y: y, grid: grid))
    }

    public static func heatmap(_ field: Field) -> Figure {
        var panel = Panel()
        panel.marks = [HeatmapMark(field: field)]
        panel.xLabel = "x"
        panel.yLabel = "y"
        return Figure(panels: [panel])
    }

    /// Filled contours (with thin level lines) of a function of two variables; add optimizer
    /// paths with `.path(…)`.
    public static func contour(x: ClosedRange<Double>, y: ClosedRange<Double>, resolution: Int = 161,
                               filled: Bool = true, _ f: (Double, Double) -> Double) -> Figure {
        contour(Field(x: x, y: y, resolution: resolution, f), filled: filled)
    }

    public static func contour(_ field: Field, filled: Bool = true) -> Figure {
        var panel = Panel()
        panel.marks = [ContourMark(field: field, filled: filled, lines: true)]
        panel.xLabel = "x"
        panel.yLabel = "y"
        return Figure(panels: [panel])
    }

    /// A shaded 3-D surface `z = f(x, y)` seen in perspective, colored by height.
    public static func surface(x: ClosedRange<Double>, y: ClosedRange<Double>, resolution: Int = 51,
                               _ f: (Double, Double) -> Double) -> Figure {
        surface(Field(x: x, y: y, resolution: resolution, f))
    }

    public static func surface(_ field: Field) -> Figure {
        var panel = Panel()
        panel.kind = .surface(Surface(field: field))
        panel.xLabel = "x"
        panel.yLabel = "y"
        return Figure(panels: [panel])
    }

    /// Regions labelled 0, 1, 2, … by `f` (e.g. the basin of attraction of each starting
    /// point), in the palette's colors; `names[k]` labels region `k` in the legend.
    public static func regions(x: ClosedRange<Double>, y: ClosedRange<Double>, resolution: Int = 121,
                               names: [String] = [], _ f: (Double, Double) -> Int) -> Figure {
        var panel = Panel()
        panel.marks = [RegionMark(field: Field(x: x, y: y, resolution: resolution) { Double(f($0, $1)) }, names: names)]
        panel.xLabel = "x"
        panel.yLabel = "y"
        return Figure(panels: [panel])
    }

    /// A histogram of `values` (counts, or a density with `density: true`).
    public static func histogram(_ values: [Double], bins: Int? = nil, density: Bool = false,
                                 title: String? = nil) -> Figure {
        lines(title: title).histogram(values, bins: bins, density: density)
    }

    /// A smooth density estimate of `values` (Gaussian kernel, Silverman's bandwidth).
    public static func density(_ values: [Double], bandwidth: Double? = nil, title: String? = nil) -> Figure {
        lines(title: title).density(values, bandwidth: bandwidth)
    }

    /// One bar per category.
    public static func bars(_ categories: [String], _ values: [Double], title: String? = nil) -> Figure {
        lines(title: title).bars(categories, values)
    }

    /// Figures side by side, row by row; each keeps its own axes unless shared.
    public static func grid(rows: Int? = nil, columns: Int, _ figures: [Figure], sharedX: Bool = false,
                            sharedY: Bool = false, title: String? = nil) -> Figure {
        var figure = Figure(panels: figures.flatMap { $0.panels.isEmpty ? [Panel()] : [$0.panels[0]] })
        figure.columns = max(1, columns)
        let rowCount = rows ?? (figure.panels.count + figure.columns - 1) / figure.columns
        figure.sharedX = sharedX
        figure.sharedY = sharedY
        figure.suptitle = title
        figure.height = Double(max(1, rowCount)) * (figure.columns == 1 ? 360 : 300) + (title == nil ? 0 : 24)
        return figure
    }

    // MARK: Text

    /// The text a screen reader reads: set with `.alt(…)`, or else made from the titles and labels.
    public var alt: String {
        if let explicitAlt { return explicitAlt }
        var parts: [String] = []
        for panel in panels {
            var s: String
            switch panel.kind {
            case .surface: s = "3-D surface"
            case .chart: s = panel.marks.first?.chartName ?? "Plot"
            }
            if let t = panel.title { s += " “\(t)”" }
            if let x = panel.xLabel, let y = panel.yLabel { s += " of \(y) against \(x)" }
            let labels = panel.marks.compactMap { $0.legendEntry(color: .black)?.label }
            if !labels.isEmpty { s += " showing " + labels.joined(separator: ", ") }
            parts.append(s)
        }
        let body = parts.joined(separator: "; ")
        return suptitle.map { "\($0): \(body)" } ?? body
    }
}

// MARK: Modifiers

extension Figure {
    /// Applies a change to every panel (one, unless the figure is a grid).
    private func eachPanel(_ change: (inout Panel) -> Void) -> Figure {
        var copy = self
        for k in copy.panels.indices { change(&copy.panels[k]) }
        return copy
    }

    /// Applies a change to every surface panel (the others have no 3-D settings).
    private func eachSurface(_ change: (inout Surface) -> Void) -> Figure {
        eachPanel { panel in
            guard case .surface(var surface) = panel.kind else { return }
            change(&surface)
            panel.kind = .surface(surface)
        }
    }

    /// Adds a mark to the last panel.
    public func adding(_ mark: some Mark) -> Figure {
        var copy = self
        if copy.panels.isEmpty { copy.panels = [Panel()] }
        copy.panels[copy.panels.count - 1].marks.append(mark)
        if let categories = mark.barCategories, copy.panels[copy.panels.count - 1].axes.categories == nil {
            copy.panels[copy.panels.count - 1].axes.categories = categories
        }
        return copy
    }

    public func title(_ text: String) -> Figure {
        var copy = self
        if panels.count == 1 { copy.panels[0].title = text } else { copy.suptitle = text }
        return copy
    }
    public func xLabel(_ text: String) -> Figure { eachPanel { $0.xLabel = text } }
    public func yLabel(_ text: String) -> Figure { eachPanel { $0.yLabel = text } }
    public func labels(x: String, y: String) -> Figure { xLabel(x).yLabel(y) }
    /// Label of the vertical axis of a 3-D surface.
    public func zLabel(_ text: String) -> Figure { eachSurface { $0.zLabel = text } }
    /// The vertical extent of a 3-D surface, so side-by-side surfaces share one height scale;
    /// heights outside it are clamped to the box.
    public func zRange(_ range: ClosedRange<Double>) -> Figure { eachSurface { $0.zRange = range } }
    public func xScale(_ scale: Scale) -> Figure { eachPanel { $0.axes.xScale = scale } }
    public func yScale(_ scale: Scale) -> Figure { eachPanel { $0.axes.yScale = scale } }
    public func xRange(_ range: ClosedRange<Double>) -> Figure { eachPanel { $0.axes.xRange = range } }
    public func yRange(_ range: ClosedRange<Double>) -> Figure { eachPanel { $0.axes.yRange = range } }
    /// Equal data units on both axes.
    public func equalAspect(_ on: Bool = true) -> Figure { eachPanel { $0.axes.equalAspect = on } }
    /// Light grid lines at the ticks (on by default; never drawn under a field).
    public func gridLines(_ on: Bool) -> Figure { eachPanel { $0.axes.grid = on } }
    public func legend(_ placement: LegendPlacement) -> Figure { eachPanel { $0.legend = placement } }

    /// The color map of heatmaps, contours, surfaces and valued scatter points.
    public func colorMap(_ map: ColorMap) -> Figure { eachPanel { $0.coloring.map = map } }
    /// Linear or logarithmic color (and contour levels).
    public func colorScale(_ scale: Scale) -> Figure { eachPanel { $0.coloring.scale = scale } }
    public func colorRange(_ range: ClosedRange<Double>) -> Figure { eachPanel { $0.coloring.range = range } }
    /// The color bar's label (`nil` keeps the bar unlabelled); `colorBar(false)` hides it.
    public func colorLabel(_ text: String) -> Figure { eachPanel { $0.coloring.label = text } }
    public func colorBar(_ shown: Bool) -> Figure { eachPanel { $0.coloring.showsBar = shown } }
    /// About `count` contour levels at nice values.
    public func levels(_ count: Int) -> Figure { eachPanel { $0.coloring.contourLevels = .automatic(count) } }
    public func levels(_ values: [Double]) -> Figure { eachPanel { $0.coloring.contourLevels = .values(values) } }
    /// Level values written on the contour lines (default: on for line contours, off for filled).
    public func contourLabels(_ shown: Bool) -> Figure { eachPanel { $0.coloring.contourLabels = shown } }
    /// The 3-D view: azimuth and elevation in degrees (matplotlib's defaults are −60, 30).
    public func camera(azimuth: Double, elevation: Double) -> Figure {
        eachSurface { $0.camera = Camera(azimuth: azimuth, elevation: elevation) }
    }

    public func size(width: Double, height: Double) -> Figure {
        var copy = self
        copy.width = width.isFinite ? min(4000, max(40, width)) : 640
        copy.height = height.isFinite ? min(4000, max(40, height)) : 400
        return copy
    }
    public func alt(_ text: String) -> Figure {
        var copy = self
        copy.explicitAlt = text
        return copy
    }

    // MARK: Marks

    /// A line through `(xs[i], ys[i])`.
    public func line(_ xs: [Double], _ ys: [Double], label: String? = nil, color: Color? = nil,
                     width: Double = 1.8, style: LineStyle = .solid, marker: Marker? = nil,
                     filled: Bool = false) -> Figure {
        adding(LineMark(xs: xs, ys: ys, label: label, color: color, width: width, style: style,
                        marker: marker, filled: filled))
    }

    /// A line through `ys` against their index 0, 1, 2, … (a training curve by step).
    public func line(_ ys: [Double], label: String? = nil, color: Color? = nil, width: Double = 1.8,
                     style: LineStyle = .solid, marker: Marker? = nil) -> Figure {
        line(ys.indices.map(Double.init), ys, label: label, color: color, width: width, style: style, marker: marker)
    }

    /// A function plotted over an interval (`samples` points).
    public func line(x: ClosedRange<Double>, samples: Int = 400, label: String? = nil, color: Color? = nil,
                     style: LineStyle = .solid, _ f: (Double) -> Double) -> Figure {
        let xs = (0..<max(2, samples)).map { x.lowerBound + (x.upperBound - x.lowerBound) * Double($0) / Double(max(2, samples) - 1) }
        return line(xs, xs.map(f), label: label, color: color, style: style)
    }

    /// A step plot: the value holds until the next x (`.after`), like a learning-rate schedule.
    public func step(_ xs: [Double], _ ys: [Double], at position: StepPosition = .after, label: String? = nil,
                     color: Color? = nil, width: Double = 1.8, style: LineStyle = .solid) -> Figure {
        var mark = LineMark(xs: xs, ys: ys, label: label, color: color, width: width, style: style)
        mark.step = position
        return adding(mark)
    }

    /// Points, one color, or colored by `values` through the color map.
    public func scatter(_ xs: [Double], _ ys: [Double], values: [Double]? = nil, label: String? = nil,
                        color: Color? = nil, size: Double = 6, marker: Marker = .circle) -> Figure {
        adding(ScatterMark(xs: xs, ys: ys, values: values, label: label, color: color, size: size, marker: marker))
    }

    /// Points with a color each (e.g. by class).
    public func scatter(_ xs: [Double], _ ys: [Double], colors: [Color], label: String? = nil,
                        size: Double = 6, marker: Marker = .circle) -> Figure {
        adding(ScatterMark(xs: xs, ys: ys, colors: colors, label: label, size: size, marker: marker))
    }

    /// Points colored by class `0, 1, 2, …` in the palette's colors (as `regions` colors them).
    public func scatter(_ xs: [Double], _ ys: [Double], classes: [Int], label: String? = nil,
                        size: Double = 6, marker: Marker = .circle) -> Figure {
        scatter(xs, ys, colors: classes.map { Color.cycle[(($0 % 10) + 10) % 10] }, label: label, size: size, marker: marker)
    }

    /// An optimizer's path over the plot: start ○, end ★, arrows along the way.
    public func path(_ points: [(Double, Double)], label: String? = nil, color: Color? = nil,
                     width: Double = 1.8) -> Figure {
        adding(PathMark(points: points.map { Point($0.0, $0.1) }, label: label, color: color, width: width))
    }

    /// A path given as vectors (the first two coordinates of each are drawn).
    public func path(_ points: [[Double]], label: String? = nil, color: Color? = nil, width: Double = 1.8) -> Figure {
        path(points.filter { $0.count >= 2 }.map { ($0[0], $0[1]) }, label: label, color: color, width: width)
    }

    public func path(_ points: [SIMD2<Double>], label: String? = nil, color: Color? = nil, width: Double = 1.8) -> Figure {
        path(points.map { ($0.x, $0.y) }, label: label, color: color, width: width)
    }

    public func path(xs: [Double], ys: [Double], label: String? = nil, color: Color? = nil, width: Double = 1.8) -> Figure {
        path(Array(zip(xs, ys)), label: label, color: color, width: width)
    }

    public func histogram(_ values: [Double], bins: Int? = nil, density: Bool = false, label: String? = nil,
                          color: Color? = nil) -> Figure {
        adding(HistogramMark(values: values, bins: bins, density: density, label: label, color: color))
    }

    /// A Gaussian kernel density estimate, drawn as a line over a light fill.
    public func density(_ values: [Double], bandwidth: Double? = nil, label: String? = nil,
                        color: Color? = nil, samples: Int = 400) -> Figure {
        let (xs, ys) = KernelDensity.estimate(values, bandwidth: bandwidth, samples: samples)
        return line(xs, ys, label: label, color: color, filled: true)
    }

    public func bars(_ categories: [String], _ values: [Double], label: String? = nil, color: Color? = nil) -> Figure {
        adding(BarMark(categories: categories, values: values, label: label, color: color))
    }

    /// A dashed horizontal reference line at `y`.
    public func hline(_ y: Double, label: String? = nil, color: Color? = nil, style: LineStyle = .dashed) -> Figure {
        adding(RuleMark(value: y, orientation: .horizontal, label: label, color: color, style: style))
    }

    /// A dashed vertical reference line at `x`.
    public func vline(_ x: Double, label: String? = nil, color: Color? = nil, style: LineStyle = .dashed) -> Figure {
        adding(RuleMark(value: x, orientation: .vertical, label: label, color: color, style: style))
    }

    /// A single marked point (a minimum, a saddle).
    public func point(_ x: Double, _ y: Double, label: String? = nil, color: Color? = nil,
                      marker: Marker = .star, size: Double = 12) -> Figure {
        scatter([x], [y], label: label, color: color ?? Color(hex: 0xd62728), size: size, marker: marker)
    }
}

/// Gaussian kernel density estimation.
public enum KernelDensity {
    /// Silverman's rule: `0.9 · min(σ, IQR/1.34) · n^(−1/5)`.
    public static func silvermanBandwidth(_ values: [Double]) -> Double {
        let v = values.filter(\.isFinite).sorted()
        guard v.count > 1 else { return 1 }
        let mean = v.reduce(0, +) / Double(v.count)
        let sd = (v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(v.count - 1)).squareRoot()
        let iqr = v[(3 * v.count) / 4] - v[v.count / 4]
        let spread = iqr > 0 ? min(sd, iqr / 1.34) : sd
        return max(1e-12, 0.9 * (spread > 0 ? spread : 1) * pow(Double(v.count), -0.2))
    }

    /// The density on `samples` points spanning the data ± 3 bandwidths.
    public static func estimate(_ values: [Double], bandwidth: Double? = nil, samples: Int = 400) -> ([Double], [Double]) {
        let v = values.filter(\.isFinite)
        guard let lo = v.min(), let hi = v.max() else { return ([], []) }
        let h = bandwidth ?? silvermanBandwidth(v)
        let a = lo - 3 * h, b = hi + 3 * h
        let n = max(2, samples)
        let xs = (0..<n).map { a + (b - a) * Double($0) / Double(n - 1) }
        let norm = 1 / (Double(v.count) * h * (2 * Double.pi).squareRoot())
        let ys = xs.map { x in v.reduce(0.0) { $0 + exp(-0.5 * (x - $1) * (x - $1) / (h * h)) } * norm }
        return (xs, ys)
    }
}
