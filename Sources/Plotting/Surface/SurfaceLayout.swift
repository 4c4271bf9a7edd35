import Foundation

/// A surface panel laid out in its frame: the box's panes and their grid, the shaded mesh,
/// the marks that ride on the surface, tick and axis labels, the legend, the title and the
/// color bar.
struct SurfaceLayout {
    var frame: Rect
    var box: SurfaceBox
    /// The floor and the two back walls, on the screen.
    var panes: [[Point]]
    var paneGrid: [Segment]
    var mesh: SurfaceMesh
    /// The marks drawn over the surface (paths), with their colors.
    var paths: [PlacedMark]
    /// Tick labels on the front edges of the floor and on a side edge for z.
    var tickLabels: [TextPlacement] = []
    /// The x, y and z axis labels.
    var labels: [TextPlacement] = []
    var legend: LegendLayout?
    var title: TextPlacement?
    var colorBar: ColorBarLayout?

    /// Nil when nothing has a color value (a field of NaN): nothing is drawn then.
    init?(_ surface: Surface, of panel: Panel, in frame: Rect, metrics: LayoutMetrics) {
        guard let colors = panel.colorScaleResolved() else { return nil }
        let showsBar = panel.coloring.showsBar
        // The title above, the color bar at the right, room for tick labels around the box.
        let top = panel.title != nil ? TypeSize.title + 18 : 12
        let barTicks = showsBar ? Ticks.ticks(colors.range.lowerBound, colors.range.upperBound,
                                              scale: colors.scale, target: max(3, Int(frame.height / 70))) : []
        let barTickWidth = metrics.widest(barTicks.map(\.label), size: TypeSize.tick)
        let right = showsBar ? 14 + 12 + 6 + barTickWidth + 10 + (panel.coloring.label != nil ? TypeSize.label + 8 : 0) : 10.0
        let area = frame.inset(left: 40, top: top + 6, right: right + 30, bottom: 34)
        self.frame = frame
        let box = SurfaceBox(surface, fittedTo: area, frame: frame, barExtent: showsBar ? 36 + right - 14 : 0)
        self.box = box
        let field = surface.field
        let ticks = (x: Ticks.linear(field.x.lowerBound, field.x.upperBound, target: 5),
                     y: Ticks.linear(field.y.lowerBound, field.y.upperBound, target: 5),
                     z: Ticks.linear(box.z0, box.z1, target: 5))
        panes = box.panes.map { box.screen($0) }
        paneGrid = box.paneGrid(x: ticks.x, y: ticks.y, z: ticks.z)
        mesh = SurfaceMesh(box, colors: colors)
        paths = PlacedMark.placing(panel.marks.filter(\.ridesOnSurface))
        tickLabels = tickLabels(ticks, metrics: metrics)
        labels = axisLabels(panel.xLabel, panel.yLabel, surface.zLabel, zTicks: ticks.z, metrics: metrics)
        legend = legend(panel.legend, in: frame.inset(left: 4, top: top, right: right + 4, bottom: 4), metrics: metrics)
        title = panel.title.map { TextPlacement(text: $0, at: Point(frame.midX, frame.minY + 8), role: .title,
                                                horizontal: .center, vertical: .top) }
        if showsBar {
            colorBar = colorBar(colors, ticks: barTicks, tickWidth: barTickWidth, label: panel.coloring.label,
                                right: right, area: area, metrics: metrics)
        }
    }

    /// Tick labels on the front edges of the floor and on a side edge for z; a label that
    /// would overlap one already placed (at the box's corners) is left out.
    func tickLabels(_ ticks: (x: [Tick], y: [Tick], z: [Tick]), metrics: LayoutMetrics) -> [TextPlacement] {
        var out: [TextPlacement] = []
        var placed: [Rect] = []
        func label(_ text: String, at p: Point, horizontal: HorizontalAnchor) {
            let size = metrics.measure(text, size: TypeSize.tick)
            let x = horizontal == .center ? p.x - size.width / 2 : p.x - size.width
            let box = Rect(x: x - 2, y: p.y - size.height / 2 - 1, width: size.width + 4, height: size.height + 2)
            let overlaps = placed.contains { r in
                r.minX < box.maxX && box.minX < r.maxX && r.minY < box.maxY && box.minY < r.maxY
            }
            guard !overlaps else { return }
            placed.append(box)
            out.append(TextPlacement(text: text, at: p, role: .tick, horizontal: horizontal, vertical: .middle))
        }
        for t in ticks.x {
            label(t.label, at: box.screen(Vector3(box.X(t.value), -box.yBack * 1.16, box.zFloor)), horizontal: .center)
        }
        for t in ticks.y {
            label(t.label, at: box.screen(Vector3(-box.xBack * 1.16, box.Y(t.value), box.zFloor)), horizontal: .center)
        }
        let zCorner = box.zCorner
        for t in ticks.z {
            let p = box.screen(Vector3(zCorner.0 * 1.04, zCorner.1 * 1.04, box.Z(t.value)))
            label(t.label, at: Point(p.x - 4, p.y), horizontal: .trailing)
        }
        return out
    }

    /// The x and y labels beyond the floor's front edges, the z label left of its tick labels.
    func axisLabels(_ xLabel: String?, _ yLabel: String?, _ zLabel: String?, zTicks: [Tick],
                    metrics: LayoutMetrics) -> [TextPlacement] {
        var out: [TextPlacement] = []
        if let xLabel {
            out.append(TextPlacement(text: xLabel, at: box.screen(Vector3(0, -box.yBack * 1.42, box.zFloor)),
                                     role: .label, horizontal: .center, vertical: .middle))
        }
        if let yLabel {
            out.append(TextPlacement(text: yLabel, at: box.screen(Vector3(-box.xBack * 1.42, 0, box.zFloor)),
                                     role: .label, horizontal: .center, vertical: .middle))
        }
        if let zLabel {
            // Left of the widest z tick label (which ends 4 px left of the axis), never over it.
            let zCorner = box.zCorner
            let p = box.screen(Vector3(zCorner.0 * 1.04, zCorner.1 * 1.04, 0))
            let widest = metrics.widest(zTicks.map(\.label), size: TypeSize.tick)
            let labelHeight = metrics.measure(zLabel, size: TypeSize.label).height
            // Rotated a quarter turn, the label's top faces left: it spans [x, x + height].
            let x = p.x - 4 - widest - 6 - labelHeight
            out.append(TextPlacement(text: zLabel, at: Point(max(frame.minX + 2, x), p.y), role: .label,
                                     horizontal: .center, vertical: .top, rotated: true))
        }
        return out
    }

    /// The paths' legend, in the upper left unless placed elsewhere (there is no data to avoid).
    func legend(_ placement: LegendPlacement, in area: Rect, metrics: LayoutMetrics) -> LegendLayout? {
        let entries = paths.flatMap(\.legendEntries)
        guard !entries.isEmpty, placement != .hidden else { return nil }
        return LegendLayout(entries, in: area, placement: placement == .automatic ? .upperLeft : placement,
                            avoiding: [], metrics: metrics)
    }

    /// The color bar right of the box, centred on the box's height.
    func colorBar(_ colors: ColorScale, ticks: [Tick], tickWidth: Double, label: String?, right: Double,
                  area: Rect, metrics: LayoutMetrics) -> ColorBarLayout {
        let barHeight = min(area.height * 0.75, 260)
        let boxRight = SurfaceBox.corners.map { box.screen($0).x }.max() ?? frame.maxX
        let rect = Rect(x: min(frame.maxX - right + 14, boxRight + 36), y: area.midY - barHeight / 2, width: 12,
                        height: barHeight)
        let label = label.map { text in
            TextPlacement(text: text, at: Point(rect.maxX + 6 + tickWidth + 10 + TypeSize.label, rect.midY),
                          role: .label, horizontal: .center, vertical: .bottom, rotated: true)
        }
        return ColorBarLayout(colors, ticks: ticks, in: rect, levels: nil, label: label, metrics: metrics)
    }
}
