import Autodiff

/// Adam (Kingma & Ba 2015) with `torch.optim.Adam`'s exact semantics:
///
///     d = g + λθ                                  (weight decay here is L2, coupled)
///     t ← t + 1;  m ← β₁ m + (1 − β₁) d;  v ← β₂ v + (1 − β₂) d²
///     θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
///
/// Defaults (PyTorch's): lr 1e-3, β = (0.9, 0.999), ε = 1e-8, λ = 0.
/// State: two scalars per parameter (m, v) and the step count.
public struct Adam: ComposedTransformation {
    public typealias Pieces = Chain<Chain<AddDecayedWeights, ScaleByAdam>, ScaleByLearningRate>
    public typealias State = Pieces.State

    /// The learning rate (the schedule's first value when a schedule is given).
    public let lr: Double
    /// ηₜ per step; `.constant(lr)` unless a schedule was passed, which then replaces `lr`.
    public let schedule: Schedule
    public let beta1: Double
    public let beta2: Double
    public let epsilon: Double
    public let weightDecay: Double
    /// AddDecayedWeights(λ) → ScaleByAdam(β₁, β₂, ε) → ScaleByLearningRate(ηₜ).
    public let pieces: Pieces

    public init(lr: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
                epsilon: Double = 1e-8, weightDecay: Double = 0,
                schedule: Schedule? = nil) {
        self.lr = lr
        self.schedule = schedule ?? .constant(lr)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        pieces = AddDecayedWeights(weightDecay)
            .then(ScaleByAdam(beta1: beta1, beta2: beta2, epsilon: epsilon))
            .then(ScaleByLearningRate(self.schedule))
    }

    public var name: String { "Adam(lr: \(label(lr)))" }
    public var reference: String { "Kingma & Ba 2015; torch.optim.Adam" }
}

/// AdamW (Loshchilov & Hutter 2019, decoupled weight decay) with `torch.optim.AdamW`'s
/// exact semantics: the decay multiplies the parameters, scaled by lr, and never enters
/// the moments:
///
///     θ ← θ (1 − lr·λ)
///     t ← t + 1;  m ← β₁ m + (1 − β₁) g;  v ← β₂ v + (1 − β₂) g²
///     θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
///
/// Built as ScaleByAdam → AddDecayedWeights(λ) → ScaleByLearningRate(ηₜ), which is the same step:
/// θ − lr(adam + λθ). Defaults (PyTorch's): lr 1e-3, β = (0.9, 0.999), ε = 1e-8, λ = 1e-2.
/// State: two scalars per parameter and the step count.
public struct AdamW: ComposedTransformation {
    public typealias Pieces = Chain<Chain<ScaleByAdam, AddDecayedWeights>, ScaleByLearningRate>
    public typealias State = Pieces.State

    /// The learning rate (the schedule's first value when a schedule is given).
    public let lr: Double
    /// ηₜ per step; `.constant(lr)` unless a schedule was passed, which then replaces `lr`.
    public let schedule: Schedule
    public let beta1: Double
    public let beta2: Double
    public let epsilon: Double
    public let weightDecay: Double
    public let pieces: Pieces

    public init(lr: Double = 1e-3, weightDecay: Double = 1e-2, beta1: Double = 0.9, beta2: Double = 0.999,
                epsilon: Double = 1e-8,
                schedule: Schedule? = nil) {
        self.lr = lr
        self.schedule = schedule ?? .constant(lr)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        pieces = ScaleByAdam(beta1: beta1, beta2: beta2, epsilon: epsilon)
            .then(AddDecayedWeights(weightDecay))
            .then(ScaleByLearningRate(self.schedule))
    }

    public var name: String { "AdamW(lr: \(label(lr)), weightDecay: \(label(weightDecay)))" }
    public var reference: String { "Loshchilov & Hutter 2019; torch.optim.AdamW" }
}
