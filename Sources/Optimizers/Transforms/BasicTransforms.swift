import Autodiff

/// u = c·g: multiply every update by a constant. With c = −lr it ends most chains
/// (gradient descent is `ScaleByConstant(-lr)` alone).
public struct ScaleByConstant: GradientTransformation {
    public typealias State = Void
    public let factor: Double

    public init(_ factor: Double) { self.factor = factor }

    public var name: String { "ScaleByConstant(\(label(factor)))" }
    public func makeState(for parameters: [Tensor]) -> State {}
    public func update(_ gradients: [Tensor], state: inout State, parameters: [Tensor]) -> [Tensor] {
        gradients.map { g in elementwise(g) { factor * $0 } }
    }
    public func stateSize(for shapes: [[Int]]) -> Int { 0 }
}

/// u = g + λθ: adds the gradient of the penalty (λ/2)‖θ‖². Placed *before* an adaptive
/// transform it is L2 regularization (PyTorch's `weight_decay` in SGD and Adam); placed
/// *after* it, then scaled by −lr, it is decoupled weight decay θ ← θ(1 − lr·λ) − lr·u
/// (AdamW, Lion; Loshchilov & Hutter 2019).
public struct AddDecayedWeights: GradientTransformation {
    public typealias State = Void
    public let weightDecay: Double

    public init(_ weightDecay: Double) { self.weightDecay = weightDecay }

    public var name: String { "AddDecayedWeights(\(label(weightDecay)))" }
    public func makeState(for parameters: [Tensor]) -> State {}
    public func update(_ gradients: [Tensor], state: inout State, parameters: [Tensor]) -> [Tensor] {
        guard weightDecay != 0 else { return gradients }
        return zip(gradients, parameters).map { g, p in elementwise(g, p) { $0 + weightDecay * $1 } }
    }
    public func stateSize(for shapes: [[Int]]) -> Int { 0 }
}

/// Heavy-ball momentum with PyTorch's `torch.optim.SGD` conventions (Polyak 1964; Nesterov
/// form from Sutskever et al. 2013):
///
///     b₁ = g₁,  bₜ = μ bₜ₋₁ + (1 − τ) gₜ          (τ = dampening; the first step copies g)
///     u = g + μ b   (Nesterov)   or   u = b
///
/// With μ = 0 the gradient passes through and no buffer is kept.
public struct Momentum: GradientTransformation {
    /// The buffer b, absent before the first step (and always, when μ = 0).
    public typealias State = [Tensor]?
    public let momentum: Double
    public let dampening: Double
    public let nesterov: Bool

    public init(_ momentum: Double, dampening: Double = 0, nesterov: Bool = false) {
        precondition(momentum >= 0, "Momentum: momentum must be ≥ 0, got \(momentum)")
        precondition(!nesterov || (momentum > 0 && dampening == 0),
                     "Momentum: Nesterov momentum requires a momentum > 0 and zero dampening")
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
    }

    public var name: String { "Momentum(\(label(momentum))\(nesterov ? ", nesterov" : ""))" }
    public func makeState(for parameters: [Tensor]) -> State { nil }

    public func update(_ gradients: [Tensor], state: inout State, parameters: [Tensor]) -> [Tensor] {
        guard momentum != 0 else { return gradients }
        let buffer: [Tensor]
        if let b = state {
            buffer = zip(b, gradients).map { b, g in elementwise(b, g) { momentum * $0 + (1 - dampening) * $1 } }
        } else {
            buffer = gradients
        }
        state = buffer
        if nesterov {
            return zip(gradients, buffer).map { g, b in elementwise(g, b) { $0 + momentum * $1 } }
        }
        return buffer
    }

    public func stateSize(for shapes: [[Int]]) -> Int { momentum == 0 ? 0 : scalarCount(shapes) }
}

/// Rescales all updates together so that their global norm is at most `maxNorm`:
/// u = g · min(1, maxNorm/‖g‖) (PyTorch's `clip_grad_norm_`, optax's `clip_by_global_norm`).
public struct ClipByGlobalNorm: GradientTransformation {
    public typealias State = Void
    public let maxNorm: Double

    public init(_ maxNorm: Double) {
        precondition(maxNorm > 0, "ClipByGlobalNorm: maxNorm must be positive, got \(maxNorm)")
        self.maxNorm = maxNorm
    }

    public var name: String { "ClipByGlobalNorm(\(label(maxNorm)))" }
    public func makeState(for parameters: [Tensor]) -> State {}
    public func update(_ gradients: [Tensor], state: inout State, parameters: [Tensor]) -> [Tensor] {
        let norm = globalNorm(gradients)
        guard norm > maxNorm else { return gradients }
        let c = maxNorm / norm
        return gradients.map { g in elementwise(g) { c * $0 } }
    }
    public func stateSize(for shapes: [[Int]]) -> Int { 0 }
}
