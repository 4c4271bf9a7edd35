import Autodiff

/// The plane an optimizer's path mostly lies in: the top two principal directions of
/// {θᵢ − θ_final} (Li et al. 2018, §7), for drawing the path on a `LossPlane`.
public struct TrajectoryDirections: Sendable {
    /// The first and second principal directions, unit length, shaped like the parameters.
    public let first: [Tensor]
    public let second: [Tensor]
    /// The fraction of Σᵢ‖θᵢ − θ_final‖² each of the two captures (how planar the path is).
    public let explainedVariance: (first: Double, second: Double)

    /// From the iterates θ₀ … θ_final of a run (at least three, not all on one line).
    ///
    /// With D the m×n matrix of rows θᵢ − θ_final, the principal directions are the top right
    /// singular vectors of D, computed from the small m×m Gram matrix DDᵀ = UΣ²Uᵀ as
    /// vⱼ = Dᵀuⱼ/σⱼ, so the cost is m² dot products however many parameters there are.
    /// The reference centres on θ_final (not on the mean) so the end point is the origin.
    public init(of path: [[Tensor]]) {
        precondition(path.count >= 3, "TrajectoryDirections: needs at least three iterates")
        let shapes = path[0].map(\.shape)
        let last = Vectors.flatten(path[path.count - 1])
        let rows = path.dropLast().map { p -> [Double] in
            var r = Vectors.flatten(p)
            Vectors.addScaled(&r, -1, last)
            return r
        }
        let m = rows.count
        var gram = [Double](repeating: 0, count: m * m)
        for i in 0..<m { for j in i..<m { let d = Vectors.dot(rows[i], rows[j]); gram[i * m + j] = d; gram[j * m + i] = d } }
        let (values, vectors) = symmetricEigen(Tensor(shape: [m, m], scalars: gram))
        let total = values.scalars.reduce(0) { $0 + Swift.max($1, 0) }
        func direction(_ k: Int) -> [Double] {
            var v = [Double](repeating: 0, count: last.count)
            for i in 0..<m { Vectors.addScaled(&v, vectors.scalars[i * m + k], rows[i]) }
            let n = Vectors.norm(v)
            precondition(n > 0, "TrajectoryDirections: the path does not span two directions")
            return Vectors.scaled(v, 1 / n)
        }
        first = Vectors.split(direction(m - 1), shapes: shapes)
        second = Vectors.split(direction(m - 2), shapes: shapes)
        explainedVariance = (values.scalars[m - 1] / total, values.scalars[m - 2] / total)
    }
}
