import Autodiff

/// Stochastic gradient descent with optional momentum, Nesterov momentum and (coupled)
/// weight decay, exactly as `torch.optim.SGD`:
///
///     d = g + λθ                                   (weight decay, L2)
///     b₁ = d,  bₜ = μ bₜ₋₁ + (1 − τ) d             (momentum μ, dampening τ)
///     d = d + μ b  (Nesterov)   or   d = b
///     θ ← θ − lr·d
///
/// Defaults: μ = 0, τ = 0, λ = 0, no Nesterov; lr has no good default (PyTorch's is 1e-3).
/// State: none, or one scalar per parameter (the momentum buffer) when μ > 0.
/// Papers: Robbins & Monro 1951; Polyak 1964 (heavy ball); Sutskever et al. 2013 (Nesterov
/// form used by deep-learning libraries).
///
///     SGD(lr: 0.1, momentum: 0.9).minimize(from: [1, 1], steps: 50) { x in x[0] * x[0] + 10 * x[1] * x[1] }
public struct SGD: ComposedTransformation {
    public typealias Pieces = Chain<Chain<AddDecayedWeights, Momentum>, ScaleByLearningRate>
    public typealias State = Pieces.State

    /// The learning rate (the schedule's first value when a schedule is given).
    public let lr: Double
    /// ηₜ per step; `.constant(lr)` unless a schedule was passed, which then replaces `lr`.
    public let schedule: Schedule
    public let momentum: Double
    public let dampening: Double
    public let weightDecay: Double
    public let nesterov: Bool
    /// The chain this optimizer is: AddDecayedWeights(λ) → Momentum(μ) → ScaleByLearningRate(ηₜ).
    public let pieces: Pieces

    public init(lr: Double = 1e-3, momentum: Double = 0, dampening: Double = 0,
                weightDecay: Double = 0, nesterov: Bool = false,
                schedule: Schedule? = nil) {
        self.lr = lr
        self.schedule = schedule ?? .constant(lr)
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        pieces = AddDecayedWeights(weightDecay)
            .then(Momentum(momentum, dampening: dampening, nesterov: nesterov))
            .then(ScaleByLearningRate(self.schedule))
    }

    public var name: String {
        var s = "SGD(lr: \(label(lr))"
        if momentum != 0 { s += ", momentum: \(label(momentum))" }
        if nesterov { s += ", nesterov" }
        if weightDecay != 0 { s += ", weightDecay: \(label(weightDecay))" }
        return s + ")"
    }
    public var reference: String {
        momentum == 0 ? "Robbins & Monro 1951; torch.optim.SGD"
            : (nesterov ? "Sutskever et al. 2013 (Nesterov); torch.optim.SGD" : "Polyak 1964 (heavy ball); torch.optim.SGD")
    }
}
