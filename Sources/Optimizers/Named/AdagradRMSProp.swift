import Autodiff

/// Adagrad as `torch.optim.Adagrad` (Duchi, Hazan & Singer 2011):
///
///     d = g + λθ;  s ← s + d²;  θ ← θ − lr · d / (√s + ε)
///
/// Defaults (PyTorch's): lr 1e-2, ε = 1e-10, λ = 0, initial accumulator 0, no lr decay.
/// State: one scalar per parameter (s).
public struct Adagrad: ComposedTransformation {
    public typealias Pieces = Chain<Chain<AddDecayedWeights, ScaleByAdagrad>, ScaleByLearningRate>
    public typealias State = Pieces.State

    /// The learning rate (the schedule's first value when a schedule is given).
    public let lr: Double
    /// ηₜ per step; `.constant(lr)` unless a schedule was passed, which then replaces `lr`.
    public let schedule: Schedule
    public let epsilon: Double
    public let weightDecay: Double
    public let pieces: Pieces

    public init(lr: Double = 1e-2, epsilon: Double = 1e-10, weightDecay: Double = 0, initialAccumulator: Double = 0,
                schedule: Schedule? = nil) {
        self.lr = lr
        self.schedule = schedule ?? .constant(lr)
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        pieces = AddDecayedWeights(weightDecay)
            .then(ScaleByAdagrad(epsilon: epsilon, initialAccumulator: initialAccumulator))
            .then(ScaleByLearningRate(self.schedule))
    }

    public var name: String { "Adagrad(lr: \(label(lr)))" }
    public var reference: String { "Duchi, Hazan & Singer 2011; torch.optim.Adagrad" }
}

/// RMSProp as `torch.optim.RMSprop` (Tieleman & Hinton 2012):
///
///     d = g + λθ;  v ← α v + (1 − α) d²
///     θ ← θ − lr · d / (√v + ε)           (centered: √(v − ḡ²); momentum: through a buffer)
///
/// Defaults (PyTorch's): lr 1e-2, α = 0.99, ε = 1e-8, λ = 0, momentum 0, not centered.
/// State: one scalar per parameter (+1 centered, +1 with momentum).
public struct RMSProp: ComposedTransformation {
    public typealias Pieces = Chain<Chain<AddDecayedWeights, ScaleByRMSProp>, ScaleByLearningRate>
    public typealias State = Pieces.State

    /// The learning rate (the schedule's first value when a schedule is given).
    public let lr: Double
    /// ηₜ per step; `.constant(lr)` unless a schedule was passed, which then replaces `lr`.
    public let schedule: Schedule
    public let alpha: Double
    public let epsilon: Double
    public let weightDecay: Double
    public let momentum: Double
    public let centered: Bool
    public let pieces: Pieces

    public init(lr: Double = 1e-2, alpha: Double = 0.99, epsilon: Double = 1e-8, weightDecay: Double = 0,
                momentum: Double = 0, centered: Bool = false,
                schedule: Schedule? = nil) {
        self.lr = lr
        self.schedule = schedule ?? .constant(lr)
        self.alpha = alpha
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.momentum = momentum
        self.centered = centered
        pieces = AddDecayedWeights(weightDecay)
            .then(ScaleByRMSProp(alpha: alpha, epsilon: epsilon, momentum: momentum, centered: centered))
            .then(ScaleByLearningRate(self.schedule))
    }

    public var name: String { "RMSProp(lr: \(label(lr)))" }
    public var reference: String { "Tieleman & Hinton 2012; torch.optim.RMSprop" }
}
