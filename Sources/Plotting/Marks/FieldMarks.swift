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
            plot.eachDevicePixel(samples: 2) { samples in
                // Average the band colors of 2×2 subsamples: antialiased band edges.
                var r = 0.0, g = 0.0, bl = 0.0, n = 0.0
                for (x, y) in samples {
                    let u = transformed.interpolate(x, y)
                    if u.isNaN { continue }
                    let c = bandColors[band(u == -.infinity ? -1e300 : u)]
                    r += c.red; g += c.green; bl += c.blue; n += 1
                }
                return n == 0 ? nil : Color(red: r / n, green: g / n, blue: bl / n, alpha: n / Double(samples.count))
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

    /// As above with `samples × samples` data points per device pixel.
    func eachDevicePixel(samples n: Int, _ shade: ([(Double, Double)]) -> Color?) {
        let s = canvas.scale
        let x0 = Int((rect.minX * s).rounded()), x1 = Int((rect.maxX * s).rounded())
        let y0 = Int((rect.minY * s).rounded()), y1 = Int((rect.maxY * s).rounded())
        let offsets = (0..<n).map { (Double($0) + 0.5) / Double(n) }
        let xs = (x0..<max(x0, x1)).map { px in offsets.map { x.value(at: (Double(px) + $0) / s) } }
        var buffer: [(Double, Double)] = []
        buffer.reserveCapacity(n * n)
        for py in y0..<max(y0, y1) {
            let ys = offsets.map { y.value(at: (Double(py) + $0) / s) }
            for (k, sx) in xs.enumerated() {
                buffer.removeAll(keepingCapacity: true)
                for yv in ys { for xv in sx { buffer.append((xv, yv)) } }
                if let c = shade(buffer) { canvas.set(x0 + k, py, c) }
            }
        }
    }
}
