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

/// What a surface panel shows: a field drawn as a shaded surface `z = f(x, y)` in
/// perspective, colored by height, like the loss-landscape figures of Li et al. (2018).
struct Surface: Sendable {
    var field: Field
    var camera = Camera()
    var zLabel: String?
    /// The vertical extent of the box (nil: the field's own range); heights beyond it are clamped.
    var zRange: ClosedRange<Double>?

    /// The field's extent: a grid shares it with the other panels' x and y domains.
    var bounds: DataBounds { DataBounds(x: field.x, y: field.y, exact: true) }
    var colorValues: ClosedRange<Double>? { field.finiteRange() }
    var positiveColorValues: ClosedRange<Double>? { field.finiteRange(positiveOnly: true) }
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
