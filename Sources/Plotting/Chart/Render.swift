import Foundation

extension Figure {
    /// Draws the figure on a new canvas at `pixelDensity` device pixels per CSS pixel.
    public func canvas(theme: Theme = .light) -> Canvas {
        let zoom = max(1e-3, typeScale)
        let canvas = Canvas(width: Int((width * pixelDensity).rounded()), height: Int((height * pixelDensity).rounded()),
                            scale: pixelDensity * zoom, background: theme.background)
        var area = Rect(x: 0, y: 0, width: width / zoom, height: height / zoom)
        if let suptitle, panels.count > 1 {
            canvas.draw(suptitle, at: Point(area.width / 2, 8), size: TypeSize.title, color: theme.text,
                        horizontal: .center, vertical: .top)
            area = area.inset(top: TypeSize.title + 12)
        }
        let count = panels.count
        let columns = min(max(1, self.columns), max(1, count))
        let rows = max(1, (count + columns - 1) / columns)
        var sharedXRange: ClosedRange<Double>?
        var sharedYRange: ClosedRange<Double>?
        if sharedX || sharedY {
            let all = panels.map { $0.domains() }
            if sharedX, let f = all.first {
                sharedXRange = all.reduce(f.x) { min($0.lowerBound, $1.x.lowerBound)...max($0.upperBound, $1.x.upperBound) }
            }
            if sharedY, let f = all.first {
                sharedYRange = all.reduce(f.y) { min($0.lowerBound, $1.y.lowerBound)...max($0.upperBound, $1.y.upperBound) }
            }
        }
        let cellWidth = area.width / Double(columns), cellHeight = area.height / Double(rows)
        for (k, panel) in panels.enumerated() {
            let row = k / columns, column = k % columns
            let frame = Rect(x: area.x + Double(column) * cellWidth, y: area.y + Double(row) * cellHeight,
                             width: cellWidth, height: cellHeight)
            var sharing = AxisSharing(x: sharedXRange, y: sharedYRange)
            let bottomRow = row == rows - 1 || k + columns >= count
            sharing.hideXTickLabels = sharedX && !bottomRow
            sharing.hideYTickLabels = sharedY && column > 0
            var p = panel
            if theme.isDark { p.coloring.map = (p.coloring.map ?? .viridis).onDarkBackground }
            if sharedX && !bottomRow { p.xLabel = nil }
            if sharedY && column > 0 { p.yLabel = nil }
            p.render(on: canvas, in: frame, theme: theme, sharing: sharing)
        }
        return canvas
    }

    /// The figure as PNG bytes (deterministic: same figure, same bytes).
    public func png(theme: Theme = .light) throws -> [UInt8] {
        try canvas(theme: theme).png()
    }

    /// Writes the PNG to `path` (e.g. to look at a figure while developing).
    public func write(to path: String, theme: Theme = .light) throws {
        let bytes = try png(theme: theme)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}
