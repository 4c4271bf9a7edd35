import Autodiff
import Models

/// What the Hessian says about a critical point (∇f = 0), by the signs of its eigenvalues
/// (the second-derivative test; Morse theory's index).
public enum CriticalKind: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Every eigenvalue positive: a strict local minimum.
    case minimum
    /// Every eigenvalue negative: a strict local maximum.
    case maximum
    /// Eigenvalues of both signs, none zero; `index` is how many are negative (the number of
    /// independent directions that go down).
    case saddle(index: Int)
    /// Some eigenvalue is zero (within the tolerance): second order cannot decide, as at
    /// the monkey saddle x³ − 3xy², whose Hessian vanishes at the origin.
    case degenerate

    public var description: String {
        switch self {
        case .minimum: "minimum"
        case .maximum: "maximum"
        case .saddle(let index): "saddle (index \(index))"
        case .degenerate: "degenerate"
        }
    }

    /// The kind for these Hessian eigenvalues, counting |λ| ≤ `zeroTolerance` as zero.
    public init(eigenvalues: [Double], zeroTolerance: Double) {
        let negative = eigenvalues.filter { $0 < -zeroTolerance }.count
        let positive = eigenvalues.filter { $0 > zeroTolerance }.count
        if negative + positive < eigenvalues.count {
            self = .degenerate
        } else if negative == 0 {
            self = .minimum
        } else if positive == 0 {
            self = .maximum
        } else {
            self = .saddle(index: negative)
        }
    }
}

/// A point where a function's gradient vanishes, located numerically and classified: a row
/// of the table a chapter prints for "where are the critical points of this landscape".
public struct StationaryPoint: Sendable, Equatable {
    /// Coordinates.
    public let location: [Double]
    /// f there.
    public let value: Double
    /// ‖∇f‖ there (≈ 0: how well the solve converged).
    public let gradientNorm: Double
    /// The Hessian's eigenvalues there, ascending.
    public let hessianEigenvalues: [Double]
    /// Minimum, maximum, saddle with its index, or degenerate.
    public let kind: CriticalKind

    public init(location: [Double], value: Double, gradientNorm: Double, hessianEigenvalues: [Double], kind: CriticalKind) {
        self.location = location
        self.value = value
        self.gradientNorm = gradientNorm
        self.hessianEigenvalues = hessianEigenvalues
        self.kind = kind
    }
}

/// Finding and classifying the critical points of a function of two variables.
///
///     CriticalPoints.find(in: Functions.himmelblau, x: -5...5, y: -5...5)
///     // 4 minima, 4 saddles (index 1), 1 maximum
///     CriticalPoints.classify(Functions.monkeySaddle, at: [0, 0]).kind   // .degenerate
public enum CriticalPoints {
    /// Evaluates f, ∇f and the Hessian's eigenvalues at `point` and classifies it (whether or
    /// not ∇f vanishes there: check `gradientNorm`).
    public static func classify(at point: [Double], zeroTolerance: Double = 1e-6,
                                in f: (Tensor) -> Tensor) -> StationaryPoint {
        let local = LocalModel(at: point, f)
        let eigenvalues = local.eigenvalues
        return StationaryPoint(location: point, value: local.value, gradientNorm: Vectors.norm(local.gradient),
                               hessianEigenvalues: eigenvalues,
                               kind: CriticalKind(eigenvalues: eigenvalues, zeroTolerance: zeroTolerance))
    }

    /// `classify(at:in:)` for a test function.
    public static func classify(_ f: TestFunction, at point: [Double], zeroTolerance: Double = 1e-6) -> StationaryPoint {
        classify(at: point, zeroTolerance: zeroTolerance) { f($0) }
    }

    /// Every critical point of f in the box that a `starts`×`starts` grid of starting points
    /// reaches, deduplicated, classified, sorted by value.
    ///
    /// From each start (the centres of a starts×starts grid of cells), Newton's method is
    /// applied to ∇f = 0 with Levenberg–Marquardt damping, i.e. Gauss–Newton on ½‖∇f‖²:
    ///     (H² + μI) δ = −H ∇f,   μ ↓ when ‖∇f‖ falls, μ ↑ when not.
    /// Unlike a descent method it converges to saddles and maxima as readily as to minima
    /// (quadratically where H is nonsingular; linearly at a degenerate point, where plain
    /// Newton's H⁻¹ would not exist at the limit). A run is kept if it ends inside the box
    /// with ‖∇f‖ ≤ `gradientTolerance`; points closer than 1e-6 of the box's larger side
    /// are merged (keeping the smaller ‖∇f‖). Eigenvalues with |λ| ≤ `zeroTolerance` count
    /// as zero. Critical points with tiny basins under this iteration can be missed; more
    /// starts find more.
    public static func find(x: ClosedRange<Double>, y: ClosedRange<Double>, starts: Int = 16,
                            gradientTolerance: Double = 1e-8, zeroTolerance: Double = 1e-6,
                            in f: (Tensor) -> Tensor) -> [StationaryPoint] {
        precondition(starts >= 1, "CriticalPoints.find: starts must be positive")
        let width = x.upperBound - x.lowerBound, height = y.upperBound - y.lowerBound
        let mergeRadius = 1e-6 * Swift.max(width, height, 1e-300)
        let slack = 1e-9 * Swift.max(width, height)
        var found: [StationaryPoint] = []
        for i in 0..<starts {
            for j in 0..<starts {
                let start = [x.lowerBound + width * (Double(i) + 0.5) / Double(starts),
                             y.lowerBound + height * (Double(j) + 0.5) / Double(starts)]
                guard let p = newtonOnGradient(from: start, f) else { continue }
                guard p[0] >= x.lowerBound - slack, p[0] <= x.upperBound + slack,
                      p[1] >= y.lowerBound - slack, p[1] <= y.upperBound + slack else { continue }
                let point = classify(at: p, zeroTolerance: zeroTolerance, in: f)
                guard point.gradientNorm <= gradientTolerance else { continue }
                if let k = found.firstIndex(where: { distance($0.location, p) <= mergeRadius }) {
                    if point.gradientNorm < found[k].gradientNorm { found[k] = point }
                } else {
                    found.append(point)
                }
            }
        }
        return found.sorted { ($0.value, $0.location[0], $0.location[1]) < ($1.value, $1.location[0], $1.location[1]) }
    }

    /// `find(x:y:in:)` for a test function, over `x` × `y` (its plotting window by default).
    public static func find(in f: TestFunction, x: ClosedRange<Double>? = nil, y: ClosedRange<Double>? = nil,
                            starts: Int = 16, gradientTolerance: Double = 1e-8,
                            zeroTolerance: Double = 1e-6) -> [StationaryPoint] {
        find(x: x ?? f.domain.x, y: y ?? f.domain.y, starts: starts, gradientTolerance: gradientTolerance,
             zeroTolerance: zeroTolerance) { f($0) }
    }

    /// Levenberg–Marquardt on the residual ∇f (Jacobian H): the end point, or nil when the
    /// damping runs away (stuck at a nonzero minimum of ‖∇f‖) or the iterate leaves to infinity.
    static func newtonOnGradient(from start: [Double], _ f: (Tensor) -> Tensor, maxIterations: Int = 200) -> [Double]? {
        var p = start
        var local = LocalModel(at: p, f)
        var residual = Vectors.norm(local.gradient)
        var mu = 1e-8 * Swift.max(1, local.frobeniusSquared)
        for _ in 0..<maxIterations {
            if residual == 0 { return p }
            let g = local.gradient, h = local.h
            // (H² + μI) δ = −H g for the symmetric 2×2 H = [[a, b], [b, c]].
            let (a, b, c) = (h[0], h[1], h[3])
            let m00 = a * a + b * b + mu, m01 = a * b + b * c, m11 = b * b + c * c + mu
            let r0 = -(a * g[0] + b * g[1]), r1 = -(b * g[0] + c * g[1])
            let det = m00 * m11 - m01 * m01
            guard det.isFinite, det != 0 else { mu = Swift.max(mu * 10, 1e-12); continue }
            let step = [(m11 * r0 - m01 * r1) / det, (m00 * r1 - m01 * r0) / det]
            let trial = [p[0] + step[0], p[1] + step[1]]
            let next = LocalModel(at: trial, f)
            let nextResidual = Vectors.norm(next.gradient)
            if nextResidual.isFinite && nextResidual < residual {
                p = trial
                local = next
                residual = nextResidual
                mu /= 3
                if Vectors.norm(step) <= 1e-15 * (1 + Vectors.norm(p)) { return p }
            } else {
                mu = Swift.max(mu * 4, 1e-12)
                if mu > 1e30 { return residual.isFinite ? p : nil }
            }
            if !p.allSatisfy(\.isFinite) { return nil }
        }
        return p
    }

    static func distance(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
    }
}

/// f, ∇f and ∇²f at one point of the plane (one recording, two Hessian-vector products).
struct LocalModel {
    let value: Double
    let gradient: [Double]
    /// The Hessian, row-major 2×2, symmetrized.
    let h: [Double]

    init(at point: [Double], _ f: (Tensor) -> Tensor) {
        let op = HessianOperator(at: Tensor(point), in: f)
        value = op.value
        gradient = op.gradient[0].scalars
        let n = point.count
        var h = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            var e = [Double](repeating: 0, count: n)
            e[j] = 1
            let col = op(Tensor(e)).scalars
            for i in 0..<n { h[i * n + j] = col[i] }
        }
        for i in 0..<n { for j in 0..<i { let s = 0.5 * (h[i * n + j] + h[j * n + i]); h[i * n + j] = s; h[j * n + i] = s } }
        self.h = h
    }

    var frobeniusSquared: Double { h.reduce(0) { $0 + $1 * $1 } }

    /// Eigenvalues ascending (LAPACK for any n; the finder's n is 2).
    var eigenvalues: [Double] {
        let n = gradient.count
        return symmetricEigenvalues(Tensor(shape: [n, n], scalars: h)).scalars
    }
}
