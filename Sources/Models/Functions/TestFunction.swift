import Autodiff

/// A point where the gradient of a test function vanishes, with what kind of point it is and
/// the function's value there: the "answer key" a trajectory is judged against.
public struct CriticalPoint: Sendable, Equatable {
    /// What the Hessian says about the point.
    public enum Kind: String, Sendable {
        /// A minimum with the lowest value of the function.
        case globalMinimum
        /// A minimum that is not the lowest.
        case localMinimum
        /// Hessian with eigenvalues of both signs.
        case saddle
        /// A local maximum.
        case maximum
        /// The Hessian is singular there; second-order tests cannot classify it.
        case degenerate
    }

    /// Coordinates (x, y).
    public let location: [Double]
    /// f(location).
    public let value: Double
    public let kind: Kind

    public init(_ location: [Double], value: Double, kind: Kind) {
        self.location = location
        self.value = value
        self.kind = kind
    }

    /// Whether the point is a minimum (global or local).
    public var isMinimum: Bool { kind == .globalMinimum || kind == .localMinimum }
}

/// An analytic function of two variables with its known critical points: the landscapes the
/// course runs optimizers on.
///
/// The same function is available two ways: on plain doubles, `f(x, y)`, for heatmaps and
/// contours; and on a tensor of shape `[2]`, `f(p)`, differentiable, for gradients, Hessians
/// and optimizers. The two are written separately (the tensor form with differentiable
/// operations) and tests check that they agree.
///
///     let f = Functions.rosenbrock
///     f(0.5, 0.5)                                   // 6.5
///     gradient(at: [0.5, 0.5]) { p in f(p) }       // ∇f
///     f.globalMinima                                // [(1, 1), value 0]
public struct TestFunction: Sendable {
    /// A short name for legends and tables: "Rosenbrock".
    public let name: String
    /// The formula in TeX, for captions.
    public let formula: String
    /// The known critical points (every minimum; saddles and maxima where they matter).
    public let criticalPoints: [CriticalPoint]
    /// A window that shows the interesting part of the landscape, for plots.
    public let domain: (x: ClosedRange<Double>, y: ClosedRange<Double>)
    private let scalarForm: @Sendable (Double, Double) -> Double
    private let tensorForm: @Sendable (Tensor) -> Tensor

    public init(name: String, formula: String, criticalPoints: [CriticalPoint],
                domain: (x: ClosedRange<Double>, y: ClosedRange<Double>),
                scalar: @escaping @Sendable (Double, Double) -> Double,
                tensor: @escaping @Sendable (Tensor) -> Tensor) {
        self.name = name
        self.formula = formula
        self.criticalPoints = criticalPoints
        self.domain = domain
        self.scalarForm = scalar
        self.tensorForm = tensor
    }

    /// f(x, y) on doubles (for plotting).
    public func callAsFunction(_ x: Double, _ y: Double) -> Double { scalarForm(x, y) }

    /// f(p) for a tensor p = (x, y) of shape `[2]`, differentiable.
    public func callAsFunction(_ p: Tensor) -> Tensor {
        precondition(p.count == 2, "\(name): expects a point with 2 coordinates, got shape \(p.shape)")
        return tensorForm(p)
    }

    /// f at a point given as `[x, y]`.
    public func value(at point: [Double]) -> Double {
        precondition(point.count == 2, "\(name): expects a point with 2 coordinates, got \(point.count)")
        return scalarForm(point[0], point[1])
    }

    /// ∇f at `[x, y]`, by reverse-mode autodiff on the tensor form.
    public func gradient(at point: [Double]) -> [Double] {
        Autodiff.gradient(at: Tensor(point)) { tensorForm($0) }.scalars
    }

    /// The 2×2 Hessian at `[x, y]` (exact, from Hessian-vector products), as rows.
    public func hessian(at point: [Double]) -> [[Double]] {
        let h = Autodiff.hessian(at: Tensor(point)) { tensorForm($0) }.scalars
        return [[h[0], h[1]], [h[2], h[3]]]
    }

    /// The minima among the critical points.
    public var minima: [CriticalPoint] { criticalPoints.filter(\.isMinimum) }

    /// The global minima (several for symmetric functions such as Himmelblau's).
    public var globalMinima: [CriticalPoint] { criticalPoints.filter { $0.kind == .globalMinimum } }

    /// The lowest known value, min f.
    public var minimumValue: Double? { globalMinima.map(\.value).min() }

    /// Distance from `point` to the nearest known minimum, the usual "did it converge" measure.
    public func distanceToNearestMinimum(from point: [Double]) -> Double {
        minima.map { m in
            zip(m.location, point).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        }.min() ?? .infinity
    }
}
