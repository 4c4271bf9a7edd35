import Autodiff

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
/// Defaults: ρ = 0.05, not adaptive. Cost: two gradient evaluations per step. State: the
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

    public init(_ base: Base, rho: Double = 0.05, adaptive: Bool = false, eta: Double = 0) {
        precondition(rho >= 0, "SAM: rho must be ≥ 0, got \(rho)")
        precondition(eta >= 0, "SAM: eta must be ≥ 0, got \(eta)")
        self.base = base
        self.rho = rho
        self.adaptive = adaptive
        self.eta = eta
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
            let e = perturbation(gradient: here.gradient, at: w)
            let perturbed = zip(w, e).map { wi, ei in elementwise(wi, ei) { $0 + $1 } }
            let there = objective.valueWithGradient(at: perturbed)
            return (here.value, there.gradient)
        }
        _ = base.step(&parameters, state: &state, objective: sharpnessAware)
        guard let first else { preconditionFailure("SAM: the base optimizer took a step without asking for a gradient") }
        return StepResult(loss: first.value, gradient: first.gradient)
    }

    public func stateSize(for shapes: [[Int]]) -> Int { base.stateSize(for: shapes) + scalarCount(shapes) }
}
