import Autodiff

/// Plain-array vector arithmetic for the Krylov methods and slices: the parameter vectors
/// here are values, never differentiated through, so they skip the tape entirely.
enum Vectors {
    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count, "dot: lengths \(a.count) and \(b.count) differ")
        var s = 0.0
        for i in a.indices { s += a[i] * b[i] }
        return s
    }

    static func norm(_ a: [Double]) -> Double { dot(a, a).squareRoot() }

    /// y ← y + a·x.
    static func addScaled(_ y: inout [Double], _ a: Double, _ x: [Double]) {
        precondition(x.count == y.count, "addScaled: lengths \(x.count) and \(y.count) differ")
        for i in y.indices { y[i] += a * x[i] }
    }

    static func scaled(_ x: [Double], _ a: Double) -> [Double] { x.map { $0 * a } }

    /// (1 − t)·a + t·b.
    static func lerp(_ a: [Double], _ b: [Double], _ t: Double) -> [Double] {
        precondition(a.count == b.count, "lerp: lengths \(a.count) and \(b.count) differ")
        return (0..<a.count).map { (1 - t) * a[$0] + t * b[$0] }
    }

    /// Removes from v its components along the orthonormal vectors `basis`, twice
    /// (classical Gram–Schmidt repeated: "twice is enough", Giraud et al. 2005), so v stays
    /// orthogonal to working precision however many vectors there are.
    static func orthogonalize(_ v: inout [Double], against basis: [[Double]]) {
        for _ in 0..<2 {
            for q in basis { addScaled(&v, -dot(q, v), q) }
        }
    }

    /// Cuts a flat vector into tensors of the given shapes (the inverse of concatenating
    /// their scalars), as plain values.
    static func split(_ flat: [Double], shapes: [[Int]]) -> [Tensor] {
        var start = 0
        return shapes.map { shape in
            let n = shape.reduce(1, *)
            defer { start += n }
            return Tensor(shape: shape, scalars: Array(flat[start..<(start + n)]))
        }
    }

    /// The scalars of a parameter set, concatenated in order.
    static func flatten(_ tensors: [Tensor]) -> [Double] { tensors.flatMap(\.scalars) }
}
