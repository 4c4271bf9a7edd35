import Foundation

/// Where the legend goes.
public enum LegendPlacement: Sendable, Hashable {
    /// The inside corner that hides the least data.
    case automatic
    case upperRight, upperLeft, lowerRight, lowerLeft
    case hidden
}

/// One set of axes and the marks drawn in it.
struct Panel: Sendable {
    var title: String?
    var xLabel: String?
    var yLabel: String?
    var xScale: Scale = .linear
    var yScale: Scale = .linear
    var xRange: ClosedRange<Double>?
    var yRange: ClosedRange<Double>?
    var marks: [any Mark] = []
    var legend: LegendPlacement = .automatic
    var colorMap: ColorMap?
    var colorScale: Scale = .linear
    var colorRange: ClosedRange<Double>?
    var colorLabel: String?
    var showsColorBar = true
    var contourLevels: ContourLevels = .automatic(12)
    var categories: [String]?
    var grid = true
    var camera = Camera()
    var zLabel: String?
    /// The vertical extent of a 3-D surface's box (nil: the data's own range).
    var zRange: ClosedRange<Double>?
    /// Equal data units on both axes (circles look round).
    var equalAspect = false

    var surface: SurfaceMark? { marks.lazy.compactMap { $0 as? SurfaceMark }.first }

    func dataBounds() -> (x: ClosedRange<Double>, y: ClosedRange<Double>)? {
        var all = marks.compactMap(\.bounds)
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
        var x = xRange ?? bounds?.x ?? (xScale == .log ? 0.1...10 : 0...1)
        var y = yRange ?? bounds?.y ?? (yScale == .log ? 0.1...10 : 0...1)
        if let categories, xRange == nil { x = -0.5...(Double(categories.count) - 0.5) }
        if xScale == .log, x.lowerBound <= 0 { x = max(x.upperBound * 1e-6, 1e-300)...max(x.upperBound, 1e-299) }
        if yScale == .log, y.lowerBound <= 0 { y = max(y.upperBound * 1e-6, 1e-300)...max(y.upperBound, 1e-299) }
        if x.upperBound <= x.lowerBound { x = (x.lowerBound - 0.5)...(x.lowerBound + 0.5) }
        if y.upperBound <= y.lowerBound { y = (y.lowerBound - 0.5)...(y.lowerBound + 0.5) }
        return (x, y)
    }

    /// The shared color scale of the marks that map values to colors, if any.
    func colorScaleResolved() -> ColorScale? {
        let ranges = marks.compactMap(\.colorValues)
        guard let first = ranges.first else { return nil }
        var lo = first.lowerBound, hi = first.upperBound
        for r in ranges { lo = min(lo, r.lowerBound); hi = max(hi, r.upperBound) }
        let map = colorMap ?? .viridis
        if colorScale == .log {
            let positiveHi = max(hi, 1e-300)
            if lo <= 0 {
                let positive = marks.compactMap(\.positiveColorValues).map(\.lowerBound).min()
                lo = positive ?? positiveHi * 1e-6
            }
            hi = positiveHi
        }
        if map.isDiverging, colorScale == .linear, colorRange == nil {
            let m = max(abs(lo), abs(hi))
            lo = -m; hi = m
        }
        if hi <= lo { hi = lo + 1 }
        return ColorScale(map: map, range: colorRange ?? lo...hi, scale: colorScale)
    }

    func levels(for colors: ColorScale?) -> [Double] {
        guard let colors else { return [] }
        let lo = colors.range.lowerBound, hi = colors.range.upperBound
        switch contourLevels {
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

/// Contour levels: about `n` nice values across the color range, or given values.
public enum ContourLevels: Sendable, Hashable {
    case automatic(Int)
    case values([Double])
}

/// How a panel in a grid shares its axes with the others.
struct AxisSharing {
    var x: ClosedRange<Double>?
    var y: ClosedRange<Double>?
    var hideXTickLabels = false
    var hideYTickLabels = false
}

extension Panel {
    /// Draws the panel into `frame` (CSS pixels).
    func render(on canvas: Canvas, in frame: Rect, theme: Theme, sharing: AxisSharing = AxisSharing()) {
        if surface != nil {
            renderSurface(on: canvas, in: frame, theme: theme)
            return
        }
        var (xDomain, yDomain) = domains()
        if let shared = sharing.x { xDomain = shared }
        if let shared = sharing.y { yDomain = shared }
        let colors = colorScaleResolved()
        let showBar = showsColorBar && colors != nil

        // Ticks need the plot size, which needs the tick label sizes: estimate, then lay out.
        let xTarget = max(3, min(8, Int(frame.width / 85)))
        let yTarget = max(3, min(8, Int(frame.height / 55)))
        var xTicks = Ticks.ticks(xDomain.lowerBound, xDomain.upperBound, scale: xScale, target: xTarget)
        if let categories {
            xTicks = categories.enumerated().map { Tick(value: Double($0.offset), label: $0.element) }
        }
        let yTicks = Ticks.ticks(yDomain.lowerBound, yDomain.upperBound, scale: yScale, target: yTarget)
        let tickWidth = sharing.hideYTickLabels ? 0 :
            (yTicks.map { canvas.measure($0.label, size: TypeSize.tick).width }.max() ?? 0)
        let tickHeight = TypeSize.tick * 1.0

        var left = 8 + tickWidth + 8
        if yLabel != nil { left += TypeSize.label + 8 }
        var bottom = sharing.hideXTickLabels ? 8.0 : 8 + tickHeight + 6
        if xLabel != nil { bottom += TypeSize.label + 8 }
        let top = title != nil ? TypeSize.title + 16 : 12
        var right = 14.0
        var barTickWidth = 0.0
        var barTicks: [Tick] = []
        if showBar, let colors {
            barTicks = Ticks.ticks(colors.range.lowerBound, colors.range.upperBound, scale: colors.scale,
                                   target: max(3, Int(frame.height / 60)))
            barTickWidth = barTicks.map { canvas.measure($0.label, size: TypeSize.tick).width }.max() ?? 0
            right = 14 + 12 + 6 + barTickWidth + 8
            if colorLabel != nil { right += TypeSize.label + 8 }
        }
        if let last = xTicks.last, !sharing.hideXTickLabels {
            right = max(right, canvas.measure(last.label, size: TypeSize.tick).width / 2 + 6)
        }
        // Tick labels that would collide: numbers keep every k-th label, categories turn upright.
        let estimatedWidth = max(1, frame.width - left - right)
        let widest = xTicks.map { canvas.measure($0.label, size: TypeSize.tick).width }.max() ?? 0
        var labelEvery = 1
        var uprightCategories = false
        if !xTicks.isEmpty, !sharing.hideXTickLabels {
            let needed = Double(xTicks.count) * (widest + 10)
            if categories != nil {
                if needed > estimatedWidth {
                    uprightCategories = true
                    bottom += widest - tickHeight
                }
            } else {
                labelEvery = max(1, Int((needed / estimatedWidth).rounded(.up)))
            }
        }
        var plot = frame.inset(left: left, top: top, right: right, bottom: bottom)
        // Equal aspect shrinks the plot inside its room; the title and the x label follow it.
        let room = plot
        if equalAspect {
            let sx = plot.width / max(1e-12, xScale.forward(xDomain.upperBound) - xScale.forward(xDomain.lowerBound))
            let sy = plot.height / max(1e-12, yScale.forward(yDomain.upperBound) - yScale.forward(yDomain.lowerBound))
            if sx > sy {
                let w = plot.width * sy / sx
                plot = Rect(x: plot.x + (plot.width - w) / 2, y: plot.y, width: w, height: plot.height)
            } else {
                let h = plot.height * sx / sy
                plot = Rect(x: plot.x, y: plot.y + (plot.height - h) / 2, width: plot.width, height: h)
            }
        }
        let xMap = AxisMap(domain: xDomain, scale: xScale, range: (plot.minX, plot.maxX))
        let yMap = AxisMap(domain: yDomain, scale: yScale, range: (plot.maxY, plot.minY))
        let fills = marks.contains { $0.fillsPlot }

        // Grid beneath the data.
        if grid && !fills {
            for t in xTicks where categories == nil {
                let px = snap(xMap.position(t.value), canvas, width: 0.8)
                canvas.line(from: Point(px, plot.minY), to: Point(px, plot.maxY), width: 0.8, color: theme.grid)
            }
            for t in yTicks {
                let py = snap(yMap.position(t.value), canvas, width: 0.8)
                canvas.line(from: Point(plot.minX, py), to: Point(plot.maxX, py), width: 0.8, color: theme.grid)
            }
        }

        // Marks, clipped to the plot.
        let levels = levels(for: colors)
        let barCount = marks.filter { $0 is BarMark }.count
        var barIndex = 0
        var cycle = 0
        var legend: [LegendEntry] = []
        canvas.clip(to: plot)
        for mark in marks {
            var color = Color.cycle[0]
            if mark.takesCycleColor {
                color = Color.cycle[cycle % Color.cycle.count]
                cycle += 1
            }
            var context = PlotContext(canvas: canvas, rect: plot, x: xMap, y: yMap, theme: theme,
                                      colors: colors ?? ColorScale(), levels: levels,
                                      barSlot: (barIndex, max(1, barCount)))
            context.overField = fills
            if mark is BarMark { barIndex += 1 }
            mark.draw(in: context, color: color)
            if let entry = mark.legendEntry(color: color) { legend.append(entry) }
            if let regions = mark as? RegionMark { legend += regions.entries }
        }
        canvas.clip(to: nil)

        // Frame, ticks, labels.
        let tickLength = 4.0
        let spine = 0.9
        let box = [Point(plot.minX, plot.minY), Point(plot.maxX, plot.minY),
                   Point(plot.maxX, plot.maxY), Point(plot.minX, plot.maxY)]
        canvas.strokeClosed(box.map { Point(snap($0.x, canvas, width: spine), snap($0.y, canvas, width: spine)) },
                            width: spine, color: theme.axis)
        for (k, t) in xTicks.enumerated() {
            let px = snap(xMap.position(t.value), canvas, width: spine)
            guard px >= plot.minX - 0.5, px <= plot.maxX + 0.5 else { continue }
            canvas.line(from: Point(px, plot.maxY), to: Point(px, plot.maxY + tickLength), width: spine, color: theme.axis)
            guard !sharing.hideXTickLabels, k % labelEvery == 0 else { continue }
            if uprightCategories {
                canvas.draw(t.label, at: Point(px, plot.maxY + tickLength + 3), size: TypeSize.tick,
                            color: theme.mutedText, horizontal: .trailing, vertical: .middle, rotated: true)
            } else {
                canvas.draw(t.label, at: Point(px, plot.maxY + tickLength + 3), size: TypeSize.tick,
                            color: theme.mutedText, horizontal: .center, vertical: .top)
            }
        }
        for t in yTicks {
            let py = snap(yMap.position(t.value), canvas, width: spine)
            guard py >= plot.minY - 0.5, py <= plot.maxY + 0.5 else { continue }
            canvas.line(from: Point(plot.minX - tickLength, py), to: Point(plot.minX, py), width: spine, color: theme.axis)
            if !sharing.hideYTickLabels {
                canvas.draw(t.label, at: Point(plot.minX - tickLength - 3, py), size: TypeSize.tick,
                            color: theme.mutedText, horizontal: .trailing, vertical: .middle)
            }
        }
        if xScale == .log {
            for v in Ticks.logMinor(xDomain.lowerBound, xDomain.upperBound) {
                let px = xMap.position(v)
                canvas.line(from: Point(px, plot.maxY), to: Point(px, plot.maxY + 2.2), width: 0.6, color: theme.axis)
            }
        }
        if yScale == .log {
            for v in Ticks.logMinor(yDomain.lowerBound, yDomain.upperBound) {
                let py = yMap.position(v)
                canvas.line(from: Point(plot.minX - 2.2, py), to: Point(plot.minX, py), width: 0.6, color: theme.axis)
            }
        }
        if let xLabel {
            canvas.draw(xLabel, at: Point(plot.midX, frame.maxY - 6 - (room.maxY - plot.maxY)), size: TypeSize.label,
                        color: theme.text, horizontal: .center, vertical: .bottom)
        }
        if let yLabel {
            canvas.draw(yLabel, at: Point(plot.minX - left + 6, plot.midY), size: TypeSize.label,
                        color: theme.text, horizontal: .center, vertical: .top, rotated: true)
        }
        if let title {
            canvas.draw(title, at: Point(plot.midX, frame.minY + 8 + (plot.minY - room.minY)), size: TypeSize.title,
                        color: theme.text, horizontal: .center, vertical: .top)
        }
        if showBar, let colors {
            let barRect = Rect(x: plot.maxX + 14, y: plot.minY, width: 12, height: plot.height)
            drawColorBar(colors, ticks: barTicks, in: barRect, on: canvas, theme: theme,
                         levels: marks.contains { ($0 as? ContourMark)?.filled == true } ? levels : nil)
            if let colorLabel {
                canvas.draw(colorLabel, at: Point(barRect.maxX + 6 + barTickWidth + 8 + TypeSize.label, plot.midY),
                            size: TypeSize.label, color: theme.text, horizontal: .center, vertical: .bottom, rotated: true)
            }
        }
        if !legend.isEmpty, self.legend != .hidden {
            drawLegend(legend, in: plot, on: canvas, theme: theme, xMap: xMap, yMap: yMap)
        }
    }

    /// Puts a line of `width` on whole device pixels so thin axis lines stay crisp.
    func snap(_ v: Double, _ canvas: Canvas, width: Double) -> Double {
        let w = (width * canvas.scale).rounded()
        let device = v * canvas.scale
        let snapped = w.truncatingRemainder(dividingBy: 2) == 1 ? device.rounded(.down) + 0.5 : device.rounded()
        return snapped / canvas.scale
    }

    func drawColorBar(_ colors: ColorScale, ticks: [Tick], in rect: Rect, on canvas: Canvas, theme: Theme,
                      levels: [Double]?) {
        let s = canvas.scale
        let y0 = Int((rect.minY * s).rounded()), y1 = Int((rect.maxY * s).rounded())
        let x0 = Int((rect.minX * s).rounded()), x1 = Int((rect.maxX * s).rounded())
        let a = colors.scale.forward(colors.range.lowerBound), b = colors.scale.forward(colors.range.upperBound)
        let bands = (levels ?? []).isEmpty ? nil : [colors.range.lowerBound] + levels! + [colors.range.upperBound]
        for py in y0..<max(y0 + 1, y1) {
            let t = 1 - (Double(py) + 0.5 - Double(y0)) / Double(max(1, y1 - y0))
            var color = colors.map.color(at: t)
            if let bands {
                let v = colors.scale.inverse(a + t * (b - a))
                var k = 0
                while k + 1 < bands.count - 1, v >= bands[k + 1] { k += 1 }
                let mid = colors.scale.inverse((colors.scale.forward(bands[k]) + colors.scale.forward(bands[k + 1])) / 2)
                color = colors.color(mid)
            }
            for px in x0..<x1 { canvas.set(px, py, color) }
        }
        let barMap = AxisMap(domain: colors.range, scale: colors.scale, range: (rect.maxY, rect.minY))
        canvas.strokeClosed([Point(rect.minX, rect.minY), Point(rect.maxX, rect.minY),
                             Point(rect.maxX, rect.maxY), Point(rect.minX, rect.maxY)], width: 0.8, color: theme.axis)
        for t in ticks {
            let py = snap(barMap.position(t.value), canvas, width: 0.9)
            canvas.line(from: Point(rect.maxX, py), to: Point(rect.maxX + 3.5, py), width: 0.9, color: theme.axis)
            canvas.draw(t.label, at: Point(rect.maxX + 6, py), size: TypeSize.tick, color: theme.mutedText,
                        horizontal: .leading, vertical: .middle)
        }
    }

    func drawLegend(_ entries: [LegendEntry], in plot: Rect, on canvas: Canvas, theme: Theme,
                    xMap: AxisMap, yMap: AxisMap) {
        let rowHeight = 17.0, swatch = 24.0, pad = 7.0
        let labelWidth = entries.map { canvas.measure($0.label, size: TypeSize.legend).width }.max() ?? 0
        let w = pad + swatch + 6 + labelWidth + pad
        let h = pad + rowHeight * Double(entries.count) + pad - 4
        let margin = 8.0
        let corners: [LegendPlacement: Point] = [
            .upperRight: Point(plot.maxX - margin - w, plot.minY + margin),
            .upperLeft: Point(plot.minX + margin, plot.minY + margin),
            .lowerRight: Point(plot.maxX - margin - w, plot.maxY - margin - h),
            .lowerLeft: Point(plot.minX + margin, plot.maxY - margin - h),
        ]
        var placement = legend
        if placement == .automatic {
            // The corner over the fewest data points.
            var best = LegendPlacement.upperRight
            var fewest = Int.max
            for candidate in [LegendPlacement.upperRight, .upperLeft, .lowerLeft, .lowerRight] {
                let o = corners[candidate]!
                let r = Rect(x: o.x, y: o.y, width: w, height: h)
                var count = 0
                for mark in marks {
                    for p in legendAvoidancePoints(mark) where r.contains(Point(xMap.position(p.x), yMap.position(p.y))) {
                        count += 1
                    }
                }
                if count < fewest { fewest = count; best = candidate }
            }
            placement = best
        }
        let origin = corners[placement] ?? corners[.upperRight]!
        let box = Rect(x: origin.x, y: origin.y, width: w, height: h)
        let outline = Canvas.roundedRect(box, radius: 3)
        canvas.fill(polygon: outline, color: theme.legendBackground)
        canvas.strokeClosed(outline, width: 0.7, color: theme.axis.opacity(0.45))
        for (k, entry) in entries.enumerated() {
            let cy = box.minY + pad + rowHeight * (Double(k) + 0.5) - 2
            let sx = box.minX + pad
            switch entry.swatch {
            case .line(let style, let width, let marker):
                canvas.line(from: Point(sx, cy), to: Point(sx + swatch, cy), width: width, color: entry.color, style: style)
                if let marker { marker.draw(on: canvas, at: Point(sx + swatch / 2, cy), size: 6, fill: entry.color, edge: theme.background) }
            case .patch:
                canvas.fill(rect: Rect(x: sx + 2, y: cy - 5, width: swatch - 4, height: 10), color: entry.color)
            case .marker(let marker):
                marker.draw(on: canvas, at: Point(sx + swatch / 2, cy), size: 7, fill: entry.color, edge: theme.background)
            }
            canvas.draw(entry.label, at: Point(sx + swatch + 6, cy), size: TypeSize.legend, color: theme.text,
                        horizontal: .leading, vertical: .middle)
        }
    }

    func legendAvoidancePoints(_ mark: any Mark) -> [(x: Double, y: Double)] {
        switch mark {
        case let m as LineMark: return m.samplePoints
        case let m as ScatterMark: return Array(zip(m.xs, m.ys)).map { ($0.0, $0.1) }
        case let m as PathMark: return m.points.map { ($0.x, $0.y) }
        case let m as HistogramMark: return m.samplePoints
        default: return []
        }
    }
}
