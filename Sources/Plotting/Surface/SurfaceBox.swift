import Foundation

/// The normalized box [−1, 1]² × [−h, h] a surface is drawn in, with the camera fitted to it:
/// data → box → screen.
struct SurfaceBox {
    /// Half the box's height (its floor is 2 × 2).
    static let h = 0.72

    let field: Field
    /// The heights at the floor and the top of the box.
    let z0: Double
    let z1: Double
    var camera: Projection
    /// The sides away from the viewer: back walls at x = `xBack` and y = `yBack`, the floor at
    /// z = `zFloor`.
    let xBack: Double
    let yBack: Double
    let zFloor: Double

    /// The eight corners of the box.
    static let corners = [-1.0, 1].flatMap { a in [-1.0, 1].flatMap { b in [-h, h].map { Vector3(a, b, $0) } } }

    /// The box fitted into `area`, then moved sideways so that it and the `barExtent` wide
    /// color bar right of it are centered together in `frame`.
    init(_ surface: Surface, fittedTo area: Rect, frame: Rect, barExtent: Double) {
        field = surface.field
        let zRange = surface.zRange ?? field.finiteRange() ?? (0...1)
        z0 = zRange.lowerBound
        z1 = zRange.upperBound > zRange.lowerBound ? zRange.upperBound : zRange.lowerBound + 1
        var camera = Projection(camera: surface.camera)
        camera.fit(Self.corners, into: area)
        let screenXs = Self.corners.map { camera.screen($0).x }
        let boxWidth = (screenXs.max() ?? 0) - (screenXs.min() ?? 0)
        let shift = frame.minX + (frame.width - boxWidth - barExtent) / 2 - (screenXs.min() ?? 0)
        camera.center.x += shift
        self.camera = camera
        let d = camera.towardsEye
        xBack = d.x > 0 ? -1.0 : 1.0
        yBack = d.y > 0 ? -1.0 : 1.0
        zFloor = d.z >= 0 ? -Self.h : Self.h
    }

    func X(_ x: Double) -> Double { 2 * (x - field.x.lowerBound) / (field.x.upperBound - field.x.lowerBound) - 1 }
    func Y(_ y: Double) -> Double { 2 * (y - field.y.lowerBound) / (field.y.upperBound - field.y.lowerBound) - 1 }
    func Z(_ z: Double) -> Double { (2 * (min(max(z, z0), z1) - z0) / (z1 - z0) - 1) * Self.h }

    func screen(_ p: Vector3) -> Point { camera.screen(p) }
    func screen(_ polygon: [Vector3]) -> [Point] { polygon.map { camera.screen($0) } }

    /// A data point (x, y) on the surface, lifted a hair towards the top so that a path over it
    /// stays in front; not finite where the field has no height.
    func onSurface(_ p: Point) -> Point {
        let z = field.interpolate(p.x, p.y)
        guard z.isFinite else { return Point(.nan, .nan) }
        return camera.screen(Vector3(X(p.x), Y(p.y), Z(z) + 0.004))
    }

    /// The floor and the two back walls.
    var panes: [[Vector3]] {
        let h = Self.h
        let floor = [Vector3(-1, -1, zFloor), Vector3(1, -1, zFloor), Vector3(1, 1, zFloor), Vector3(-1, 1, zFloor)]
        let xWall = [Vector3(xBack, -1, -h), Vector3(xBack, 1, -h), Vector3(xBack, 1, h), Vector3(xBack, -1, h)]
        let yWall = [Vector3(-1, yBack, -h), Vector3(1, yBack, -h), Vector3(1, yBack, h), Vector3(-1, yBack, h)]
        return [floor, xWall, yWall]
    }

    /// Grid lines on the panes at the ticks: x and y on the floor and a back wall, z on both walls.
    func paneGrid(x xTicks: [Tick], y yTicks: [Tick], z zTicks: [Tick]) -> [Segment] {
        let h = Self.h
        var out: [Segment] = []
        func segment(_ a: Vector3, _ b: Vector3) { out.append(Segment(from: screen(a), to: screen(b))) }
        for t in xTicks {
            let x = X(t.value)
            segment(Vector3(x, -1, zFloor), Vector3(x, 1, zFloor))
            segment(Vector3(x, yBack, -h), Vector3(x, yBack, h))
        }
        for t in yTicks {
            let y = Y(t.value)
            segment(Vector3(-1, y, zFloor), Vector3(1, y, zFloor))
            segment(Vector3(xBack, y, -h), Vector3(xBack, y, h))
        }
        for t in zTicks {
            let z = Z(t.value)
            segment(Vector3(xBack, -1, z), Vector3(xBack, 1, z))
            segment(Vector3(-1, yBack, z), Vector3(1, yBack, z))
        }
        return out
    }

    /// The vertical edge the z axis is labelled on: whichever side corner is further left on screen.
    var zCorner: (Double, Double) {
        let sideCorners = [(xBack, -yBack), (-xBack, yBack)]
        return sideCorners.min { screen(Vector3($0.0, $0.1, 0)).x < screen(Vector3($1.0, $1.1, 0)).x }!
    }
}
