import Foundation

/// A field painted pixel by pixel through the color map (bilinear between grid points).
public struct HeatmapMark: Mark {
    public var field: Field

    public var bounds: DataBounds? { DataBounds(x: field.x, y: field.y, exact: true) }
    public var colorValues: ClosedRange<Double>? { field.finiteRange() }
    public var positiveColorValues: ClosedRange<Double>? { field.finiteRange(positiveOnly: true) }
    public var takesCycleColor: Bool { false }
    public var fillsPlot: Bool { true }

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
    /// Writes each level's value beside its longest curve (line contours only, by default).
    public var labelled: Bool?

    public var bounds: DataBounds? { DataBounds(x: field.x, y: field.y, exact: true) }
    public var colorValues: ClosedRange<Double>? { field.finiteRange() }
    public var positiveColorValues: ClosedRange<Double>? { field.finiteRange(positiveOnly: true) }
    public var takesCycleColor: Bool { false }
    public var fillsPlot: Bool { filled }

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
            plot.paintBands(transformed, band: band, colors: bandColors)
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
            if labelled ?? !filled { drawLabels(longest, plot) }
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

    /// Paints filled contour bands: the band at each device pixel's center, and where a
    /// neighbour's band differs, the average over 4 × 4 subsamples (antialiased band edges).
    func paintBands(_ field: Field, band: (Double) -> Int, colors: [Color]) {
        let s = canvas.scale
        let x0 = Int((rect.minX * s).rounded()), x1 = Int((rect.maxX * s).rounded())
        let y0 = Int((rect.minY * s).rounded()), y1 = Int((rect.maxY * s).rounded())
        let w = max(0, x1 - x0), h = max(0, y1 - y0)
        guard w > 0, h > 0 else { return }
        let xs = (0..<w).map { x.value(at: (Double(x0 + $0) + 0.5) / s) }
        var bands = [Int](repeating: -1, count: w * h)
        for row in 0..<h {
            let yv = y.value(at: (Double(y0 + row) + 0.5) / s)
            for col in 0..<w {
                let u = field.interpolate(xs[col], yv)
                if !u.isNaN { bands[row * w + col] = band(u == -.infinity ? -1e300 : u) }
            }
        }
        let n = 4
        let offsets = (0..<n).map { (Double($0) + 0.5) / Double(n) }
        for row in 0..<h {
            for col in 0..<w {
                let b = bands[row * w + col]
                var uniform = b >= 0
                if uniform {
                    if col > 0, bands[row * w + col - 1] != b { uniform = false }
                    else if col + 1 < w, bands[row * w + col + 1] != b { uniform = false }
                    else if row > 0, bands[(row - 1) * w + col] != b { uniform = false }
                    else if row + 1 < h, bands[(row + 1) * w + col] != b { uniform = false }
                }
                if uniform { canvas.set(x0 + col, y0 + row, colors[b]); continue }
                var r = 0.0, g = 0.0, bl = 0.0, count = 0.0
                for oy in offsets {
                    let yv = y.value(at: (Double(y0 + row) + oy) / s)
                    for ox in offsets {
                        let u = field.interpolate(x.value(at: (Double(x0 + col) + ox) / s), yv)
                        if u.isNaN { continue }
                        let c = colors[band(u == -.infinity ? -1e300 : u)]
                        r += c.red; g += c.green; bl += c.blue; count += 1
                    }
                }
                if count > 0 {
                    canvas.set(x0 + col, y0 + row, Color(red: r / count, green: g / count, blue: bl / count,
                                                         alpha: count / Double(n * n)))
                }
            }
        }
    }
}
