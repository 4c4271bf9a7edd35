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
            let s = plot.canvas.scale
            plot.eachDevicePixel(samples: 2) { samples in
                // Average the band colors of 2×2 subsamples: antialiased band edges.
                var r = 0.0, g = 0.0, bl = 0.0, n = 0.0
                for (x, y) in samples {
                    let u = transformed.interpolate(x, y)
                    if u.isNaN { continue }
                    let c = bandColors[band(u == -.infinity ? -1e300 : u)]
                    r += c.red; g += c.green; bl += c.blue; n += 1
                }
                _ = s
                return n == 0 ? nil : Color(red: r / n, green: g / n, blue: bl / n, alpha: n / Double(samples.count))
            }
        }
        if lines {
            for (k, level) in levels.enumerated() {
                let lineColor = filled ? Color(hex: 0x000000, alpha: 0.28) : plot.colors.color(plot.levels[k])
                let width = filled ? 0.6 : 1.3
                for polyline in MarchingSquares.polylines(transformed, level: level) {
                    plot.canvas.stroke(polyline.map { plot.point($0.x, $0.y) }, width: width, color: lineColor)
                }
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
