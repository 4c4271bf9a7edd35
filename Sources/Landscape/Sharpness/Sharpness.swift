import Autodiff
import Models
import Optimizers

/// How much the loss can rise near a point: the number a sharpness probe reports, with the
/// worst perturbation it found.
public struct SharpnessEstimate: Sendable, Equatable {
    /// L(θ).
    public let loss: Double
    /// The largest L(θ + ε) − L(θ) found.
    public let increase: Double
    /// The perturbation ε that gave it, flat in parameter order.
    public let perturbation: [Double]
    /// Every increase tried, in order (samples of a random probe, iterates of an ascent).
    public let increases: [Double]

    public init(loss: Double, increase: Double, perturbation: [Double], increases: [Double]) {
        self.loss = loss
        self.increase = increase
        self.perturbation = perturbation
        self.increases = increases
    }

    /// The mean increase over the tries: for a random probe, an estimate of
    /// E_u[L(θ + u)] − L(θ).
    public var meanIncrease: Double { increases.reduce(0, +) / Double(Swift.max(increases.count, 1)) }

    /// Keskar et al.'s normalization, 100·increase/(1 + L(θ)).
    public var keskarScore: Double { 100 * increase / (1 + loss) }
}

/// The sharpness probes of the flat-versus-sharp debate, each over a loss of a parameter set.
///
///     let probe = Sharpness(of: net.loss(on: data), at: trained)
///     probe.randomPerturbation(radius: 0.05).increase
///     probe.sam(radius: 0.05).increase          // one ascent step, as SAM takes
///     probe.keskar(epsilon: 1e-3).keskarScore
public struct Sharpness {
    let loss: ([Tensor]) -> Tensor
    let shapes: [[Int]]
    /// θ, flat.
    public let point: [Double]
    /// L(θ).
    public let baseLoss: Double

    public init(of loss: @escaping ([Tensor]) -> Tensor, at parameters: [Tensor]) {
        self.loss = loss
        shapes = parameters.map(\.shape)
        point = Vectors.flatten(parameters)
        baseLoss = loss(parameters.map(\.detached)).scalar
    }

    /// The probes for an MLP's training loss on `data`.
    public init(of net: MLP, on data: Dataset, at parameters: [Tensor]) {
        self.init(of: net.loss(on: data), at: parameters)
    }

    func value(at epsilon: [Double]) -> Double {
        var p = point
        Vectors.addScaled(&p, 1, epsilon)
        return loss(Vectors.split(p, shapes: shapes)).scalar
    }

    func gradient(at epsilon: [Double]) -> [Double] {
        var p = point
        Vectors.addScaled(&p, 1, epsilon)
        return Vectors.flatten(Autodiff.gradient(at: Vectors.split(p, shapes: shapes), in: loss))
    }

    /// The random-perturbation probe: the worst increase L(θ + u) − L(θ) over `samples`
    /// seeded Gaussian directions scaled to radius ρ. With `relativeToParameters` (the
    /// default) each parameter tensor p gets its own share, ‖u_p‖ = ρ‖p‖ (a perturbation of
    /// relative size ρ, which a rescaling of the weights does not change); otherwise ‖u‖ = ρ
    /// over all parameters. `meanIncrease` estimates the average-case version.
    public func randomPerturbation(radius rho: Double, samples: Int = 10, relativeToParameters: Bool = true,
                                   seed: UInt64 = 0) -> SharpnessEstimate {
        precondition(samples >= 1, "randomPerturbation: samples must be positive")
        var rng = RNG(seed: seed)
        var best: [Double] = [], bestIncrease = -Double.infinity, increases: [Double] = []
        for _ in 0..<samples {
            var u = Tensor.randomNormal([point.count], using: &rng).scalars
            if relativeToParameters {
                var start = 0
                for shape in shapes {
                    let range = start..<(start + shape.reduce(1, *))
                    let un = Vectors.norm(Array(u[range])), pn = Vectors.norm(Array(point[range]))
                    for i in range { u[i] = un > 0 ? u[i] * rho * pn / un : 0 }
                    start = range.upperBound
                }
            } else {
                u = Vectors.scaled(u, rho / Vectors.norm(u))
            }
            let increase = value(at: u) - baseLoss
            increases.append(increase)
            if increase > bestIncrease { bestIncrease = increase; best = u }
        }
        return SharpnessEstimate(loss: baseLoss, increase: bestIncrease, perturbation: best, increases: increases)
    }

    /// SAM's sharpness, max over ‖ε‖ ≤ ρ of L(θ + ε) − L(θ), approximated as SAM does by the
    /// first-order maximizer ε = ρ·g/‖g‖ (Foret et al. 2021; g = ∇L(θ)). With `steps` > 1,
    /// projected normalized ascent continues from there,
    ///     ε ← Π_{‖ε‖≤ρ}(ε + ρ·∇L(θ+ε)/‖∇L(θ+ε)‖),
    /// and the best iterate is reported. With `adaptive`, the ball is ASAM's
    /// ‖T⁻¹ε‖ ≤ ρ with T = |θ| + η (Kwon et al. 2021), whose first step is ε = ρ·T²g/‖Tg‖
    /// (SamsungLabs/ASAM, η = 0.01): the scale-invariant "adaptive sharpness".
    public func sam(radius rho: Double, steps: Int = 1, adaptive: Bool = false, eta: Double = 0.01) -> SharpnessEstimate {
        precondition(steps >= 1, "sam: steps must be positive")
        let t = adaptive ? point.map { abs($0) + eta } : [Double](repeating: 1, count: point.count)
        // In the coordinates z = T⁻¹ε the ball is round: ascend on z, map back ε = T z.
        var z = [Double](repeating: 0, count: point.count)
        var best: [Double] = z, bestIncrease = 0.0, increases: [Double] = []
        for _ in 0..<steps {
            let eps = zip(t, z).map { $0 * $1 }
            let g = gradient(at: eps)
            let tg = zip(t, g).map { $0 * $1 }  // ∇_z L(θ + Tz) = T g
            let n = Vectors.norm(tg)
            guard n > 0 else { break }
            Vectors.addScaled(&z, rho / n, tg)
            let zn = Vectors.norm(z)
            if zn > rho { z = Vectors.scaled(z, rho / zn) }
            let candidate = zip(t, z).map { $0 * $1 }
            let increase = value(at: candidate) - baseLoss
            increases.append(increase)
            if increases.count == 1 || increase > bestIncrease { bestIncrease = increase; best = candidate }
        }
        return SharpnessEstimate(loss: baseLoss, increase: bestIncrease, perturbation: best, increases: increases)
    }

    /// Keskar et al. 2017's ε-sharpness: the largest increase over the box
    /// C_ε = {z : |zᵢ| ≤ ε(|θᵢ| + 1)}, read with `keskarScore` = 100·increase/(1 + L(θ)).
    /// Keskar et al. maximize with L-BFGS-B; here projected sign-gradient ascent on the box
    /// (the exact maximizer of the linearized loss over a box is z = bound ⊙ sign(g), the
    /// first step), `steps` steps of half the box per coordinate, best iterate kept.
    public func keskar(epsilon: Double = 1e-3, steps: Int = 10) -> SharpnessEstimate {
        precondition(steps >= 1, "keskar: steps must be positive")
        let bound = point.map { epsilon * (abs($0) + 1) }
        var z = [Double](repeating: 0, count: point.count)
        var best = z, bestIncrease = 0.0, increases: [Double] = []
        for k in 0..<steps {
            let g = gradient(at: z)
            let scale = k == 0 ? 1.0 : 0.5
            for i in z.indices {
                let s: Double = g[i] > 0 ? 1 : (g[i] < 0 ? -1 : 0)
                z[i] = Swift.min(bound[i], Swift.max(-bound[i], z[i] + scale * s * bound[i]))
            }
            let increase = value(at: z) - baseLoss
            increases.append(increase)
            if increases.count == 1 || increase > bestIncrease { bestIncrease = increase; best = z }
        }
        return SharpnessEstimate(loss: baseLoss, increase: bestIncrease, perturbation: best, increases: increases)
    }
}
