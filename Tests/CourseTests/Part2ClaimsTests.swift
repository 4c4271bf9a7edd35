import Testing
import LitOpt

/// The claims of part II (chapters 6 and 7), checked at reduced size: the numbers the chapters
/// compute live must keep saying what the prose says about them.
@Suite struct Part2ClaimsTests {
    /// Chapter 7, @fig-himmelblau-critical: Newton on ∇f = 0 from a grid finds all nine critical
    /// points of Himmelblau's function — four minima at height 0, four saddles of index 1, one
    /// maximum — and the Hessian's eigenvalue signs classify them.
    @Test func himmelblauHasFourMinimaFourSaddlesOneMaximum() {
        let points = CriticalPoints.find(in: Functions.himmelblau, starts: 12)
        let minima = points.filter { $0.kind == .minimum }
        let saddles = points.filter { $0.kind == .saddle(index: 1) }
        let maxima = points.filter { $0.kind == .maximum }
        #expect(points.count == 9)
        #expect(minima.count == 4)
        #expect(saddles.count == 4)
        #expect(maxima.count == 1)
        for m in minima { #expect(abs(m.value) <= 1e-12) }
        for p in points { #expect(p.gradientNorm <= 1e-8) }
        // The maximum is the point of highest value; every saddle lies between the minima and it.
        let top = points.max { $0.value < $1.value }!
        #expect(top.kind == .maximum)
        #expect(abs(top.value - 181.6165215225827) <= 1e-6)
    }

    /// Chapter 7, @fig-edge-of-stability: full-batch GD at η = 0.4 on a small MLP with MSE
    /// sharpens until λmax reaches 2/η = 5 and, at the end of the run, sits within 10 % of it,
    /// though it started below; the loss went up at some steps yet ends far lower.
    @Test func edgeOfStabilityEndsWithinTenPercentOfTwoOverEta() {
        let data = Datasets.teacherStudent(count: 128, inputDimension: 4, teacherWidth: 8, seed: 1)
        let net = MLP(sizes: [4, 32, 32, 1], activation: .tanh)
        let run = trackEdgeOfStability(net, on: data, learningRate: 0.4, steps: 2000, every: 500)
        #expect(!run.diverged)
        #expect(run.sharpness[0] < 0.95 * run.threshold)
        #expect(abs(run.sharpness.last! - run.threshold) <= 0.1 * run.threshold)
        #expect(zip(run.losses, run.losses.dropFirst()).contains { $1 > $0 })
        #expect(run.losses.last! < 0.01 * run.losses[0])
    }

    /// Chapter 7, @fig-mode-connectivity: between two MLPs trained from different seeds, a
    /// trained quadratic Bézier curve has a lower barrier (highest training loss above the
    /// higher endpoint) than the straight segment.
    @Test func bezierBarrierIsBelowTheLinearBarrier() {
        let data = Datasets.twoMoons(count: 160, noise: 0.2, seed: 3)
        let net = MLP(sizes: [2, 12, 12, 2], activation: .tanh)
        let loss = net.loss(on: data)
        let (a, _) = Adam(lr: 0.01).fit(net, to: data, steps: 800, seed: 1)
        let (b, _) = Adam(lr: 0.01).fit(net, to: data, steps: 800, seed: 2)
        func height(_ s: LossSlice) -> Double { s.losses.max()! - max(s.losses.first!, s.losses.last!) }
        let linear = height(LossSlice(from: a, to: b, over: 0...1, count: 41, in: loss))
        let curve = BezierCurve.train(from: a, to: b, optimizer: Adam(lr: 0.01), steps: 800, seed: 1, in: loss)
        let curved = height(curve.losses(count: 41, in: loss))
        #expect(linear > 0.1)
        #expect(curved < 0.5 * linear)
    }

    /// Chapter 7, @sec-model-soups: whatever the ingredients, the greedy soup scores at least as
    /// well on the held-out data it is selected on as its best ingredient.
    @Test(arguments: [UInt64(1), 2, 3])
    func greedySoupIsNeverWorseThanItsBestMember(seed: UInt64) {
        let data = Datasets.twoMoons(count: 200, noise: 0.25, seed: seed)
        let (train, heldOut) = data.split(testFraction: 0.3, seed: seed)
        let net = MLP(sizes: [2, 12, 12, 2], activation: .tanh)
        let (start, _) = Adam(lr: 0.01).fit(net, to: train, steps: 200, seed: seed)
        let models = [0.02, 0.05, 0.1, 0.3].enumerated().map { k, lr in
            SGD(lr: lr, momentum: 0.9).fit(net, to: train, parameters: start, steps: 150, batchSize: 16,
                                           seed: seed &* 10 &+ UInt64(k)).parameters
        }
        let score = { (p: [Tensor]) -> Double in -net.loss(on: heldOut)(p).scalar }
        let (soup, ingredients) = greedySoup(models, score: score)
        let best = models.map(score).max()!
        #expect(score(soup) >= best)
        #expect(!ingredients.isEmpty && Set(ingredients).count == ingredients.count)
    }
}
