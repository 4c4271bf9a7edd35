import Testing
import LitOpt

/// The claims of chapter 5 (Deep questions), checked at reduced size: the experiments the
/// chapter runs live must keep showing what its prose says they show.
@Suite struct Part1DeepQuestionsTests {
    /// A ReLU network trained briefly on two moons, its training loss, and the Lanczos top
    /// eigenvalue of the Hessian restricted to the given parameter tensors (others fixed).
    struct TrainedReLU {
        let net = MLP(sizes: [2, 8, 8, 2], activation: .relu)
        let data = Datasets.twoMoons(count: 100, noise: 0.25, seed: 5)
        let weights: [Tensor]
        var loss: ([Tensor]) -> Tensor { net.loss(on: data) }

        init() {
            weights = Adam(lr: 0.01).fit(net, to: data, steps: 300, seed: 1).parameters
        }

        func sharpness(at p: [Tensor]) -> Double {
            Hessian(of: loss, at: p).topEigenvalues(1)[0]
        }

        func blockSharpness(at p: [Tensor], tensors: [Int]) -> Double {
            let loss = self.loss
            return Hessian(of: { (q: [Tensor]) -> Tensor in
                var full = p
                for (k, i) in tensors.enumerated() { full[i] = q[k] }
                return loss(full)
            }, at: tensors.map { p[$0] }).topEigenvalues(1)[0]
        }
    }

    /// Chapter 5, @fig-dinh: Dinh et al.'s rescaling (W₁, b₁, W₂) ↦ (αW₁, αb₁, W₂/α) leaves
    /// every output unchanged to 1e-12 while the sharpness moves by the predicted factor.
    ///
    /// What is exact and what is asymptotic, and hence the tolerances:
    /// - the Hessian block of W₂ is multiplied by exactly α² (chain rule), so its top eigenvalue
    ///   must scale by α² up to rounding and Lanczos convergence (tolerance 1e-10 relative):
    ///   checked to 1e-6;
    /// - λ_max of the whole Hessian is bounded, exactly, by α²λ_out ≤ λ_max(α) ≤ α²λ_max(1)
    ///   for α ≥ 1 (and by α⁻²λ_in ≤ λ_max(α) ≤ α⁻²λ_max(1) for α ≤ 1): checked with a 1e-6
    ///   relative allowance for the Lanczos estimates;
    /// - λ_max(α)/(α²λ_out) − 1 is a perturbation of order α⁻² (the cross blocks, of relative size
    ///   α⁻¹, move an isolated eigenvalue by their square over the gap). The chapter measures
    ///   about 2·10⁻³ at α = 10 on its network; at α = 30 the expected error is ~10⁻⁴·C with C of
    ///   order one, so 1e-2 leaves a factor ~100 of margin while a wrong power of α (α instead of
    ///   α²) would be off by a factor 30 and fail.
    @Test func dinhRescalingKeepsTheFunctionAndMovesSharpnessByThePredictedFactor() {
        let model = TrainedReLU()
        let outputs = model.net(model.data.inputs, model.weights).scalars
        let lambdaOne = model.sharpness(at: model.weights)
        let lambdaIn = model.blockSharpness(at: model.weights, tensors: [0, 1])
        let lambdaOut = model.blockSharpness(at: model.weights, tensors: [2])
        #expect(lambdaOut > 0 && lambdaIn > 0)

        for alpha in [1.0 / 30, 0.1, 3, 30] {
            let p = model.net.rescaled(model.weights, hiddenLayer: 0, by: alpha)
            let change = zip(model.net(model.data.inputs, p).scalars, outputs).map { abs($0 - $1) }.max()!
            #expect(change <= 1e-12, "α = \(alpha): outputs moved by \(change)")
            // The rescaled parameters really are different.
            #expect(abs(globalNorm(p) - globalNorm(model.weights)) > 1e-6)

            let lambda = model.sharpness(at: p)
            let (scale, block, blockAtOne) = alpha >= 1
                ? (alpha * alpha, model.blockSharpness(at: p, tensors: [2]), lambdaOut)
                : (1 / (alpha * alpha), model.blockSharpness(at: p, tensors: [0, 1]), lambdaIn)
            #expect(abs(block / (scale * blockAtOne) - 1) <= 1e-6, "α = \(alpha): block scaled by \(block / blockAtOne)")
            #expect(lambda >= scale * blockAtOne * (1 - 1e-6))
            #expect(lambda <= scale * lambdaOne * (1 + 1e-6))
            if alpha == 30 || alpha == 1.0 / 30 {
                let predicted = max(alpha * alpha * lambdaOut, lambdaIn / (alpha * alpha))
                #expect(abs(lambda / predicted - 1) <= 1e-2, "α = \(alpha): measured/predicted = \(lambda / predicted)")
            }
        }
    }

    /// Chapter 5, @fig-dinh table: the scale-aware probes (relative random perturbation and
    /// adaptive sharpness with η = 0) do not change under the rescaling, while λ_max does.
    @Test func scaleAwareProbesIgnoreTheRescaling() {
        let model = TrainedReLU()
        let before = Sharpness(of: model.loss, at: model.weights)
        let after = Sharpness(of: model.loss, at: model.net.rescaled(model.weights, hiddenLayer: 0, by: 10))
        let relative = (before.randomPerturbation(radius: 0.05, samples: 5).increase,
                        after.randomPerturbation(radius: 0.05, samples: 5).increase)
        let adaptive = (before.sam(radius: 0.05, adaptive: true, eta: 0).increase,
                        after.sam(radius: 0.05, adaptive: true, eta: 0).increase)
        #expect(abs(relative.0 - relative.1) <= 1e-9 * max(1, abs(relative.0)))
        #expect(abs(adaptive.0 - adaptive.1) <= 1e-9 * max(1, abs(adaptive.0)))
    }

    // MARK: - Gradient noise

    /// The two valleys of chapters 1 and 5: min(½·400(w + 1)², ½·4(w − 2)²).
    static func valleyGradient(_ w: Double) -> Double {
        let sharp = 200 * (w + 1) * (w + 1), flat = 2 * (w - 2) * (w - 2)
        return sharp < flat ? 400 * (w + 1) : 4 * (w - 2)
    }
    /// Where the parabolas meet: (√400·(−1) + √4·2)/(√400 + √4).
    static let ridge = (20.0 * -1 + 2 * 2) / 22

    /// Fraction of seeded SGD runs (each example's landscape shifted by its own offset, batches
    /// of distinct examples) that end on the other side of the ridge, as in @fig-escape.
    static func escapedFraction(from start: Double, batchSize: Int, runs: Int = 40, steps: Int = 400) -> Double {
        let n = 64, lr = 0.004
        var offsetRNG = RNG(seed: 0)
        var offsets = (0..<n).map { _ in 0.1 * offsetRNG.normal() }
        let mean = offsets.reduce(0, +) / Double(n)
        offsets = offsets.map { $0 - mean }
        var escaped = 0
        for run in 0..<runs {
            var rng = RNG(seed: 1000 + UInt64(run))
            var pool = Array(0..<n)
            var w = start
            for _ in 0..<steps {
                var g = 0.0
                for k in 0..<batchSize {
                    pool.swapAt(k, k + rng.int(below: n - k))
                    g += valleyGradient(w - offsets[pool[k]])
                }
                w -= lr * g / Double(batchSize)
            }
            if (w > ridge) != (start > ridge) { escaped += 1 }
        }
        return Double(escaped) / Double(runs)
    }

    /// Chapter 5, @fig-escape: with batches of one example SGD leaves the sharp valley in most
    /// runs and never the flat one; with the full batch (no noise) it leaves neither, so the
    /// escapes are the noise's doing, not an unstable step (η·400 = 1.6 < 2).
    @Test func smallBatchSGDEscapesTheSharpValleyButNotTheFlatOne() {
        let sharp = Self.escapedFraction(from: -1, batchSize: 1)
        let flat = Self.escapedFraction(from: 2, batchSize: 1)
        #expect(sharp > flat)
        #expect(sharp >= 0.5)
        #expect(flat == 0)
        #expect(Self.escapedFraction(from: -1, batchSize: 64, runs: 2) == 0)
        // Larger batches escape less often.
        #expect(Self.escapedFraction(from: -1, batchSize: 8) < sharp)
    }

    /// Chapter 5, @fig-noise-batch: the measured minibatch error E‖g_B − G‖² follows
    /// tr Σ/B·(n − B)/(n − 1) (McCandlish et al. 2018); with 100 batches per size the sample
    /// mean of a sum of many squared terms is within ±30 % (the chapter measures ≤ 14 %).
    @Test func minibatchNoiseFollowsTheNoiseScaleFormula() {
        let net = MLP(sizes: [2, 8, 2], activation: .tanh)
        let data = Datasets.twoMoons(count: 64, noise: 0.2, seed: 11)
        let w = net.initialParameters(seed: 2)
        let noise = GradientNoise(of: net, on: data, at: w)
        let full = gradient(at: w, in: net.loss(on: data)).flatMap(\.scalars)
        var rng = RNG(seed: 4)
        for b in [1, 4, 16] {
            var total = 0.0
            for _ in 0..<100 {
                let batch = data.subset(Array(rng.permutation(data.count).prefix(b)))
                let g = gradient(at: w, in: net.loss(on: batch)).flatMap(\.scalars)
                total += zip(g, full).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
            }
            let ratio = total / 100 / noise.expectedDeviation(batchSize: b)
            #expect(ratio > 0.7 && ratio < 1.3, "B = \(b): measured/predicted = \(ratio)")
        }
    }
}
