import Foundation

/// Draws a panel's layout onto a canvas in a theme's colors: it decides nothing about where
/// things go, only how they look.
struct PanelPainter {
    let canvas: Canvas
    let theme: Theme

    func paint(_ layout: PanelLayout) {
        switch layout {
        case .chart(let chart): paint(chart)
        case .surface(let surface): paint(surface)
        }
    }

    /// Grid lines beneath the data, the marks clipped to the plot, then the frame, ticks and
    /// labels over them, the color bar and the legend.
    func paint(_ layout: ChartLayout) {
        for line in layout.gridLines { stroke(line, width: 0.8, color: theme.grid) }
        paintMarks(layout)
        canvas.strokeClosed(layout.spine, width: ChartLayout.spineWidth, color: theme.axis)
        for tick in layout.ticks { paint(tick, width: ChartLayout.spineWidth) }
        for line in layout.minorTicks { stroke(line, width: 0.6, color: theme.axis) }
        for label in layout.labels { paint(label) }
        if let bar = layout.colorBar { paint(bar) }
        if let legend = layout.legend { paint(legend) }
    }

    func paintMarks(_ layout: ChartLayout) {
        canvas.clip(to: layout.plot)
        for placed in layout.marks {
            var context = PlotContext(canvas: canvas, rect: layout.plot, x: layout.x, y: layout.y, theme: theme,
                                      colors: layout.colors ?? ColorScale(), levels: layout.levels,
                                      barSlot: placed.barSlot)
            context.overField = layout.overField
            context.contourLabels = layout.contourLabels
            placed.mark.draw(in: context, color: placed.color)
        }
        canvas.clip(to: nil)
    }

    // MARK: Pieces both kinds of panel have

    func stroke(_ line: Segment, width: Double, color: Color) {
        canvas.line(from: line.from, to: line.to, width: width, color: color)
    }

    func paint(_ text: TextPlacement) {
        let color: Color
        switch text.role {
        case .tick: color = theme.mutedText
        case .label, .title, .legend: color = theme.text
        }
        canvas.draw(text.text, at: text.at, size: text.role.size, color: color, horizontal: text.horizontal,
                    vertical: text.vertical, rotated: text.rotated)
    }

    func paint(_ tick: TickMark, width: Double) {
        stroke(tick.line, width: width, color: theme.axis)
        if let label = tick.label { paint(label) }
    }

    /// The bar row by row (a ramp, or flat bands at the levels), its outline, ticks and label.
    func paint(_ bar: ColorBarLayout) {
        let colors = bar.colors, rect = bar.rect
        let s = canvas.scale
        let y0 = Int((rect.minY * s).rounded()), y1 = Int((rect.maxY * s).rounded())
        let x0 = Int((rect.minX * s).rounded()), x1 = Int((rect.maxX * s).rounded())
        let a = colors.scale.forward(colors.range.lowerBound), b = colors.scale.forward(colors.range.upperBound)
        let levels = bar.levels ?? []
        let bands = levels.isEmpty ? nil : [colors.range.lowerBound] + levels + [colors.range.upperBound]
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
        canvas.strokeClosed([Point(rect.minX, rect.minY), Point(rect.maxX, rect.minY),
                             Point(rect.maxX, rect.maxY), Point(rect.minX, rect.maxY)], width: 0.8, color: theme.axis)
        for tick in bar.ticks { paint(tick, width: 0.9) }
        if let label = bar.label { paint(label) }
    }

    func paint(_ legend: LegendLayout) {
        let outline = Canvas.roundedRect(legend.box, radius: 3)
        canvas.fill(polygon: outline, color: theme.legendBackground)
        canvas.strokeClosed(outline, width: 0.7, color: theme.axis.opacity(0.45))
        let length = LegendLayout.swatchLength
        for row in legend.rows {
            let entry = row.entry
            let (sx, cy) = (row.swatch.x, row.swatch.y)
            switch entry.swatch {
            case .line(let style, let width, let marker):
                canvas.line(from: Point(sx, cy), to: Point(sx + length, cy), width: width, color: entry.color, style: style)
                if let marker { marker.draw(on: canvas, at: Point(sx + length / 2, cy), size: 6, fill: entry.color, edge: theme.background) }
            case .patch:
                canvas.fill(rect: Rect(x: sx + 2, y: cy - 5, width: length - 4, height: 10), color: entry.color)
            case .marker(let marker):
                marker.draw(on: canvas, at: Point(sx + length / 2, cy), size: 7, fill: entry.color, edge: theme.background)
            }
            paint(row.label)
        }
    }
}
