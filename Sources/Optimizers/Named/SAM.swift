import Autodiff
import Models

/// Sharpness-Aware Minimization (Foret et al. 2021, davda54/sam `sam.py`) over any base
/// optimizer. Each step asks for the gradient twice:
///
///     g = ∇L(θ)
///     ε̂ = ρ · g / (‖g‖ + 1e-12)                           (the worst-case step of length ρ)
///     g_SAM = ∇L(θ + ε̂)
///     θ ← BaseOptimizer(θ, g_SAM)                           (the base steps from θ, not θ + ε̂)
///
/// so it descends the loss at the nearby worst point, preferring flat regions. `adaptive`
/// gives ASAM (Kwon et al. 2021): with T = |θ| + η, ε̂ = ρ · T² ⊙ g / (‖T ⊙ g‖ + 1e-12), a
/// neighbourhood scaled per coordinate by |θ| (use a larger ρ, e.g. 0.5–2). η = 0 is
/// davda54's form; SamsungLabs/ASAM uses η = 0.01 (on weights only, with 1e-16 in the
/// denominator; here η applies to every parameter).
///
/// m-sharpness (`mSharpness: m`, Foret et al. §4): the batch is cut into consecutive chunks
/// of m examples, each gets its own ε̂ₖ from its own gradient, and the step uses the
/// size-weighted mean of ∇Lₖ(θ + ε̂ₖ). Needs an objective that knows its network and batch
/// (`fit`); m ≥ the batch size is plain SAM.
///
/// Defaults: ρ = 0.05, not adaptive, no m-sharpness. Cost: two gradient evaluations per step. State: the
/// base optimizer's plus one scalar per parameter (ε̂, alive during the step; davda54 keeps
/// the old weights instead, the same size).
///
///     SAM(SGD(lr: 0.1, momentum: 0.9), rho: 0.05).minimize(Functions.himmelblau, from: [0, 0], steps: 100)
public struct SAM<Base: Optimizer>: Optimizer {
    public typealias State = Base.State

    public let base: Base
    public let rho: Double
    public let adaptive: Bool
    /// ASAM's η in T = |θ| + η (only used when adaptive).
    public let eta: Double
    /// Examples per perturbation (m-sharpness); nil: one perturbation for the whole batch.
    public let mSharpness: Int?

    public init(_ base: Base, rho: Double = 0.05, adaptive: Bool = false, eta: Double = 0, mSharpness: Int? = nil) {
        precondition(rho >= 0, "SAM: rho must be ≥ 0, got \(rho)")
        precondition(eta >= 0, "SAM: eta must be ≥ 0, got \(eta)")
        precondition(mSharpness.map { $0 > 0 } ?? true, "SAM: mSharpness must be positive")
        self.base = base
        self.rho = rho
        self.adaptive = adaptive
        self.eta = eta
        self.mSharpness = mSharpness
    }

    public var name: String { "\(adaptive ? "ASAM" : "SAM")(\(base.name), rho: \(label(rho)))" }
    public var reference: String {
        adaptive ? "Kwon et al. 2021 (ASAM); davda54/sam" : "Foret et al. 2021; davda54/sam"
    }

    public func makeState(for parameters: [Tensor]) -> State { base.makeState(for: parameters) }

    /// ε̂ for gradient g at θ: ρ·g/(‖g‖ + 1e-12), or ρ·T²⊙g/(‖T⊙g‖ + 1e-12) with T = |θ| + η when adaptive.
    public func perturbation(gradient g: [Tensor], at parameters: [Tensor]) -> [Tensor] {
        var sumSquares = 0.0
        for (gi, pi) in zip(g, parameters) {
            for (gv, pv) in zip(gi.scalars, pi.scalars) {
                let s = adaptive ? (abs(pv) + eta) * gv : gv
                sumSquares += s * s
            }
        }
        let scale = rho / (sumSquares.squareRoot() + 1e-12)
        return zip(g, parameters).map { gi, pi in
            elementwise(gi, pi) { gv, pv in
                let t = adaptive ? abs(pv) + eta : 1
                return t * t * gv * scale
            }
        }
    }

    public func step(_ parameters: inout [Tensor], state: inout State, objective: Objective) -> StepResult {
        var first: (value: Double, gradient: [Tensor])? = nil
        let sharpnessAware = Objective(function: objective.function, model: objective.model) { w in
            let here = objective.valueWithGradient(at: w)
            if first == nil { first = here }
            if let m = mSharpness, let (net, batch) = objective.model, m < batch.count {
                return (here.value, chunkedGradient(net: net, batch: batch, chunk: m, at: w))
            }
            precondition(mSharpness == nil || objective.model != nil,
                         "SAM: m-sharpness needs an objective made from a network and a batch (fit)")
            let e = perturbation(gradient: here.gradient, at: w)
            let perturbed = zip(w, e).map { wi, ei in elementwise(wi, ei) { $0 + $1 } }
            let there = objective.valueWithGradient(at: perturbed)
            return (here.value, there.gradient)
        }
        _ = base.step(&parameters, state: &state, objective: sharpnessAware)
        guard let first else { preconditionFailure("SAM: the base optimizer took a step without asking for a gradient") }
        return StepResult(loss: first.value, gradient: first.gradient)
    }

    /// Σₖ (nₖ/n)·∇Lₖ(θ + ε̂ₖ) over consecutive chunks of `chunk` examples, ε̂ₖ from ∇Lₖ(θ).
    func chunkedGradient(net: MLP, batch: Dataset, chunk: Int, at w: [Tensor]) -> [Tensor] {
        var total = zerosLike(w)
        for start in stride(from: 0, to: batch.count, by: chunk) {
            let part = batch.subset(Array(start..<Swift.min(start + chunk, batch.count)))
            let loss = net.loss(on: part)
            let g = gradient(at: w, in: loss)
            let e = perturbation(gradient: g, at: w)
            let gs = gradient(at: zip(w, e).map { wi, ei in elementwise(wi, ei) { $0 + $1 } }, in: loss)
            let weight = Double(part.count) / Double(batch.count)
            total = zip(total, gs).map { t, g in elementwise(t, g) { $0 + weight * $1 } }
        }
        return total
    }

    public func stateSize(for shapes: [[Int]]) -> Int { base.stateSize(for: shapes) + scalarCount(shapes) }
}
