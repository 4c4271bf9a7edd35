// The functional entry points: gradients, Hessian-vector products and Hessians of functions
// written with ordinary tensor code.
//
//     let g = gradient(at: x) { x in (1 - x[0]).squared() + 100 * (x[1] - x[0].squared()).squared() }
//     let hv = hessianVectorProduct(at: x, along: v) { x in … }
//
// Each call makes fresh variables, so calls may be nested: a gradient taken inside another
// gradient's function is itself differentiable (the inner backward pass is then recorded).

/// Checks that a differentiated function returned one number.
func requireScalar(_ y: Tensor, _ function: StaticString) {
    precondition(y.count == 1, "\(function): the function must return one number (a 0-d tensor); it returned shape \(y.shape)")
}

/// ∇f(x): the gradient of a scalar function, the same shape as `x`.
public func gradient(at x: Tensor, in f: (Tensor) -> Tensor) -> Tensor {
    valueWithGradient(at: x, in: f).gradient
}

/// f(x) and ∇f(x) from one forward and one backward pass.
public func valueWithGradient(at x: Tensor, in f: (Tensor) -> Tensor) -> (value: Double, gradient: Tensor) {
    let (value, grads) = valueWithGradientTracked(at: [x], in: { f($0[0]) })
    return (value.scalars[0], grads[0])
}

/// Gradients with respect to each tensor of a parameter set (a model's weights and biases):
/// element i of the result is ∂f/∂xᵢ, shaped like xᵢ.
public func gradient(at xs: [Tensor], in f: ([Tensor]) -> Tensor) -> [Tensor] {
    valueWithGradient(at: xs, in: f).gradient
}

/// f(x₁, …, xₖ) and its gradient with respect to each tensor.
public func valueWithGradient(at xs: [Tensor], in f: ([Tensor]) -> Tensor) -> (value: Double, gradient: [Tensor]) {
    let (value, grads) = valueWithGradientTracked(at: xs, in: f)
    return (value.scalars[0], grads)
}

/// Gradients of a function of two tensors, e.g. f(W, b).
public func gradient(at x: Tensor, _ y: Tensor, in f: (Tensor, Tensor) -> Tensor) -> (Tensor, Tensor) {
    let g = gradient(at: [x, y]) { f($0[0], $0[1]) }
    return (g[0], g[1])
}

/// The value as a tensor (tracked when nested) and the gradients; the shared core of the
/// entry points above. The backward pass is recorded only when some input is itself tracked
/// (differentiation inside differentiation); otherwise it is the plain first-order fast path.
func valueWithGradientTracked(at xs: [Tensor], in f: ([Tensor]) -> Tensor,
                              _ function: StaticString = #function) -> (value: Tensor, gradient: [Tensor]) {
    let vars = xs.map { $0.makeVariable() }
    let y = f(vars)
    requireScalar(y, function)
    let nested = xs.contains { $0.isTracked }
    let seed = Tensor(shape: y.shape, storage: [1], node: nil)
    let grads = Backward.run(from: y, seed: seed, to: vars, createGraph: nested)
    return (nested ? y : y.detached, zip(grads, xs).map { g, x in g ?? Tensor.zeros(x.shape) })
}

/// The vector–Jacobian product of a tensor-valued function: f(x) and the map ȳ ↦ J_f(x)ᵀ ȳ.
/// The pullback may be called many times; the forward pass runs once.
public func valueWithPullback(at x: Tensor, in f: (Tensor) -> Tensor) -> (value: Tensor, pullback: (Tensor) -> Tensor) {
    let v = x.makeVariable()
    let y = f(v)
    let pullback = { (ct: Tensor) -> Tensor in
        Backward.run(from: y, seed: ct, to: [v], createGraph: ct.isTracked || x.isTracked)[0] ?? Tensor.zeros(x.shape)
    }
    return (y.detached, pullback)
}

/// The Hessian of a scalar function at a point, as a linear operator v ↦ ∇²f(x)·v.
///
/// Built once, applied many times: the forward pass and the gradient's backward pass are
/// recorded on construction (g = ∇f(x) as a differentiable function of x); each application
/// is then one more backward pass, over that recorded gradient, seeded with v:
///     H·v = ∇ₓ ⟨∇f(x), v⟩.
/// This is exact (no finite differences), and it is the cheap way to run the many products
/// of a Lanczos or power iteration at one point.
public struct HessianOperator: @unchecked Sendable {
    /// f at the point.
    public let value: Double
    /// ∇f at the point, one tensor per variable (plain values).
    public let gradient: [Tensor]
    let variables: [Tensor]
    let recordedGradient: [Tensor]
    let nested: Bool

    /// The Hessian of f at a single tensor `x`.
    public init(at x: Tensor, in f: (Tensor) -> Tensor) {
        self.init(at: [x], in: { f($0[0]) })
    }

    /// The Hessian of f with respect to a parameter set; products take and return one tensor
    /// per parameter (the blocks of v and H·v).
    public init(at xs: [Tensor], in f: ([Tensor]) -> Tensor) {
        variables = xs.map { $0.makeVariable() }
        let y = f(variables)
        requireScalar(y, "HessianOperator")
        nested = xs.contains { $0.isTracked }
        let g = Backward.run(from: y, seed: Tensor(shape: y.shape, storage: [1], node: nil), to: variables, createGraph: true)
        recordedGradient = zip(g, xs).map { g, x in g ?? Tensor.zeros(x.shape) }
        value = y.scalars[0]
        gradient = recordedGradient.map(\.detached)
    }

    /// H·v for a single-tensor operator.
    public func callAsFunction(_ v: Tensor) -> Tensor {
        precondition(variables.count == 1, "HessianOperator: this operator has \(variables.count) parameter tensors; pass an array")
        return callAsFunction([v])[0]
    }

    /// H·v for a parameter-set operator: one tensor of v per parameter tensor.
    public func callAsFunction(_ v: [Tensor]) -> [Tensor] {
        precondition(v.count == variables.count, "HessianOperator: expected \(variables.count) direction tensors, got \(v.count)")
        for (vi, xi) in zip(v, variables) {
            precondition(vi.shape == xi.shape, "hessianVectorProduct: direction of shape \(vi.shape) for a variable of shape \(xi.shape)")
        }
        let createGraph = nested || v.contains { $0.isTracked }
        let hv: [Tensor?]
        if v.contains(where: { $0.isTracked }) {
            // ⟨g, v⟩ written out so that derivatives with respect to v flow too.
            var s = Tensor(0)
            for (gi, vi) in zip(recordedGradient, v) { s = s + dot(gi, vi) }
            hv = Backward.run(from: s, seed: Tensor(1), to: variables, createGraph: createGraph)
        } else {
            hv = Backward.run(from: recordedGradient, seeds: v, to: variables, createGraph: createGraph)
        }
        return zip(hv, variables).map { h, x in h ?? Tensor.zeros(x.shape) }
    }
}

/// ∇²f(x)·v, exact: differentiates the recorded backward pass (Pearlmutter's R-operator done
/// reverse-over-reverse), at the cost of a few gradient evaluations.
public func hessianVectorProduct(at x: Tensor, along v: Tensor, in f: (Tensor) -> Tensor) -> Tensor {
    HessianOperator(at: x, in: f)(v)
}

/// ∇²f·v for a parameter set: `v` and the result hold one tensor per parameter tensor.
public func hessianVectorProduct(at xs: [Tensor], along v: [Tensor], in f: ([Tensor]) -> Tensor) -> [Tensor] {
    HessianOperator(at: xs, in: f)(v)
}

/// The dense Hessian ∇²f(x), shape `[n, n]` with n = x.count, from n exact Hessian-vector
/// products with the unit vectors (one recording, n backward passes). For small problems.
public func hessian(at x: Tensor, in f: (Tensor) -> Tensor) -> Tensor {
    let op = HessianOperator(at: x, in: f)
    let n = x.count
    var h = [Double](repeating: 0, count: n * n)
    var e = Tensor.zeros(x.shape)
    for i in 0..<n {
        e.scalars[i] = 1
        let col = op(e)
        for j in 0..<n { h[j * n + i] = col.scalars[j] }
        e.scalars[i] = 0
    }
    return Tensor(shape: [n, n], storage: h, node: nil)
}

/// An estimate of diag ∇²f(x) by Hutchinson's method: for Rademacher probes z (±1 entries),
/// E[z ⊙ Hz] = diag H, so the mean of z ⊙ Hz over `probes` samples (Bekas, Kokiopoulou &
/// Saad 2007). Unbiased; its variance falls like 1/probes. Seeded, so repeatable.
public func hessianDiagonal(at x: Tensor, probes: Int = 100, seed: UInt64 = 0, in f: (Tensor) -> Tensor) -> Tensor {
    precondition(probes > 0, "hessianDiagonal: probes must be positive, got \(probes)")
    let op = HessianOperator(at: x, in: f)
    var rng = RNG(seed: seed)
    var acc = Tensor.zeros(x.shape)
    for _ in 0..<probes {
        let z = Tensor.randomRademacher(x.shape, using: &rng)
        acc.addInPlace(Tensor.zipWith(z, op(z), "hessianDiagonal") { $0 * $1 })
    }
    let scale: Double = 1 / Double(probes)
    return acc * scale
}
