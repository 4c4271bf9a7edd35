import Testing
import LitOpt

/// The claims of chapters 1 (loss landscapes, Li et al.'s planes) and 2 (SAM), checked at
/// reduced size on the chapters' own setups: the experiments the chapters run live must keep
/// showing what their prose says they show.
@Suite struct Part1LandscapeAndSAMTests {
    // MARK: Chapter 1 — skip connections smooth the plane

    /// Total variation of a loss plane per grid edge: the mean of |Δf| over all pairs of
    /// horizontally or vertically neighbouring grid points (chapter 1's `roughness`).
    static func totalVariation(_ p: LossPlane) -> Double {
        let n = p.alphas.count, m = p.betas.count
        var variation = 0.0, edges = 0
        for j in 0..<m {
            for i in 0..<n {
                if i + 1 < n { variation += abs(p[i + 1, j] - p[i, j]); edges += 1 }
                if j + 1 < m { variation += abs(p[i, j + 1] - p[i, j]); edges += 1 }
            }
        }
        return variation / Double(edges)
    }

    /// Gaussian weights N(0, 1/fan-in), zero biases (chapter 1's `lecunStart`).
    static func lecunStart(_ net: MLP, seed: UInt64) -> [Tensor] {
        var rng = RNG(seed: seed)
        return net.parameterShapes.map { shape in
            shape.count == 2
                ? Tensor.randomNormal(shape, standardDeviation: 1 / Double(shape[1]).squareRoot(), using: &rng)
                : Tensor.zeros(shape)
        }
    }

    /// Chapter 1, @fig-li-surfaces and the roughness table: a deep tanh MLP with skip
    /// connections, trained from the same start as the same MLP without them, has the smoother
    /// filter-normalized plane. Reduced: 12 hidden layers of 8 units (the chapter: 20), 300
    /// Adam steps (500), a 15×15 grid (41×41), the chapter's ±0.5 window, spirals and
    /// direction seeds; two initialization seeds.
    @Test(arguments: [UInt64(5), 6])
    func skipConnectionsLowerTheTotalVariationOfThePlane(seed: UInt64) {
        let spiral = Datasets.spirals(count: 200, noise: 0.2, seed: 4)
        let sizes = [2] + Array(repeating: 8, count: 12) + [2]
        let plainNet = MLP(sizes: sizes, activation: .tanh)
        let skipNet = MLP(sizes: sizes, activation: .tanh, skips: true)
        let start = Self.lecunStart(plainNet, seed: seed)
        let (wPlain, hPlain) = Adam(lr: 0.003).fit(plainNet, to: spiral, parameters: start, steps: 300)
        let (wSkips, hSkips) = Adam(lr: 0.003).fit(skipNet, to: spiral, parameters: start, steps: 300)
        // Both trained: the comparison is between two fitted networks, not a fitted and a stuck one.
        #expect(hPlain.finalLoss < 0.3 && hSkips.finalLoss < 0.3)
        let plain = LossPlane(of: plainNet, on: spiral, at: wPlain, alpha: -0.5...0.5, beta: -0.5...0.5, resolution: 15, seed: 11)
        let skips = LossPlane(of: skipNet, on: spiral, at: wSkips, alpha: -0.5...0.5, beta: -0.5...0.5, resolution: 15, seed: 11)
        #expect(Self.totalVariation(skips) < Self.totalVariation(plain))
    }

    /// The roughness measure itself: a bowl has a known total variation and a rougher
    /// surface of the same range has more.
    @Test func totalVariationOfAKnownPlane() {
        let bowl = LossPlane(at: Tensor([0.0, 0.0]), directions: Tensor([1.0, 0.0]), Tensor([0.0, 1.0]),
                             resolution: 11) { w in (w * w).sum() }
        // f = α² + β² on an 11×11 grid over [−1, 1]²: each row contributes Σ|Δ(α²)| = 2, the same for
        // columns, over 2·11·10 edges: (11·2 + 11·2)/220 = 0.2.
        #expect(abs(Self.totalVariation(bowl) - 0.2) < 1e-9)
        let rippled = LossPlane(at: Tensor([0.0, 0.0]), directions: Tensor([1.0, 0.0]), Tensor([0.0, 1.0]),
                                resolution: 11) { w in (w * w).sum() + 0.1 * sin(20 * w).sum() }
        #expect(Self.totalVariation(rippled) > Self.totalVariation(bowl))
    }

    // MARK: Chapter 2 — SAM

    /// Chapter 2's small noisy dataset: two moons, label noise 20 % on the training points.
    static let noisy: Dataset = {
        let moons = Datasets.twoMoons(count: 1060, noise: 0.1, seed: 3)
        let (clean, _) = moons.split(testFraction: 1000.0 / 1060.0, seed: 3)
        var rng = RNG(seed: 9)
        return Dataset(inputs: clean.inputs, labels: clean.labels.map { rng.uniform() < 0.2 ? 1 - $0 : $0 })
    }()

    static func topEigenvalue(_ net: MLP, _ w: [Tensor], on data: Dataset) -> Double {
        Hessian(of: net, on: data, at: w).topEigenvalues(1, maxSteps: 40, tolerance: 1e-6)[0]
    }

    /// Chapter 2, the SAM-vs-SGD table: SAM over SGD with momentum (cosine-decayed learning
    /// rate, ρ = 0.05) ends at a flatter point than the same SGD alone, by the top Hessian
    /// eigenvalue of the training loss. Reduced: width 32 (the chapter: 64), 1 000 steps
    /// (3 000); two seeds.
    @Test(arguments: [UInt64(1), 2])
    func samEndsFlatterThanSGD(seed: UInt64) {
        let net = MLP(sizes: [2, 32, 32, 2], activation: .relu)
        let base = SGD(momentum: 0.9, schedule: .cosine(from: 0.1, steps: 1000))
        let (wSGD, _) = base.fit(net, to: Self.noisy, steps: 1000, batchSize: 20, seed: seed)
        let (wSAM, _) = SAM(base, rho: 0.05).fit(net, to: Self.noisy, steps: 1000, batchSize: 20, seed: seed)
        let (sgd, sam) = (Self.topEigenvalue(net, wSGD, on: Self.noisy), Self.topEigenvalue(net, wSAM, on: Self.noisy))
        #expect(sam < sgd, "λ_max: SAM \(sam), SGD \(sgd)")
    }

    /// Chapter 2, the batch-size table (Keskar et al. 2017): plain SGD with full batches ends
    /// sharper than with batches of 4, at the same learning rate and number of steps.
    /// Reduced: width 32 (the chapter: 64), 1 500 steps (3 000), one seed.
    @Test func fullBatchEndsSharperThanSmallBatch() {
        let net = MLP(sizes: [2, 32, 32, 2], activation: .relu)
        let (wSmall, _) = SGD(lr: 0.1).fit(net, to: Self.noisy, steps: 1500, batchSize: 4, seed: 1)
        let (wFull, _) = SGD(lr: 0.1).fit(net, to: Self.noisy, steps: 1500, seed: 1)
        let (small, full) = (Self.topEigenvalue(net, wSmall, on: Self.noisy), Self.topEigenvalue(net, wFull, on: Self.noisy))
        #expect(small < full, "λ_max: batch 4 \(small), full batch \(full)")
    }

    /// Chapter 2, the ASAM table: Dinh et al.'s rescaling of a ReLU network leaves the loss
    /// and ASAM's adaptive sharpness (η = 0) unchanged while SAM's plain sharpness moves.
    @Test func adaptiveSharpnessIgnoresRescalingAndPlainSharpnessDoesNot() {
        let net = MLP(sizes: [2, 16, 16, 2], activation: .relu)
        let (w, _) = SGD(lr: 0.1, momentum: 0.9).fit(net, to: Self.noisy, steps: 300, batchSize: 20, seed: 1)
        var plain: [Double] = [], adaptive: [Double] = [], losses: [Double] = []
        for a in [0.25, 1.0, 4.0] {
            let probe = Sharpness(of: net, on: Self.noisy, at: net.rescaled(w, hiddenLayer: 0, by: a))
            losses.append(probe.baseLoss)
            plain.append(probe.sam(radius: 0.05).increase)
            adaptive.append(probe.sam(radius: 0.2, adaptive: true, eta: 0).increase)
        }
        #expect(losses.allSatisfy { abs($0 - losses[1]) < 1e-10 })
        #expect(adaptive.allSatisfy { abs($0 - adaptive[1]) <= 1e-8 * abs(adaptive[1]) })
        #expect(plain.max()! > 1.5 * plain.min()!, "plain SAM sharpness over the rescalings: \(plain)")
    }
}
