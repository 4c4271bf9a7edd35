import Autodiff
import Models
import Optimizers

/// Full-batch gradient descent with its sharpness recorded: the experiment of Cohen et al.
/// 2021, "Gradient Descent on Neural Networks Typically Occurs at the Edge of Stability".
/// GD on a quadratic with curvature λ diverges when λ > 2/η; on a network the sharpness
/// λmax(∇²L) rises ("progressive sharpening") until it reaches 2/η and then hovers there
/// while the loss keeps falling, non-monotonically.
public struct EdgeOfStabilityRun: Sendable {
    /// η.
    public let learningRate: Double
    /// L(θₜ) before step t, for t = 0..<steps (and the final loss last).
    public let losses: [Double]
    /// The steps t at which the sharpness was measured.
    public let sharpnessSteps: [Int]
    /// λmax(∇²L(θₜ)) at those steps (Lanczos).
    public let sharpness: [Double]
    /// θ after the last step.
    public let parameters: [Tensor]
    /// Whether the loss became non-finite (the run stopped there).
    public let diverged: Bool

    /// 2/η, the stability threshold of GD on a quadratic: the line the sharpness is drawn against.
    public var threshold: Double { 2 / learningRate }
}

/// Runs `steps` of full-batch GD, θ ← θ − η∇L(θ), on `loss` from `parameters`, measuring the
/// top Hessian eigenvalue by Lanczos every `every` steps (and after the last step). Cohen et
/// al.'s setup is an MSE loss (whose Hessian in the outputs is constant) at η = 0.01, where
/// 2/η = 200; `MLP.loss(on:)` gives MSE for a dataset with targets.
public func trackEdgeOfStability(of loss: ([Tensor]) -> Tensor, from parameters: [Tensor], learningRate eta: Double,
                                 steps: Int, every: Int = 10, seed: UInt64 = 0) -> EdgeOfStabilityRun {
    precondition(eta > 0 && steps >= 0 && every >= 1, "trackEdgeOfStability: needs η > 0, steps ≥ 0, every ≥ 1")
    var theta = parameters.map(\.detached)
    var losses: [Double] = [], at: [Int] = [], sharpness: [Double] = []
    var diverged = false
    func measure(_ t: Int) {
        at.append(t)
        sharpness.append(Hessian(of: loss, at: theta).topEigenvalues(1, tolerance: 1e-8, seed: seed &+ UInt64(t))[0])
    }
    for t in 0..<steps {
        if t % every == 0 { measure(t) }
        let (value, g) = valueWithGradient(at: theta, in: loss)
        losses.append(value)
        if !value.isFinite { diverged = true; break }
        theta = zip(theta, g).map { ($0 - eta * $1).detached }
    }
    if !diverged {
        let final = loss(theta).scalar
        losses.append(final)
        if final.isFinite { measure(steps) } else { diverged = true }
    }
    return EdgeOfStabilityRun(learningRate: eta, losses: losses, sharpnessSteps: at, sharpness: sharpness,
                              parameters: theta, diverged: diverged)
}

/// `trackEdgeOfStability` for an MLP's full-batch training loss on `data`.
public func trackEdgeOfStability(_ net: MLP, on data: Dataset, from parameters: [Tensor]? = nil, learningRate eta: Double,
                                 steps: Int, every: Int = 10, seed: UInt64 = 0) -> EdgeOfStabilityRun {
    trackEdgeOfStability(of: net.loss(on: data), from: parameters ?? net.initialParameters(seed: seed),
                         learningRate: eta, steps: steps, every: every, seed: seed)
}
