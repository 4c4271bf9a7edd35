import Foundation

/// A panel laid out: everything its painter draws, as values, computed without drawing.
enum PanelLayout {
    case chart(ChartLayout)
    case surface(SurfaceLayout)
}

/// What a layout needs to know of the canvas it is for: device pixels per CSS pixel, which
/// text is measured at and thin lines are put on whole pixels for.
struct LayoutMetrics {
    var scale: Double

    init(scale: Double) { self.scale = scale }
    init(_ canvas: Canvas) { scale = canvas.scale }

    /// Size of `text` at `size` CSS pixels: width and (ascent + descent), in CSS pixels.
    func measure(_ text: String, size: Double) -> (width: Double, height: Double) {
        let line = TextLine(text, pixelSize: size * scale)
        return (line.width / scale, (line.ascent + line.descent) / scale)
    }

    /// The widest of `labels` at `size` (0 for none).
    func widest(_ labels: [String], size: Double) -> Double {
        labels.map { measure($0, size: size).width }.max() ?? 0
    }

    /// Puts a line of `width` on whole device pixels so thin axis lines stay crisp.
    func snap(_ v: Double, width: Double) -> Double {
        let w = (width * scale).rounded()
        let device = v * scale
        let snapped = w.truncatingRemainder(dividingBy: 2) == 1 ? device.rounded(.down) + 0.5 : device.rounded()
        return snapped / scale
    }
}

/// What a piece of text is, which sets its size and (through the theme) its color.
enum TextRole {
    /// Tick labels, in the muted color.
    case tick
    /// Axis and color-bar labels.
    case label
    case title
    case legend

    var size: Double {
        switch self {
        case .tick: return TypeSize.tick
        case .label: return TypeSize.label
        case .title: return TypeSize.title
        case .legend: return TypeSize.legend
        }
    }
}

/// A line of text and where it goes (see `Canvas.draw(_:at:size:color:horizontal:vertical:rotated:)`).
struct TextPlacement {
    var text: String
    var at: Point
    var role: TextRole
    var horizontal: HorizontalAnchor
    var vertical: VerticalAnchor
    var rotated = false
}

/// A straight line from one point to another.
struct Segment {
    var from: Point
    var to: Point
}

/// A tick: its stroke on the axis and its label, if it has one.
struct TickMark {
    var line: Segment
    var label: TextPlacement?
}

/// A mark with the color it is drawn in (its own, or the next of the cycle) and its slot
/// among the panel's grouped bars.
struct PlacedMark {
    var mark: any Mark
    var color: Color
    var barSlot: (index: Int, count: Int)

    /// The marks in order, each given the next cycle color if it takes one.
    static func placing(_ marks: [any Mark]) -> [PlacedMark] {
        let barCount = marks.filter { $0.barCategories != nil }.count
        var barIndex = 0
        var cycle = 0
        return marks.map { mark in
            var color = Color.cycle[0]
            if mark.takesCycleColor {
                color = Color.cycle[cycle % Color.cycle.count]
                cycle += 1
            }
            let placed = PlacedMark(mark: mark, color: color, barSlot: (barIndex, max(1, barCount)))
            if mark.barCategories != nil { barIndex += 1 }
            return placed
        }
    }

    var legendEntries: [LegendEntry] { mark.legendEntries(color: color) }
}

/// A color bar: the map's colors from the bottom of the range to the top, with ticks.
struct ColorBarLayout {
    var rect: Rect
    var colors: ColorScale
    /// Contour levels shown as flat bands (filled contours); nil or empty: a smooth ramp.
    var levels: [Double]?
    var ticks: [TickMark]
    var label: TextPlacement?

    init(_ colors: ColorScale, ticks: [Tick], in rect: Rect, levels: [Double]?, label: TextPlacement?,
         metrics: LayoutMetrics) {
        self.rect = rect
        self.colors = colors
        self.levels = levels
        self.label = label
        let barMap = AxisMap(domain: colors.range, scale: colors.scale, range: (rect.maxY, rect.minY))
        self.ticks = ticks.map { t in
            let py = metrics.snap(barMap.position(t.value), width: 0.9)
            return TickMark(line: Segment(from: Point(rect.maxX, py), to: Point(rect.maxX + 3.5, py)),
                            label: TextPlacement(text: t.label, at: Point(rect.maxX + 6, py), role: .tick,
                                                 horizontal: .leading, vertical: .middle))
        }
    }
}

/// A legend: a box of rows, each a swatch and a label.
struct LegendLayout {
    static let rowHeight = 17.0, swatchLength = 24.0, padding = 7.0, margin = 8.0

    struct Row {
        var entry: LegendEntry
        /// The left end of the swatch, at the middle of the row.
        var swatch: Point
        var label: TextPlacement
    }

    var box: Rect
    var rows: [Row]

    /// The legend of `entries` in a corner of `area`; `.automatic` takes the corner over the
    /// fewest of the canvas points `avoiding`.
    init(_ entries: [LegendEntry], in area: Rect, placement: LegendPlacement, avoiding: [Point],
         metrics: LayoutMetrics) {
        let pad = Self.padding
        let labelWidth = metrics.widest(entries.map(\.label), size: TypeSize.legend)
        let size = (width: pad + Self.swatchLength + 6 + labelWidth + pad,
                    height: pad + Self.rowHeight * Double(entries.count) + pad - 4)
        let corners = Self.corners(of: area, size: size)
        var chosen = placement
        if chosen == .automatic { chosen = Self.leastCovered(corners, size: size, avoiding: avoiding) }
        let origin = corners[chosen] ?? corners[.upperRight]!
        box = Rect(x: origin.x, y: origin.y, width: size.width, height: size.height)
        let box = self.box
        rows = entries.enumerated().map { k, entry in
            let cy = box.minY + pad + Self.rowHeight * (Double(k) + 0.5) - 2
            let sx = box.minX + pad
            let label = TextPlacement(text: entry.label, at: Point(sx + Self.swatchLength + 6, cy), role: .legend,
                                      horizontal: .leading, vertical: .middle)
            return Row(entry: entry, swatch: Point(sx, cy), label: label)
        }
    }

    /// The top-left corner of the box in each corner of `area`.
    static func corners(of area: Rect, size: (width: Double, height: Double)) -> [LegendPlacement: Point] {
        let (w, h) = size
        return [
            .upperRight: Point(area.maxX - margin - w, area.minY + margin),
            .upperLeft: Point(area.minX + margin, area.minY + margin),
            .lowerRight: Point(area.maxX - margin - w, area.maxY - margin - h),
            .lowerLeft: Point(area.minX + margin, area.maxY - margin - h),
        ]
    }

    /// The corner whose box covers the fewest points (the first such, upper right first).
    static func leastCovered(_ corners: [LegendPlacement: Point], size: (width: Double, height: Double),
                             avoiding points: [Point]) -> LegendPlacement {
        var best = LegendPlacement.upperRight
        var fewest = Int.max
        for candidate in [LegendPlacement.upperRight, .upperLeft, .lowerLeft, .lowerRight] {
            let o = corners[candidate]!
            let r = Rect(x: o.x, y: o.y, width: size.width, height: size.height)
            let count = points.filter { r.contains($0) }.count
            if count < fewest { fewest = count; best = candidate }
        }
        return best
    }
}
