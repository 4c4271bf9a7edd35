import Autodiff
import Models

/// Sophia, "Second-order Clipped Stochastic Optimization" (Liu et al. 2023; Liuhong99/Sophia
/// `sophia.py`):
///
///     m ← β₁ m + (1 − β₁) g                                  (every step, no bias correction)
///     θ ← θ (1 − lr·λ)
///     θ ← θ − lr · sign(m) · min(|m| / max(ρ·bs·h, 1e-15), 1)
///     every k steps, after the step:  h ← β₂ h + (1 − β₂) ĥ, with ĥ from one of
///       Gauss–Newton–Bartlett (SophiaG, the reference's): ĥ = ĝ ⊙ ĝ, ĝ the gradient of the
///         batch loss on labels sampled from the model's own predictions;
///       Hutchinson (Sophia-H): ĥ = u ⊙ (∇²L u), u ~ N(0, I).
/// `.automatic` takes Gauss–Newton–Bartlett when the objective knows its network and batch
/// (`fit`), Hutchinson otherwise (a plain function has no labels to resample).
///
/// The reference divides by ρ·bs·h + 1e-15, which is the same for its non-negative
/// Gauss–Newton estimate; Hutchinson's ĥ can be negative, so the denominator is guarded with
/// max as in the paper's clip(m / max(γh, ε), 1). Until the first estimate (h = 0) every
/// coordinate takes the full step lr·sign(m), like signSGD with momentum.
///
/// Defaults (the reference's): lr 1e-4, β = (0.965, 0.99), ρ = 0.04, λ = 0.1, k = 10,
/// bs = the batch size under Gauss–Newton–Bartlett (the reference passes the batch's token
/// count), 1 under Hutchinson. Seeded samples and probes.
/// State: two scalars per parameter (m, h) and the step count.
public struct Sophia: Optimizer {
    public enum HessianEstimator: Sendable { case automatic, gaussNewtonBartlett, hutchinson }

    public struct State {
        public var momentum: [Tensor]
        public var hessian: [Tensor]
        public var count: Int
        public var rng: RNG
    }

    public let lr: Double
    public let beta1: Double
    public let beta2: Double
    public let rho: Double
    public let weightDecay: Double
    public let hessianInterval: Int
    /// bs in ρ·bs·h; nil: the batch size under Gauss–Newton–Bartlett, 1 under Hutchinson.
    public let batchSize: Double?
    public let estimator: HessianEstimator
    public let seed: UInt64

    public init(lr: Double = 1e-4, beta1: Double = 0.965, beta2: Double = 0.99, rho: Double = 0.04,
                weightDecay: Double = 0.1, hessianInterval: Int = 10, batchSize: Double? = nil,
                estimator: HessianEstimator = .automatic, seed: UInt64 = 0) {
        precondition(hessianInterval >= 1, "Sophia: hessianInterval must be ≥ 1")
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.rho = rho
        self.weightDecay = weightDecay
        self.hessianInterval = hessianInterval
        self.batchSize = batchSize
        self.estimator = estimator
        self.seed = seed
    }

    public var name: String { "Sophia(lr: \(label(lr)))" }
    public var reference: String { "Liu et al. 2023; Liuhong99/Sophia sophia.py" }

    public func makeState(for parameters: [Tensor]) -> State {
        State(momentum: zerosLike(parameters), hessian: zerosLike(parameters), count: 0, rng: RNG(seed: seed))
    }

    public func step(_ parameters: inout [Tensor], state: inout State, objective: Objective) -> StepResult {
        let (loss, g) = objective.valueWithGradient(at: parameters)
        let useGNB: Bool
        switch estimator {
        case .automatic: useGNB = objective.model != nil
        case .gaussNewtonBartlett:
            precondition(objective.model != nil, "Sophia: Gauss–Newton–Bartlett needs an objective made from a network and a batch (fit)")
            useGNB = true
        case .hutchinson: useGNB = false
        }
        let bs = batchSize ?? (useGNB ? Double(objective.model!.batch.count) : 1)
        state.count += 1
        for i in parameters.indices {
            state.momentum[i] = elementwise(state.momentum[i], g[i]) { m, g in beta1 * m + (1 - beta1) * g }
            let decayed = elementwise(parameters[i]) { $0 * (1 - lr * weightDecay) }
            let ratio = elementwise(state.momentum[i], state.hessian[i]) { m, h in
                signum(m) * Swift.min(abs(m) / Swift.max(rho * bs * h, 1e-15), 1)
            }
            parameters[i] = elementwise(decayed, ratio) { p, r in p - lr * r }
        }
        if state.count % hessianInterval == 0 {
            let estimate = useGNB
                ? gaussNewtonBartlettDiagonal(at: parameters, model: objective.model!, rng: &state.rng)
                : hutchinsonDiagonal(at: parameters, objective: objective, rng: &state.rng)
            for i in parameters.indices {
                state.hessian[i] = elementwise(state.hessian[i], estimate[i]) { h, e in beta2 * h + (1 - beta2) * e }
            }
        }
        return StepResult(loss: loss, gradient: g)
    }

    /// ĝ ⊙ ĝ with ĝ the gradient of the batch loss on labels drawn from the model itself
    /// (SophiaG's estimator; times bs it estimates the Gauss–Newton diagonal).
    func gaussNewtonBartlettDiagonal(at parameters: [Tensor], model: (net: MLP, batch: Dataset), rng: inout RNG) -> [Tensor] {
        let output = model.net(model.batch.inputs, parameters.map(\.detached)).detached
        let sampled = sampledFromModel(model.batch, output: output, rng: &rng)
        let gHat = gradient(at: parameters, in: model.net.loss(on: sampled))
        return gHat.map { g in elementwise(g, g) { $0 * $1 } }
    }

    /// One Hutchinson sample of diag ∇²L: u ⊙ (∇²L u) with u ~ N(0, I), unbiased.
    func hutchinsonDiagonal(at parameters: [Tensor], objective: Objective, rng: inout RNG) -> [Tensor] {
        let u = parameters.map { Tensor.randomNormal($0.shape, using: &rng) }
        let hu = hessianVectorProduct(at: parameters, along: u, in: objective.function)
        return zip(u, hu).map { u, hu in elementwise(u, hu) { $0 * $1 } }
    }

    public func stateSize(for shapes: [[Int]]) -> Int { 2 * scalarCount(shapes) }
}
