import Autodiff

/// An optimizer: a rule that moves a parameter set downhill on an `Objective`, with all of
/// its memory in an explicit `State` value (optax's `init`/`update` split), so that runs are
/// reproducible, states can be inspected and tabled, and one optimizer value can drive many
/// independent runs.
///
///     let adam = Adam(lr: 0.01)
///     var state = adam.makeState(for: params)
///     let result = adam.step(&params, state: &state, objective: Objective(loss))
///
/// Most optimizers are `GradientTransformation`s (one gradient in, one update out); SAM is
/// an `Optimizer` that is not, because it evaluates the gradient at a second point.
/// Optimizers are plain `Sendable` values (their settings); all that changes lives in `State`.
public protocol Optimizer: Sendable {
    /// Everything the optimizer remembers between steps (momenta, second moments, a step count).
    associatedtype State

    /// A short label for legends and tables, e.g. "Adam(lr: 0.01)".
    var name: String { get }

    /// The paper (and reference implementation) whose rule this follows.
    var reference: String { get }

    /// The state before the first step, for parameters shaped like these.
    func makeState(for parameters: [Tensor]) -> State

    /// One step: queries the objective at `parameters` (and elsewhere if the method needs to),
    /// moves `parameters`, updates `state`, and reports the loss and gradient at the point the
    /// step started from.
    func step(_ parameters: inout [Tensor], state: inout State, objective: Objective) -> StepResult

    /// How many scalars of optimizer state are kept for parameters of these shapes (the
    /// memory cost that tables compare; transient buffers that live only within a step but
    /// must exist at once, such as SAM's perturbation, are counted too).
    func stateSize(for shapes: [[Int]]) -> Int
}

/// What a step saw where it started: L(θₜ) and ∇L(θₜ).
public struct StepResult {
    /// L(θₜ), the loss before the step.
    public let loss: Double
    /// ∇L(θₜ), one tensor per parameter tensor.
    public let gradient: [Tensor]

    public init(loss: Double, gradient: [Tensor]) {
        self.loss = loss
        self.gradient = gradient
    }

    /// ‖∇L(θₜ)‖ over all parameters concatenated.
    public var gradientNorm: Double { globalNorm(gradient) }
}

extension Optimizer {
    public var reference: String { "" }

    /// Optimizer-state scalars per parameter scalar for parameters of these shapes: 0 for
    /// plain SGD, 1 with momentum, 2 for Adam, …; shape-dependent for matrix methods.
    public func stateMemoryPerParameter(for shapes: [[Int]]) -> Double {
        let n = shapes.map { $0.reduce(1, *) }.reduce(0, +)
        return n == 0 ? 0 : Double(stateSize(for: shapes)) / Double(n)
    }

    /// Optimizer-state scalars per parameter scalar for a 1024×1024 weight matrix, the number
    /// the course tables: exact for the elementwise methods (SGD 0, momentum 1, Adam 2, Lion 1),
    /// whose cost does not depend on shapes; for Muon 1 (its momentum); for Shampoo 4 (L and R,
    /// n² each, and their cached inverse roots, for n² parameters).
    public var stateMemoryPerParameter: Double { stateMemoryPerParameter(for: [[1024, 1024]]) }
}

/// A map from gradients to updates with explicit state, the unit that optimizers are chained
/// from (optax's `GradientTransformation`). Updates are *added* to the parameters:
/// θ ← θ + u, so a transform that ends a chain scales by −lr.
///
///     let adamW = ScaleByAdam().then(AddDecayedWeights(0.01)).then(ScaleByConstant(-1e-3))
///
/// Every gradient transformation is an optimizer: one gradient evaluation per step.
public protocol GradientTransformation: Optimizer {
    /// The update u for gradients g at parameters θ (some transforms, weight decay for one,
    /// read θ); advances `state`.
    func update(_ gradients: [Tensor], state: inout State, parameters: [Tensor]) -> [Tensor]
}

extension GradientTransformation {
    public var name: String { String(describing: Self.self) }

    /// θₜ₊₁ = θₜ + update(∇L(θₜ)).
    public func step(_ parameters: inout [Tensor], state: inout State, objective: Objective) -> StepResult {
        let (loss, g) = objective.valueWithGradient(at: parameters)
        let u = update(g, state: &state, parameters: parameters)
        for i in parameters.indices {
            parameters[i] = elementwise(parameters[i], u[i]) { $0 + $1 }
        }
        return StepResult(loss: loss, gradient: g)
    }

    /// This transform followed by `next`: next's input is this one's output, as in
    /// `optax.chain(self, next)`.
    public func then<Next: GradientTransformation>(_ next: Next) -> Chain<Self, Next> {
        Chain(self, next)
    }
}

/// A named optimizer assembled from optax-style pieces (`AddDecayedWeights().then(…)`): its
/// state, update and state size are the pieces'.
public protocol ComposedTransformation: GradientTransformation where State == Pieces.State {
    associatedtype Pieces: GradientTransformation
    var pieces: Pieces { get }
}

extension ComposedTransformation {
    public func makeState(for parameters: [Tensor]) -> State { pieces.makeState(for: parameters) }
    public func update(_ gradients: [Tensor], state: inout State, parameters: [Tensor]) -> [Tensor] {
        pieces.update(gradients, state: &state, parameters: parameters)
    }
    public func stateSize(for shapes: [[Int]]) -> Int { pieces.stateSize(for: shapes) }
}

/// Two transforms applied in order, u = second(first(g)), with the pair of their states.
public struct Chain<First: GradientTransformation, Second: GradientTransformation>: GradientTransformation {
    public typealias State = (First.State, Second.State)
    public let first: First
    public let second: Second

    public init(_ first: First, _ second: Second) {
        self.first = first
        self.second = second
    }

    public var name: String { "\(first.name) → \(second.name)" }

    public func makeState(for parameters: [Tensor]) -> State {
        (first.makeState(for: parameters), second.makeState(for: parameters))
    }

    public func update(_ gradients: [Tensor], state: inout State, parameters: [Tensor]) -> [Tensor] {
        let u = first.update(gradients, state: &state.0, parameters: parameters)
        return second.update(u, state: &state.1, parameters: parameters)
    }

    public func stateSize(for shapes: [[Int]]) -> Int {
        first.stateSize(for: shapes) + second.stateSize(for: shapes)
    }
}

// MARK: - Elementwise helpers shared by the transforms

/// ‖x‖₂ over all tensors concatenated.
public func globalNorm(_ tensors: [Tensor]) -> Double {
    var s = 0.0
    for t in tensors { for v in t.scalars { s += v * v } }
    return s.squareRoot()
}

/// A tensor shaped like `a` with f applied to matching elements (plain values, no tracking).
@inline(__always)
func elementwise(_ a: Tensor, _ b: Tensor, _ f: (Double, Double) -> Double) -> Tensor {
    precondition(a.shape == b.shape, "optimizer: shapes \(a.shape) and \(b.shape) differ")
    let x = a.scalars, y = b.scalars
    var out = [Double](repeating: 0, count: x.count)
    for i in 0..<x.count { out[i] = f(x[i], y[i]) }
    return Tensor(shape: a.shape, scalars: out)
}

/// A tensor shaped like `a` with f applied to each element.
@inline(__always)
func elementwise(_ a: Tensor, _ f: (Double) -> Double) -> Tensor {
    Tensor(shape: a.shape, scalars: a.scalars.map(f))
}

/// Zeros shaped like each parameter tensor.
func zerosLike(_ tensors: [Tensor]) -> [Tensor] {
    tensors.map { Tensor.zeros($0.shape) }
}

/// Total number of scalars in tensors of these shapes.
func scalarCount(_ shapes: [[Int]]) -> Int {
    shapes.map { $0.reduce(1, *) }.reduce(0, +)
}

/// sign(x) with sign(0) = 0 (torch.sign, and what Lion's reference uses).
@inline(__always)
func signum(_ x: Double) -> Double {
    x > 0 ? 1 : (x < 0 ? -1 : 0)
}

/// A number in an optimizer's name: 0.01, 1e-08, 0.9.
func label(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)"
}
