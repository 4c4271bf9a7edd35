import Foundation

/// A field painted pixel by pixel through the color map (bilinear between grid points).
public struct HeatmapMark: Mark {
    public var field: Field

    public var bounds: DataBounds? { DataBounds(x: field.x, y: field.y, exact: true) }
    public var colorValues: ClosedRange<Double>? { field.finiteRange() }
    public var positiveColorValues: ClosedRange<Double>? { field.finiteRange(positiveOnly: true) }
    public var takesCycleColor: Bool { false }
    public var fillsPlot: Bool { true }
    public var chartName: String? { "Heatmap" }

    public func draw(in plot: PlotContext, color: Color) {
        let scale = plot.colors.scale
        let transformed = plot.colors.transformed(field)
        let a = scale.forward(plot.colors.range.lowerBound), b = scale.forward(plot.colors.range.upperBound)
        plot.eachDevicePixel { x, y in
            let u = transformed.interpolate(x, y)
            guard !u.isNaN else { return nil }
            let t = u == -.infinity ? 0 : (u - a) / (b - a)
            return plot.colors.map.color(at: t)
        }
    }
}

/// Level sets of a field: filled bands (each the color of its middle value) and/or lines.
public struct ContourMark: Mark {
    public var field: Field
    public var filled = true
    public var lines = true
    /// Writes each level's value beside its longest curve (nil: as the panel says, and by
    /// default on line contours only).
    public var labelled: Bool?

    public var bounds: DataBounds? { DataBounds(x: field.x, y: field.y, exact: true) }
    public var colorValues: ClosedRange<Double>? { field.finiteRange() }
    public var positiveColorValues: ClosedRange<Double>? { field.finiteRange(positiveOnly: true) }
    public var takesCycleColor: Bool { false }
    public var fillsPlot: Bool { filled }
    public var showsLevelBands: Bool { filled }
    public var chartName: String? { filled ? "Filled contour plot" : "Contour plot" }

    public func draw(in plot: PlotContext, color: Color) {
        let scale = plot.colors.scale
        let transformed = plot.colors.transformed(field)
        let levels = plot.levels.map { scale.forward($0) }
        if filled {
            let edges = [scale.forward(plot.colors.range.lowerBound)] + levels + [scale.forward(plot.colors.range.upperBound)]
            let bandColors = (0..<(edges.count - 1)).map { k in
                plot.colors.color(scale.inverse((edges[k] + edges[k + 1]) / 2))
            }
            func band(_ u: Double) -> Int {
                var lo = 0, hi = levels.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if u >= levels[mid] { lo = mid + 1 } else { hi = mid }
                }
                return lo
            }
            plot.paintClasses(colors: bandColors) { x, y in
                let u = transformed.interpolate(x, y)
                return u.isNaN ? -1 : band(u == -.infinity ? -1e300 : u)
            }
        }
        if lines {
            var longest: [(level: Double, line: [Point], color: Color)] = []
            for (k, level) in levels.enumerated() {
                let lineColor = filled ? Color(hex: 0x000000, alpha: 0.28) : plot.colors.color(plot.levels[k])
                let width = filled ? 0.6 : 1.3
                var best: [Point] = []
                var bestLength = 0.0
                for polyline in MarchingSquares.polylines(transformed, level: level) {
                    let screen = polyline.map { plot.point($0.x, $0.y) }
                    plot.canvas.stroke(screen, width: width, color: lineColor)
                    var length = 0.0
                    for i in 1..<max(1, screen.count) { length += (screen[i] - screen[i - 1]).length }
                    if length > bestLength { bestLength = length; best = screen }
                }
                if bestLength > 80 { longest.append((plot.levels[k], best, filled ? plot.theme.text : lineColor)) }
            }
            if labelled ?? plot.contourLabels ?? !filled { drawLabels(longest, plot) }
        }
    }

    /// One label per level, on a patch of background at a point of its longest curve; labels
    /// that would overlap one already placed (or leave the plot) move along the curve or drop.
    func drawLabels(_ curves: [(level: Double, line: [Point], color: Color)], _ plot: PlotContext) {
        let step = curves.count > 1 ? abs(curves[1].level - curves[0].level) : abs(curves.first?.level ?? 1)
        var placed: [Rect] = []
        let size = 9.5
        for (n, curve) in curves.enumerated() {
            let text = plot.colors.scale == .log ? Ticks.plain(curve.level)
                : Ticks.format(curve.level, step: step > 0 ? step : 1)
            let box = plot.canvas.measure(text, size: size)
            // Try positions along the curve, starting at a different fraction for neighbours.
            let fractions = [0.5, 0.3, 0.7, 0.15, 0.85].map { ($0 + Double(n % 3) * 0.11).truncatingRemainder(dividingBy: 1) }
            for f in fractions {
                let p = curve.line[min(curve.line.count - 1, Int(f * Double(curve.line.count)))]
                let rect = Rect(x: p.x - box.width / 2 - 2, y: p.y - box.height / 2, width: box.width + 4, height: box.height)
                guard rect.minX > plot.rect.minX + 2, rect.maxX < plot.rect.maxX - 2,
                      rect.minY > plot.rect.minY + 2, rect.maxY < plot.rect.maxY - 2 else { continue }
                if placed.contains(where: { $0.minX < rect.maxX && rect.minX < $0.maxX && $0.minY < rect.maxY && rect.minY < $0.maxY }) {
                    continue
                }
                placed.append(rect)
                if !filled { plot.canvas.fill(rect: rect, color: plot.theme.background) }
                plot.canvas.draw(text, at: p, size: size, color: curve.color, horizontal: .center, vertical: .middle)
                break
            }
        }
    }
}

extension PlotContext {
    /// Paints every device pixel of the plot with the color `shade` gives its data point
    /// (nil leaves the pixel alone).
    func eachDevicePixel(_ shade: (Double, Double) -> Color?) {
        let s = canvas.scale
        let x0 = Int((rect.minX * s).rounded()), x1 = Int((rect.maxX * s).rounded())
        let y0 = Int((rect.minY * s).rounded()), y1 = Int((rect.maxY * s).rounded())
        let xs = (x0..<max(x0, x1)).map { x.value(at: (Double($0) + 0.5) / s) }
        for py in y0..<max(y0, y1) {
            let yv = y.value(at: (Double(py) + 0.5) / s)
            for (k, xv) in xs.enumerated() {
                if let c = shade(xv, yv) { canvas.set(x0 + k, py, c) }
            }
        }
    }

    /// Paints every device pixel with the color of its class (−1: left alone): the class at
    /// the pixel's center, and where a neighbour's differs, the average over 4 × 4 subsamples
    /// (antialiased borders between filled contour bands or regions).
    func paintClasses(colors: [Color], _ classify: (Double, Double) -> Int) {
        let s = canvas.scale
        let x0 = Int((rect.minX * s).rounded()), x1 = Int((rect.maxX * s).rounded())
        let y0 = Int((rect.minY * s).rounded()), y1 = Int((rect.maxY * s).rounded())
        let w = max(0, x1 - x0), h = max(0, y1 - y0)
        guard w > 0, h > 0, !colors.isEmpty else { return }
        let xs = (0..<w).map { x.value(at: (Double(x0 + $0) + 0.5) / s) }
        var classes = [Int](repeating: -1, count: w * h)
        for row in 0..<h {
            let yv = y.value(at: (Double(y0 + row) + 0.5) / s)
            for col in 0..<w { classes[row * w + col] = min(colors.count - 1, classify(xs[col], yv)) }
        }
        let n = 4
        let offsets = (0..<n).map { (Double($0) + 0.5) / Double(n) }
        for row in 0..<h {
            for col in 0..<w {
                let b = classes[row * w + col]
                var uniform = true
                if col > 0, classes[row * w + col - 1] != b { uniform = false }
                else if col + 1 < w, classes[row * w + col + 1] != b { uniform = false }
                else if row > 0, classes[(row - 1) * w + col] != b { uniform = false }
                else if row + 1 < h, classes[(row + 1) * w + col] != b { uniform = false }
                if uniform {
                    if b >= 0 { canvas.set(x0 + col, y0 + row, colors[b]) }
                    continue
                }
                var r = 0.0, g = 0.0, bl = 0.0, a = 0.0
                for oy in offsets {
                    let yv = y.value(at: (Double(y0 + row) + oy) / s)
                    for ox in offsets {
                        let k = min(colors.count - 1, classify(x.value(at: (Double(x0 + col) + ox) / s), yv))
                        guard k >= 0 else { continue }
                        let c = colors[k]
                        r += c.red * c.alpha; g += c.green * c.alpha; bl += c.blue * c.alpha; a += c.alpha
                    }
                }
                if a > 0 {
                    canvas.blend(x0 + col, y0 + row, Color(red: r / a, green: g / a, blue: bl / a, alpha: 1),
                                 coverage: Float(a / Double(n * n)))
                }
            }
        }
    }
}

/// Regions of the plane labelled by an integer (which minimum a start converges to, which
/// class a model predicts), each painted a lightened color of the palette; negative labels (diverged,
/// undecided) stay uncolored. Colors, not labels, are interpolated between grid points, so
/// region borders are smooth.
public struct RegionMark: Mark {
    public var field: Field
    public var names: [String]
    /// How far the palette colors are lightened (towards white, the same in both themes).
    public var lightening = 0.25

    public var bounds: DataBounds? { DataBounds(x: field.x, y: field.y, exact: true) }
    public var takesCycleColor: Bool { false }
    public var fillsPlot: Bool { true }
    public var chartName: String? { "Map of regions" }

    public func draw(in plot: PlotContext, color: Color) {
        let f = field
        let colors = Color.cycle.map { $0.mixed(with: .white, lightening) }
        // The label whose bilinearly interpolated indicator is largest: borders run smoothly
        // between grid points instead of in steps.
        plot.paintClasses(colors: colors) { px, py in
            let u = (px - f.x.lowerBound) / (f.x.upperBound - f.x.lowerBound) * Double(f.columns - 1)
            let v = (py - f.y.lowerBound) / (f.y.upperBound - f.y.lowerBound) * Double(f.rows - 1)
            guard u >= 0, v >= 0, u <= Double(f.columns - 1), v <= Double(f.rows - 1) else { return -1 }
            let c = min(f.columns - 2, Int(u)), r = min(f.rows - 2, Int(v))
            let fu = u - Double(c), fv = v - Double(r)
            let corners = [(f[c, r], (1 - fu) * (1 - fv)), (f[c + 1, r], fu * (1 - fv)),
                           (f[c, r + 1], (1 - fu) * fv), (f[c + 1, r + 1], fu * fv)]
            var best = -1, bestWeight = -1.0
            for (label, _) in corners {
                let weight = corners.reduce(0.0) { $0 + ($1.0 == label ? $1.1 : 0) }
                if weight > bestWeight {
                    bestWeight = weight
                    best = label.isFinite && label >= 0 ? Int(label.rounded()) % Color.cycle.count : -1
                }
            }
            return best
        }
    }

    public func legendEntry(color: Color) -> LegendEntry? { nil }

    /// Legend rows, one per named label.
    public func legendEntries(color: Color) -> [LegendEntry] {
        names.enumerated().map { LegendEntry(label: $0.element, color: Color.cycle[$0.offset % Color.cycle.count].mixed(with: .white, lightening), swatch: .patch) }
    }
}
