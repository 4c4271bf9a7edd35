import Autodiff

/// Lion, "EvoLved Sign Momentum" (Chen et al. 2023; google/automl `lion_pytorch.py`):
///
///     c = β₁ m + (1 − β₁) g
///     θ ← θ (1 − lr·λ) − lr · sign(c)
///     m ← β₂ m + (1 − β₂) g
///
/// Defaults: lr 1e-4, β = (0.9, 0.99), λ = 0. The paper advises an lr 3–10× smaller than
/// AdamW's and a λ 3–10× larger, since every coordinate moves by the full lr.
/// State: one scalar per parameter (m), half of Adam's.
public struct Lion: ComposedTransformation {
    public typealias Pieces = Chain<Chain<ScaleByLion, AddDecayedWeights>, ScaleByLearningRate>
    public typealias State = Pieces.State

    /// The learning rate (the schedule's first value when a schedule is given).
    public let lr: Double
    /// ηₜ per step; `.constant(lr)` unless a schedule was passed, which then replaces `lr`.
    public let schedule: Schedule
    public let beta1: Double
    public let beta2: Double
    public let weightDecay: Double
    /// ScaleByLion(β₁, β₂) → AddDecayedWeights(λ) → ScaleByLearningRate(ηₜ).
    public let pieces: Pieces

    public init(lr: Double = 1e-4, beta1: Double = 0.9, beta2: Double = 0.99, weightDecay: Double = 0,
                schedule: Schedule? = nil) {
        self.lr = lr
        self.schedule = schedule ?? .constant(lr)
        self.beta1 = beta1
        self.beta2 = beta2
        self.weightDecay = weightDecay
        pieces = ScaleByLion(beta1: beta1, beta2: beta2).then(AddDecayedWeights(weightDecay)).then(ScaleByLearningRate(self.schedule))
    }

    public var name: String { "Lion(lr: \(label(lr)))" }
    public var reference: String { "Chen et al. 2023; google/automl lion_pytorch.py" }
}
