import Foundation

/// A surface's facets on the screen: each grid point's position and lit color, the quads in
/// painter's order, and the walls under the front edges.
struct SurfaceMesh {
    /// A wall from a front edge down to the floor, in one color.
    struct Wall {
        var outline: [Point]
        /// The edge's mean color, darkened; the painter mixes it toward the theme's pane color.
        var color: Color
    }

    /// Grid points per row: the quad at index `i` has corners i, i + 1, i + columns + 1, i + columns.
    var columns: Int
    var points: [Point]
    var colors: [Color]
    /// The quads (by their first corner's index), far to near.
    var quads: [Int]
    var walls: [Wall]

    init(_ box: SurfaceBox, colors scale: ColorScale) {
        let field = box.field
        columns = field.columns
        let world = Self.world(box)
        let shades = Self.shades(world, box: box, colors: scale)
        points = world.map { box.screen($0) }
        colors = shades
        quads = Self.farToNear(world, box: box)
        walls = Self.frontWalls(world, shades: shades, box: box)
    }

    /// The grid points at the corners of the quad `i`, in order around it.
    func corners(ofQuad i: Int) -> [Int] { [i, i + 1, i + columns + 1, i + columns] }

    /// The grid points in the box.
    static func world(_ box: SurfaceBox) -> [Vector3] {
        let field = box.field
        let cols = field.columns, rows = field.rows
        var world = [Vector3](repeating: Vector3(0, 0, 0), count: cols * rows)
        for r in 0..<rows {
            for c in 0..<cols {
                world[r * cols + c] = Vector3(box.X(field.xAt(Double(c))), box.Y(field.yAt(Double(r))), box.Z(field[c, r]))
            }
        }
        return world
    }

    /// Vertex colors: the color map at the vertex height, lit by a Lambert term and a little
    /// specular light, with the normal from central differences.
    static func shades(_ world: [Vector3], box: SurfaceBox, colors: ColorScale) -> [Color] {
        let field = box.field
        let cols = field.columns, rows = field.rows
        let d = box.camera.towardsEye
        let light = (d * 0.55 + Vector3(0, 0, 1) * 0.8 + box.camera.right * -0.35).normalized
        let halfway = (light + d).normalized
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
        return vertexColors
    }

    /// The quads with four finite corners, back to front by the quad's place on the floor, not
    /// by its 3-D centre: seen from above, a height field is drawn right in that order, while a
    /// steep wall's raised centre would sort it behind the floor it hides (the hole of Fig 1.2).
    static func farToNear(_ world: [Vector3], box: SurfaceBox) -> [Int] {
        let cols = box.field.columns, rows = box.field.rows
        struct Quad { var depth: Double; var index: Int }
        var quads: [Quad] = []
        quads.reserveCapacity((cols - 1) * (rows - 1))
        for r in 0..<(rows - 1) {
            for c in 0..<(cols - 1) {
                let i = r * cols + c
                let corners = [world[i], world[i + 1], world[i + cols + 1], world[i + cols]]
                guard corners.allSatisfy({ $0.z.isFinite }) else { continue }
                let centre = (corners[0] + corners[1] + corners[2] + corners[3]) * 0.25
                let depth = box.camera.raw(Vector3(centre.x, centre.y, 0)).1
                quads.append(Quad(depth: depth, index: i))
            }
        }
        quads.sort { $0.depth != $1.depth ? $0.depth > $1.depth : $0.index < $1.index }
        return quads.map(\.index)
    }

    /// The two edges facing the viewer get a wall down to the floor, so the surface reads as a
    /// solid: through the gap under a raised front edge one would otherwise see a pit further
    /// back, a hole in the picture. Each wall is one polygon in one color, so no seams.
    static func frontWalls(_ world: [Vector3], shades: [Color], box: SurfaceBox) -> [Wall] {
        let cols = box.field.columns, rows = box.field.rows
        let frontRow = box.yBack > 0 ? 0 : rows - 1, frontColumn = box.xBack > 0 ? 0 : cols - 1
        let frontEdges = [(0..<cols).map { frontRow * cols + $0 }, (0..<rows).map { $0 * cols + frontColumn }]
        return frontEdges.compactMap { edge in
            let finite = edge.filter { world[$0].z.isFinite }
            guard finite.count == edge.count, let first = finite.first, let last = finite.last else { return nil }
            let outline = finite.map { world[$0] }
                + [Vector3(world[last].x, world[last].y, box.zFloor), Vector3(world[first].x, world[first].y, box.zFloor)]
            let n = Double(finite.count)
            let sum = finite.reduce((0.0, 0.0, 0.0)) { s, i in (s.0 + shades[i].red, s.1 + shades[i].green, s.2 + shades[i].blue) }
            return Wall(outline: box.screen(outline), color: Color(red: sum.0 / n, green: sum.1 / n, blue: sum.2 / n).shaded(0.8))
        }
    }
}
