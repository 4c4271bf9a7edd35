import Foundation

/// A 2-D chart laid out in its frame: the plot rectangle and the maps onto it, the marks with
/// their colors, grid lines, ticks and their labels, titles, the color bar and the legend.
struct ChartLayout {
    var frame: Rect
    /// Where the data is drawn.
    var plot: Rect
    var x: AxisMap
    var y: AxisMap
    var colors: ColorScale?
    /// The contour levels (in the color scale's range).
    var levels: [Double]
    /// The marks in drawing order.
    var marks: [PlacedMark]
    /// Whether a mark paints the whole plot (no grid lines then; halos over it are white).
    var overField: Bool
    /// Level values written on contour lines (nil: each contour mark's default).
    var contourLabels: Bool?
    var gridLines: [Segment] = []
    /// The outline of the plot, on whole device pixels.
    var spine: [Point] = []
    /// Major ticks of the x axis, then of the y axis.
    var ticks: [TickMark] = []
    /// The decades' minor ticks of log axes.
    var minorTicks: [Segment] = []
    /// The axis labels and the title.
    var labels: [TextPlacement] = []
    var colorBar: ColorBarLayout?
    var legend: LegendLayout?
}

extension ChartLayout {
    static let tickLength = 4.0
    static let spineWidth = 0.9

    /// The margins, which need the tick labels' sizes, give the plot rectangle; then the
    /// ticks, labels, color bar and legend are placed around and in it.
    init(_ panel: Panel, in frame: Rect, sharing: AxisSharing, metrics: LayoutMetrics) {
        let domains = panel.domains(sharing: sharing)
        let colors = panel.colorScaleResolved()
        let barTicks = panel.coloring.showsBar ? colors.map { Self.colorBarTicks($0, frame: frame) } : nil
        let axisTicks = Self.axisTicks(panel, domains: domains, frame: frame)
        let margins = Margins(panel, ticks: axisTicks, barTicks: barTicks, sharing: sharing, frame: frame, metrics: metrics)
        let room = frame.inset(left: margins.left, top: margins.top, right: margins.right, bottom: margins.bottom)
        let plot = panel.axes.equalAspect ? Self.equalAspect(room, domains: domains, axes: panel.axes) : room
        self.frame = frame
        self.plot = plot
        x = AxisMap(domain: domains.x, scale: panel.axes.xScale, range: (plot.minX, plot.maxX))
        y = AxisMap(domain: domains.y, scale: panel.axes.yScale, range: (plot.maxY, plot.minY))
        self.colors = colors
        levels = panel.levels(for: colors)
        marks = PlacedMark.placing(panel.marks)
        overField = panel.marks.contains { $0.fillsPlot }
        contourLabels = panel.coloring.contourLabels
        if panel.axes.grid && !overField {
            gridLines = gridLines(axisTicks, categories: panel.axes.categories != nil, metrics)
        }
        spine = spine(metrics)
        ticks = xTicks(axisTicks.x, labels: margins.xLabels, metrics)
            + yTicks(axisTicks.y, labelled: !sharing.hideYTickLabels, metrics)
        minorTicks = minorTicks(panel.axes)
        labels = labels(panel, room: room, left: margins.left)
        if let barTicks, let colors { colorBar = colorBar(colors, ticks: barTicks, panel: panel, metrics: metrics) }
        legend = legend(placement: panel.legend, metrics: metrics)
    }

    // MARK: Ticks and margins

    static func axisTicks(_ panel: Panel, domains: (x: ClosedRange<Double>, y: ClosedRange<Double>),
                          frame: Rect) -> (x: [Tick], y: [Tick]) {
        // Ticks need the plot size, which needs the tick label sizes: estimate from the frame.
        let xTarget = max(3, min(8, Int(frame.width / 85)))
        let yTarget = max(3, min(8, Int(frame.height / 55)))
        var xTicks = Ticks.ticks(domains.x.lowerBound, domains.x.upperBound, scale: panel.axes.xScale, target: xTarget)
        if let categories = panel.axes.categories {
            xTicks = categories.enumerated().map { Tick(value: Double($0.offset), label: $0.element) }
        }
        let yTicks = Ticks.ticks(domains.y.lowerBound, domains.y.upperBound, scale: panel.axes.yScale, target: yTarget)
        return (xTicks, yTicks)
    }

    static func colorBarTicks(_ colors: ColorScale, frame: Rect) -> [Tick] {
        Ticks.ticks(colors.range.lowerBound, colors.range.upperBound, scale: colors.scale,
                    target: max(3, Int(frame.height / 60)))
    }

    /// How the x axis's tick labels are written: every `every`-th one, upright when
    /// categories would collide, or none (a grid's shared axis).
    struct XLabels {
        var shown = true
        var every = 1
        var upright = false
    }

    /// The room around the plot for tick labels, axis labels, the title and the color bar.
    struct Margins {
        var left, top, right, bottom: Double
        var xLabels = XLabels()

        init(_ panel: Panel, ticks: (x: [Tick], y: [Tick]), barTicks: [Tick]?, sharing: AxisSharing, frame: Rect,
             metrics: LayoutMetrics) {
            let tickWidth = sharing.hideYTickLabels ? 0 : metrics.widest(ticks.y.map(\.label), size: TypeSize.tick)
            let tickHeight = TypeSize.tick * 1.0
            left = 8 + tickWidth + 8
            if panel.yLabel != nil { left += TypeSize.label + 8 }
            bottom = sharing.hideXTickLabels ? 8.0 : 8 + tickHeight + 6
            if panel.xLabel != nil { bottom += TypeSize.label + 8 }
            top = panel.title != nil ? TypeSize.title + 16 : 12
            right = 14.0
            if let barTicks {
                let barTickWidth = metrics.widest(barTicks.map(\.label), size: TypeSize.tick)
                right = 14 + 12 + 6 + barTickWidth + 8
                if panel.coloring.label != nil { right += TypeSize.label + 8 }
            }
            if let last = ticks.x.last, !sharing.hideXTickLabels {
                right = max(right, metrics.measure(last.label, size: TypeSize.tick).width / 2 + 6)
            }
            xLabels.shown = !sharing.hideXTickLabels
            fitXLabels(ticks.x, categories: panel.axes.categories != nil, frame: frame, tickHeight: tickHeight,
                       metrics: metrics)
        }

        /// Tick labels that would collide: numbers keep every k-th label, categories turn upright.
        mutating func fitXLabels(_ ticks: [Tick], categories: Bool, frame: Rect, tickHeight: Double,
                                 metrics: LayoutMetrics) {
            guard !ticks.isEmpty, xLabels.shown else { return }
            let estimatedWidth = max(1, frame.width - left - right)
            let widest = metrics.widest(ticks.map(\.label), size: TypeSize.tick)
            let needed = Double(ticks.count) * (widest + 10)
            if categories {
                if needed > estimatedWidth {
                    xLabels.upright = true
                    bottom += widest - tickHeight
                }
            } else {
                xLabels.every = max(1, Int((needed / estimatedWidth).rounded(.up)))
            }
        }
    }

    /// Equal aspect shrinks the plot inside its room, centred.
    static func equalAspect(_ room: Rect, domains: (x: ClosedRange<Double>, y: ClosedRange<Double>), axes: Panel.Axes) -> Rect {
        let sx = room.width / max(1e-12, axes.xScale.forward(domains.x.upperBound) - axes.xScale.forward(domains.x.lowerBound))
        let sy = room.height / max(1e-12, axes.yScale.forward(domains.y.upperBound) - axes.yScale.forward(domains.y.lowerBound))
        if sx > sy {
            let w = room.width * sy / sx
            return Rect(x: room.x + (room.width - w) / 2, y: room.y, width: w, height: room.height)
        } else {
            let h = room.height * sx / sy
            return Rect(x: room.x, y: room.y + (room.height - h) / 2, width: room.width, height: h)
        }
    }

    // MARK: Lines

    /// Light lines across the plot at the ticks (none at categories).
    func gridLines(_ ticks: (x: [Tick], y: [Tick]), categories: Bool, _ metrics: LayoutMetrics) -> [Segment] {
        let vertical: [Segment] = categories ? [] : ticks.x.map { t in
            let px = metrics.snap(x.position(t.value), width: 0.8)
            return Segment(from: Point(px, plot.minY), to: Point(px, plot.maxY))
        }
        let horizontal = ticks.y.map { t in
            let py = metrics.snap(y.position(t.value), width: 0.8)
            return Segment(from: Point(plot.minX, py), to: Point(plot.maxX, py))
        }
        return vertical + horizontal
    }

    /// The plot's outline, on whole device pixels.
    func spine(_ metrics: LayoutMetrics) -> [Point] {
        [Point(plot.minX, plot.minY), Point(plot.maxX, plot.minY), Point(plot.maxX, plot.maxY), Point(plot.minX, plot.maxY)]
            .map { Point(metrics.snap($0.x, width: Self.spineWidth), metrics.snap($0.y, width: Self.spineWidth)) }
    }

    /// The x ticks inside the plot's width, below it, labelled as `labels` says.
    func xTicks(_ ticks: [Tick], labels: XLabels, _ metrics: LayoutMetrics) -> [TickMark] {
        ticks.enumerated().compactMap { k, t in
            let px = metrics.snap(x.position(t.value), width: Self.spineWidth)
            guard px >= plot.minX - 0.5, px <= plot.maxX + 0.5 else { return nil }
            let line = Segment(from: Point(px, plot.maxY), to: Point(px, plot.maxY + Self.tickLength))
            guard labels.shown, k % labels.every == 0 else { return TickMark(line: line) }
            let at = Point(px, plot.maxY + Self.tickLength + 3)
            let label = labels.upright
                ? TextPlacement(text: t.label, at: at, role: .tick, horizontal: .trailing, vertical: .middle, rotated: true)
                : TextPlacement(text: t.label, at: at, role: .tick, horizontal: .center, vertical: .top)
            return TickMark(line: line, label: label)
        }
    }

    /// The y ticks inside the plot's height, left of it.
    func yTicks(_ ticks: [Tick], labelled: Bool, _ metrics: LayoutMetrics) -> [TickMark] {
        ticks.compactMap { t in
            let py = metrics.snap(y.position(t.value), width: Self.spineWidth)
            guard py >= plot.minY - 0.5, py <= plot.maxY + 0.5 else { return nil }
            let line = Segment(from: Point(plot.minX - Self.tickLength, py), to: Point(plot.minX, py))
            let label = TextPlacement(text: t.label, at: Point(plot.minX - Self.tickLength - 3, py), role: .tick,
                                      horizontal: .trailing, vertical: .middle)
            return TickMark(line: line, label: labelled ? label : nil)
        }
    }

    func minorTicks(_ axes: Panel.Axes) -> [Segment] {
        var out: [Segment] = []
        if axes.xScale == .log {
            for v in Ticks.logMinor(x.domain.lowerBound, x.domain.upperBound) {
                let px = x.position(v)
                out.append(Segment(from: Point(px, plot.maxY), to: Point(px, plot.maxY + 2.2)))
            }
        }
        if axes.yScale == .log {
            for v in Ticks.logMinor(y.domain.lowerBound, y.domain.upperBound) {
                let py = y.position(v)
                out.append(Segment(from: Point(plot.minX - 2.2, py), to: Point(plot.minX, py)))
            }
        }
        return out
    }

    // MARK: Text, color bar, legend

    /// The axis labels and the title; with equal aspect they follow the plot inside its room.
    func labels(_ panel: Panel, room: Rect, left: Double) -> [TextPlacement] {
        var out: [TextPlacement] = []
        if let xLabel = panel.xLabel {
            out.append(TextPlacement(text: xLabel, at: Point(plot.midX, frame.maxY - 6 - (room.maxY - plot.maxY)),
                                     role: .label, horizontal: .center, vertical: .bottom))
        }
        if let yLabel = panel.yLabel {
            out.append(TextPlacement(text: yLabel, at: Point(plot.minX - left + 6, plot.midY), role: .label,
                                     horizontal: .center, vertical: .top, rotated: true))
        }
        if let title = panel.title {
            out.append(TextPlacement(text: title, at: Point(plot.midX, frame.minY + 8 + (plot.minY - room.minY)),
                                     role: .title, horizontal: .center, vertical: .top))
        }
        return out
    }

    /// The color bar right of the plot, as tall as it; banded when a mark shows contour levels.
    func colorBar(_ colors: ColorScale, ticks: [Tick], panel: Panel, metrics: LayoutMetrics) -> ColorBarLayout {
        let rect = Rect(x: plot.maxX + 14, y: plot.minY, width: 12, height: plot.height)
        let tickWidth = metrics.widest(ticks.map(\.label), size: TypeSize.tick)
        let label = panel.coloring.label.map { text in
            TextPlacement(text: text, at: Point(rect.maxX + 6 + tickWidth + 8 + TypeSize.label, plot.midY),
                          role: .label, horizontal: .center, vertical: .bottom, rotated: true)
        }
        let bands = panel.marks.contains { $0.showsLevelBands } ? levels : nil
        return ColorBarLayout(colors, ticks: ticks, in: rect, levels: bands, label: label, metrics: metrics)
    }

    /// The legend of the marks' entries inside the plot, or nil (none, or hidden).
    func legend(placement: LegendPlacement, metrics: LayoutMetrics) -> LegendLayout? {
        let entries = marks.flatMap(\.legendEntries)
        guard !entries.isEmpty, placement != .hidden else { return nil }
        let avoiding = placement != .automatic ? [] : marks.flatMap { placed in
            placed.mark.legendAvoidancePoints.map { Point(x.position($0.x), y.position($0.y)) }
        }
        return LegendLayout(entries, in: plot, placement: placement, avoiding: avoiding, metrics: metrics)
    }
}
