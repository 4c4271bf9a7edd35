import Foundation
import Autodiff

/// The eigenvalue density of a Hessian, φ(t) = (1/n) Σᵢ δ(t − λᵢ), estimated by stochastic
/// Lanczos quadrature and smoothed by Gaussians: a curve on a grid, ready to plot.
public struct SpectralDensity: Sendable, Equatable {
    /// Evenly spaced points t covering the Ritz values (with margins).
    public let grid: [Double]
    /// The smoothed density at each grid point, normalized so that Σ density·Δt = 1.
    public let density: [Double]
    /// Per run: the quadrature nodes (eigenvalues of the Lanczos matrix T).
    public let nodes: [[Double]]
    /// Per run: the quadrature weights (squared first components of T's eigenvectors; they
    /// sum to 1).
    public let weights: [[Double]]
    /// The variance σ² of the broadening Gaussians.
    public let variance: Double

    /// The grid spacing Δt.
    public var spacing: Double { grid.count > 1 ? grid[1] - grid[0] : 0 }

    /// Σ density·Δt (1 by construction: the normalization PyHessian applies).
    public var integral: Double { density.reduce(0, +) * spacing }

    /// The mean eigenvalue read off the curve, Σ t·density·Δt.
    public var mean: Double { zip(grid, density).reduce(0) { $0 + $1.0 * $1.1 } * spacing }

    /// The mean eigenvalue of the quadrature itself, averaged over runs: Σₖ wₖθₖ = vᵀHv for
    /// the unit start vector v, so for a Rademacher v/√n it is one Hutchinson sample of tr H / n.
    public var quadratureMean: Double {
        let perRun = zip(nodes, weights).map { n, w in zip(n, w).reduce(0) { $0 + $1.0 * $1.1 } }
        return perRun.reduce(0, +) / Double(perRun.count)
    }

    /// The smoothed, unnormalized estimate at any t: (1/runs) Σ_runs Σₖ wₖ·N(t; θₖ, σ²).
    public func value(at t: Double) -> Double {
        var s = 0.0
        for (n, w) in zip(nodes, weights) {
            for (theta, weight) in zip(n, w) { s += weight * SpectralDensity.gaussian(t - theta, variance: variance) }
        }
        return s / Double(nodes.count)
    }

    static func gaussian(_ x: Double, variance: Double) -> Double {
        exp(-x * x / (2 * variance)) / (2 * Double.pi * variance).squareRoot()
    }
}

extension Hessian {
    /// The spectral density by stochastic Lanczos quadrature (Ghorbani, Krishnan & Xiao 2019;
    /// PyHessian's `density()`): for each of `runs` Rademacher start vectors v (normalized),
    /// `steps` Lanczos steps with full reorthogonalization give T = V diag(θ) Vᵀ, and
    ///     vᵀ f(H) v ≈ Σₖ wₖ f(θₖ),  wₖ = (V₁ₖ)²
    /// (Gauss quadrature, exact for polynomials of degree < 2·steps). With f a Gaussian of
    /// variance σ² centred at t this is the smoothed density at t, averaged over runs:
    ///     φ_σ(t) = (1/runs) Σ_runs Σₖ wₖ exp(−(t − θₖ)²/2σ²)/√(2πσ²),
    /// with PyHessian's σ² = `varianceFactor`·max(1, λmax − λmin) on a `gridPoints` grid
    /// from the mean smallest to the mean largest node, normalized to integrate to 1.
    ///
    /// Defaults are PyHessian's (100 steps, 1 run, 10 000 points, 1e-5). One deviation: the
    /// grid extends max(0.01, 6σ) beyond the extreme nodes, not PyHessian's fixed 0.01, so
    /// the outermost Gaussians are not cut off and the curve's mean stays the quadrature's.
    /// A run stops early if the Krylov space becomes invariant; its quadrature is then exact.
    public func spectralDensity(steps: Int = 100, runs: Int = 1, gridPoints: Int = 10_000,
                                varianceFactor: Double = 1e-5, seed: UInt64 = 0) -> SpectralDensity {
        precondition(steps >= 1 && runs >= 1 && gridPoints >= 2, "spectralDensity: steps, runs must be ≥ 1 and gridPoints ≥ 2")
        var rng = RNG(seed: seed)
        var nodes: [[Double]] = [], weights: [[Double]] = []
        for _ in 0..<runs {
            let v = Tensor.randomRademacher([dimension], using: &rng).scalars
            let run = lanczos(start: v, maxSteps: steps, restart: false, rng: &rng)
            let (theta, vectors) = run.ritz()
            let m = run.steps
            nodes.append(theta)
            weights.append((0..<m).map { vectors[$0] * vectors[$0] })  // row 0: first components
        }
        let high = nodes.map { $0.max()! }.reduce(0, +) / Double(runs)
        let low = nodes.map { $0.min()! }.reduce(0, +) / Double(runs)
        let variance = varianceFactor * Swift.max(1, high - low)
        let margin = Swift.max(0.01, 6 * variance.squareRoot())
        let grid = Tensor.linspace(from: low - margin, to: high + margin, count: gridPoints).scalars
        var density = [Double](repeating: 0, count: gridPoints)
        for (n, w) in zip(nodes, weights) {
            for (theta, weight) in zip(n, w) where weight > 0 {
                for j in 0..<gridPoints {
                    density[j] += weight * SpectralDensity.gaussian(grid[j] - theta, variance: variance)
                }
            }
        }
        let spacing = grid[1] - grid[0]
        let total = density.reduce(0, +) * spacing
        if total > 0 { density = density.map { $0 / total } }
        return SpectralDensity(grid: grid, density: density, nodes: nodes, weights: weights, variance: variance)
    }
}
