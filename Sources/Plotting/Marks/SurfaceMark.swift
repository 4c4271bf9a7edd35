import Foundation

/// Where the 3-D camera looks from: azimuth around the vertical axis and elevation above the
/// floor, in degrees (matplotlib's defaults).
public struct Camera: Sendable, Hashable {
    public var azimuth: Double = -60
    public var elevation: Double = 30
    public init(azimuth: Double = -60, elevation: Double = 30) {
        self.azimuth = azimuth
        self.elevation = elevation
    }
}

/// A field drawn as a shaded surface `z = f(x, y)` in perspective, colored by height, like
/// the loss-landscape figures of Li et al. (2018). The panel draws it (it has no 2-D axes).
public struct SurfaceMark: Mark {
    public var field: Field
    public var bounds: DataBounds? { DataBounds(x: field.x, y: field.y, exact: true) }
    public var colorValues: ClosedRange<Double>? { field.finiteRange() }
    public var positiveColorValues: ClosedRange<Double>? { field.finiteRange(positiveOnly: true) }
    public var takesCycleColor: Bool { false }
    public func draw(in plot: PlotContext, color: Color) {}
}

/// 3-vectors for the camera.
struct Vector3 {
    var x, y, z: Double
    init(_ x: Double, _ y: Double, _ z: Double) { self.x = x; self.y = y; self.z = z }
    static func + (a: Vector3, b: Vector3) -> Vector3 { Vector3(a.x + b.x, a.y + b.y, a.z + b.z) }
    static func - (a: Vector3, b: Vector3) -> Vector3 { Vector3(a.x - b.x, a.y - b.y, a.z - b.z) }
    static func * (a: Vector3, s: Double) -> Vector3 { Vector3(a.x * s, a.y * s, a.z * s) }
    func dot(_ b: Vector3) -> Double { x * b.x + y * b.y + z * b.z }
    func cross(_ b: Vector3) -> Vector3 { Vector3(y * b.z - z * b.y, z * b.x - x * b.z, x * b.y - y * b.x) }
    var normalized: Vector3 { let l = dot(self).squareRoot(); return l > 0 ? self * (1 / l) : self }
}

/// A perspective camera on the normalized box [−1, 1]² × [−h, h], fitted to a rectangle.
struct Projection {
    let eye: Vector3
    let forward: Vector3
    let right: Vector3
    let up: Vector3
    /// Unit vector from the scene towards the eye.
    let towardsEye: Vector3
    var scale = 1.0
    var center = Point(0, 0)

    init(camera: Camera, distance: Double = 7) {
        let a = camera.azimuth * .pi / 180, e = camera.elevation * .pi / 180
        towardsEye = Vector3(cos(e) * cos(a), cos(e) * sin(a), sin(e))
        eye = towardsEye * distance
        forward = towardsEye * -1
        right = forward.cross(Vector3(0, 0, 1)).normalized
        up = right.cross(forward)
    }

    /// Screen position before fitting (y up) and depth along the view direction.
    func raw(_ p: Vector3) -> (Point, Double) {
        let q = p - eye
        let depth = q.dot(forward)
        return (Point(q.dot(right) / depth, q.dot(up) / depth), depth)
    }

    func screen(_ p: Vector3) -> Point {
        let (r, _) = raw(p)
        return Point(center.x + r.x * scale, center.y - r.y * scale)
    }

    mutating func fit(_ points: [Vector3], into rect: Rect) {
        let raws = points.map { raw($0).0 }
        let minX = raws.map(\.x).min()!, maxX = raws.map(\.x).max()!
        let minY = raws.map(\.y).min()!, maxY = raws.map(\.y).max()!
        scale = min(rect.width / (maxX - minX), rect.height / (maxY - minY))
        center = Point(rect.midX - (minX + maxX) / 2 * scale, rect.midY + (minY + maxY) / 2 * scale)
    }
}

extension Panel {
    func renderSurface(on canvas: Canvas, in frame: Rect, theme: Theme) {
        guard let mark = surface, let colors = colorScaleResolved() else { return }
        let field = mark.field
        let zRange = self.zRange ?? field.finiteRange() ?? (0...1)
        let z0 = zRange.lowerBound, z1 = zRange.upperBound > zRange.lowerBound ? zRange.upperBound : zRange.lowerBound + 1
        let h = 0.72
        func X(_ x: Double) -> Double { 2 * (x - field.x.lowerBound) / (field.x.upperBound - field.x.lowerBound) - 1 }
        func Y(_ y: Double) -> Double { 2 * (y - field.y.lowerBound) / (field.y.upperBound - field.y.lowerBound) - 1 }
        func Z(_ z: Double) -> Double { (2 * (min(max(z, z0), z1) - z0) / (z1 - z0) - 1) * h }

        // Layout: title above, color bar at the right, room for tick labels around the box.
        let top = title != nil ? TypeSize.title + 18 : 12
        var right = 10.0
        let barTicks = showsColorBar ? Ticks.ticks(colors.range.lowerBound, colors.range.upperBound,
                                                   scale: colors.scale, target: max(3, Int(frame.height / 70))) : []
        if showsColorBar {
            let w = barTicks.map { canvas.measure($0.label, size: TypeSize.tick).width }.max() ?? 0
            right = 14 + 12 + 6 + w + 10 + (colorLabel != nil ? TypeSize.label + 8 : 0)
        }
        let area = frame.inset(left: 40, top: top + 6, right: right + 30, bottom: 34)
        var camera = Projection(camera: self.camera)
        let corners = [-1.0, 1].flatMap { a in [-1.0, 1].flatMap { b in [-h, h].map { Vector3(a, b, $0) } } }
        camera.fit(corners, into: area)
        // Center the box and its color bar together in the frame.
        let screenXs = corners.map { camera.screen($0).x }
        let boxWidth = (screenXs.max() ?? 0) - (screenXs.min() ?? 0)
        let barExtent = showsColorBar ? 36 + right - 14 : 0
        let shift = frame.minX + (frame.width - boxWidth - barExtent) / 2 - (screenXs.min() ?? 0)
        camera.center.x += shift

        let d = camera.towardsEye
        let xBack = d.x > 0 ? -1.0 : 1.0, yBack = d.y > 0 ? -1.0 : 1.0
        let zFloor = d.z >= 0 ? -h : h
        let xTicks = Ticks.linear(field.x.lowerBound, field.x.upperBound, target: 5)
        let yTicks = Ticks.linear(field.y.lowerBound, field.y.upperBound, target: 5)
        let zTicks = Ticks.linear(z0, z1, target: 5)
        func poly(_ ps: [Vector3]) -> [Point] { ps.map { camera.screen($0) } }
        func segment(_ a: Vector3, _ b: Vector3, _ width: Double, _ color: Color) {
            canvas.line(from: camera.screen(a), to: camera.screen(b), width: width, color: color)
        }

        // Back panes with their grid lines.
        let floor = [Vector3(-1, -1, zFloor), Vector3(1, -1, zFloor), Vector3(1, 1, zFloor), Vector3(-1, 1, zFloor)]
        let xWall = [Vector3(xBack, -1, -h), Vector3(xBack, 1, -h), Vector3(xBack, 1, h), Vector3(xBack, -1, h)]
        let yWall = [Vector3(-1, yBack, -h), Vector3(1, yBack, -h), Vector3(1, yBack, h), Vector3(-1, yBack, h)]
        for pane in [floor, xWall, yWall] { canvas.fill(polygon: poly(pane), color: theme.pane) }
        let gridColor = theme.paneGrid
        for t in xTicks {
            let x = X(t.value)
            segment(Vector3(x, -1, zFloor), Vector3(x, 1, zFloor), 0.7, gridColor)
            segment(Vector3(x, yBack, -h), Vector3(x, yBack, h), 0.7, gridColor)
        }
        for t in yTicks {
            let y = Y(t.value)
            segment(Vector3(-1, y, zFloor), Vector3(1, y, zFloor), 0.7, gridColor)
            segment(Vector3(xBack, y, -h), Vector3(xBack, y, h), 0.7, gridColor)
        }
        for t in zTicks {
            let z = Z(t.value)
            segment(Vector3(xBack, -1, z), Vector3(xBack, 1, z), 0.7, gridColor)
            segment(Vector3(-1, yBack, z), Vector3(1, yBack, z), 0.7, gridColor)
        }
        for pane in [floor, xWall, yWall] { canvas.strokeClosed(poly(pane), width: 0.8, color: theme.axis.opacity(0.6)) }

        // The surface: quads far to near (painter's order), each Gouraud-shaded (as two
        // triangles); vertex colors come from the color map at the vertex height, lit by a
        // Lambert term and a little specular light with the normal from central differences.
        let light = (d * 0.55 + Vector3(0, 0, 1) * 0.8 + camera.right * -0.35).normalized
        let halfway = (light + d).normalized
        let cols = field.columns, rows = field.rows
        var world = [Vector3](repeating: Vector3(0, 0, 0), count: cols * rows)
        for r in 0..<rows {
            for c in 0..<cols {
                world[r * cols + c] = Vector3(X(field.xAt(Double(c))), Y(field.yAt(Double(r))), Z(field[c, r]))
            }
        }
        var vertexColors = [Color](repeating: .black, count: cols * rows)
        for r in 0..<rows {
            for c in 0..<cols {
                let i = r * cols + c
                guard world[i].z.isFinite else { continue }
                let left = world[r * cols + max(0, c - 1)], right = world[r * cols + min(cols - 1, c + 1)]
                let down = world[max(0, r - 1) * cols + c], upward = world[min(rows - 1, r + 1) * cols + c]
                var n = (right - left).cross(upward - down).normalized
                if !(n.x.isFinite && n.y.isFinite && n.z.isFinite) || n.dot(n) < 0.5 { n = Vector3(0, 0, 1) }
                if n.dot(d) < 0 { n = n * -1 }
                let diffuse = max(0, n.dot(light))
                let specular = pow(max(0, n.dot(halfway)), 36) * 0.22
                vertexColors[i] = colors.color(field[c, r]).shaded(0.5 + 0.6 * diffuse).mixed(with: .white, specular)
            }
        }
        struct Quad { var depth: Double; var index: Int }
        var quads: [Quad] = []
        quads.reserveCapacity((cols - 1) * (rows - 1))
        for r in 0..<(rows - 1) {
            for c in 0..<(cols - 1) {
                let i = r * cols + c
                let corners = [world[i], world[i + 1], world[i + cols + 1], world[i + cols]]
                guard corners.allSatisfy({ $0.z.isFinite }) else { continue }
                // Back to front by the quad's place on the floor, not by its 3-D centre: seen
                // from above, a height field is drawn right in that order, while a steep wall's
                // raised centre would sort it behind the floor it hides (the hole of Fig 1.2).
                let centre = (corners[0] + corners[1] + corners[2] + corners[3]) * 0.25
                let depth = camera.raw(Vector3(centre.x, centre.y, 0)).1
                quads.append(Quad(depth: depth, index: i))
            }
        }
        quads.sort { $0.depth != $1.depth ? $0.depth > $1.depth : $0.index < $1.index }
        let dilation = 1.0 / canvas.scale
        for q in quads {
            let ids = [q.index, q.index + 1, q.index + cols + 1, q.index + cols]
            let screen = ids.map { camera.screen(world[$0]) }
            let shades = ids.map { vertexColors[$0] }
            canvas.fill(quad: screen, colors: shades, dilation: dilation)
        }
        // The two edges facing the viewer get a wall down to the floor, so the surface reads as
        // a solid: through the gap under a raised front edge one would otherwise see a pit
        // further back, a hole in the picture. The walls are nearest to the eye: drawn last.
        let frontRow = yBack > 0 ? 0 : rows - 1, frontColumn = xBack > 0 ? 0 : cols - 1
        let frontEdges = [(0..<cols).map { frontRow * cols + $0 }, (0..<rows).map { $0 * cols + frontColumn }]
        // Each wall is one polygon in one color (the edge's mean color toward the panes'), so no seams.
        for edge in frontEdges {
            let finite = edge.filter { world[$0].z.isFinite }
            guard finite.count == edge.count, let first = finite.first, let last = finite.last else { continue }
            let outline = finite.map { world[$0] } + [Vector3(world[last].x, world[last].y, zFloor), Vector3(world[first].x, world[first].y, zFloor)]
            let n = Double(finite.count)
            let sum = finite.reduce((0.0, 0.0, 0.0)) { s, i in (s.0 + vertexColors[i].red, s.1 + vertexColors[i].green, s.2 + vertexColors[i].blue) }
            canvas.fill(polygon: poly(outline), color: Color(red: sum.0 / n, green: sum.1 / n, blue: sum.2 / n).shaded(0.8).mixed(with: theme.pane, 0.55))
        }

        // Paths ride on the surface, drawn over it (a path behind a hill shows through).
        var legend: [LegendEntry] = []
        var cycle = 0
        for mark in marks {
            guard let path = mark as? PathMark else { continue }
            let color = path.color ?? Color.cycle[cycle % Color.cycle.count]
            if path.color == nil { cycle += 1 }
            let screen = path.points.map { p -> Point in
                let z = field.interpolate(p.x, p.y)
                guard z.isFinite else { return Point(.nan, .nan) }
                return camera.screen(Vector3(X(p.x), Y(p.y), Z(z) + 0.004))
            }
            path.draw(screen: screen, on: canvas, color: color, halo: Color.white.opacity(0.9), startFill: .white)
            if let entry = path.legendEntry(color: color) { legend.append(entry) }
        }

        // Tick labels on the front edges of the floor and on a side edge for z; a label that
        // would overlap one already drawn (at the box's corners) is left out.
        let labelColor = theme.mutedText
        var placed: [Rect] = []
        func label(_ text: String, at p: Point, horizontal: HorizontalAnchor) {
            let size = canvas.measure(text, size: TypeSize.tick)
            let x = horizontal == .center ? p.x - size.width / 2 : p.x - size.width
            let box = Rect(x: x - 2, y: p.y - size.height / 2 - 1, width: size.width + 4, height: size.height + 2)
            let overlaps = placed.contains { r in
                r.minX < box.maxX && box.minX < r.maxX && r.minY < box.maxY && box.minY < r.maxY
            }
            guard !overlaps else { return }
            placed.append(box)
            canvas.draw(text, at: p, size: TypeSize.tick, color: labelColor, horizontal: horizontal, vertical: .middle)
        }
        for t in xTicks {
            label(t.label, at: camera.screen(Vector3(X(t.value), -yBack * 1.16, zFloor)), horizontal: .center)
        }
        for t in yTicks {
            label(t.label, at: camera.screen(Vector3(-xBack * 1.16, Y(t.value), zFloor)), horizontal: .center)
        }
        // z on whichever side corner is further left on screen.
        let sideCorners = [(xBack, -yBack), (-xBack, yBack)]
        let zCorner = sideCorners.min { camera.screen(Vector3($0.0, $0.1, 0)).x < camera.screen(Vector3($1.0, $1.1, 0)).x }!
        for t in zTicks {
            let p = camera.screen(Vector3(zCorner.0 * 1.04, zCorner.1 * 1.04, Z(t.value)))
            label(t.label, at: Point(p.x - 4, p.y), horizontal: .trailing)
        }
        if let xLabel {
            let p = camera.screen(Vector3(0, -yBack * 1.42, zFloor))
            canvas.draw(xLabel, at: p, size: TypeSize.label, color: theme.text, horizontal: .center, vertical: .middle)
        }
        if let yLabel {
            let p = camera.screen(Vector3(-xBack * 1.42, 0, zFloor))
            canvas.draw(yLabel, at: p, size: TypeSize.label, color: theme.text, horizontal: .center, vertical: .middle)
        }
        if let zLabel {
            // Left of the widest z tick label (which ends 4 px left of the axis), never over it.
            let p = camera.screen(Vector3(zCorner.0 * 1.04, zCorner.1 * 1.04, 0))
            let widest = zTicks.map { canvas.measure($0.label, size: TypeSize.tick).width }.max() ?? 0
            let labelHeight = canvas.measure(zLabel, size: TypeSize.label).height
            // Rotated a quarter turn, the label's top faces left: it spans [x, x + height].
            let x = p.x - 4 - widest - 6 - labelHeight
            canvas.draw(zLabel, at: Point(max(frame.minX + 2, x), p.y), size: TypeSize.label, color: theme.text,
                        horizontal: .center, vertical: .top, rotated: true)
        }
        if !legend.isEmpty, self.legend != .hidden {
            var fixed = self
            if fixed.legend == .automatic { fixed.legend = .upperLeft }
            let identity = AxisMap(domain: 0...1, range: (0, 1))
            fixed.drawLegend(legend, in: frame.inset(left: 4, top: top, right: right + 4, bottom: 4), on: canvas,
                             theme: theme, xMap: identity, yMap: identity)
        }
        if let title {
            canvas.draw(title, at: Point(frame.midX, frame.minY + 8), size: TypeSize.title, color: theme.text,
                        horizontal: .center, vertical: .top)
        }
        if showsColorBar {
            let barHeight = min(area.height * 0.75, 260)
            let boxRight = corners.map { camera.screen($0).x }.max() ?? frame.maxX
            let barRect = Rect(x: min(frame.maxX - right + 14, boxRight + 36), y: area.midY - barHeight / 2, width: 12, height: barHeight)
            drawColorBar(colors, ticks: barTicks, in: barRect, on: canvas, theme: theme, levels: nil)
            if let colorLabel {
                let w = barTicks.map { canvas.measure($0.label, size: TypeSize.tick).width }.max() ?? 0
                canvas.draw(colorLabel, at: Point(barRect.maxX + 6 + w + 10 + TypeSize.label, barRect.midY), size: TypeSize.label, color: theme.text,
                            horizontal: .center, vertical: .bottom, rotated: true)
            }
        }
    }
}
