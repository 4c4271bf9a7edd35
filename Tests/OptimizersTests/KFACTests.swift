import Testing
@testable import Optimizers
import Models
import Autodiff

@Suite struct KFACTests {
    /// One dense layer 2 → 3 (softmax regression) on a few blobs, with the factors taken
    /// fresh each step (ω = 0) and the empirical Fisher, so everything can be recomputed here.
    @Test("The step V solves G V A + λV = ∇W̄ with A = E[āāᵀ], G = E[ggᵀ], g = softmax(z) − onehot(y)")
    func firstStepSolvesDampedKroneckerSystem() {
        let net = MLP(sizes: [2, 3])
        let data = Datasets.blobs(count: 9, seed: 2)
        let p0 = net.initialParameters(seed: 1)
        let lambda = 0.05, lr = 0.5
        let kfac = KFAC(lr: lr, damping: lambda, statDecay: 0, statsEvery: 1, inversesEvery: 1, fisher: .empirical)
        var params = p0
        var state = kfac.makeState(for: params)
        _ = kfac.step(&params, state: &state, objective: Objective(net, on: data))

        // A = āᵀā/n with ā = [x, 1]; g = softmax(z) − onehot(y) per row, G = gᵀg/n.
        let n = Double(data.count)
        let aBar = Tensor(concatenating: [data.inputs, Tensor.ones([data.count, 1])], axis: 1)
        let a = matmul(aBar.transposed(), aBar) / n
        let z = net(data.inputs, p0)
        var onehot = [Double](repeating: 0, count: data.count * 3)
        for (i, y) in data.labels.enumerated() { onehot[i * 3 + y] = 1 }
        let g = softmax(z, axis: 1) - Tensor(shape: [data.count, 3], scalars: onehot)
        let gg = matmul(g.transposed(), g) / n
        #expect(state.a[0].isApproximatelyEqual(to: a, tolerance: 1e-13))
        #expect(state.g[0].isApproximatelyEqual(to: gg, tolerance: 1e-13))

        // V from the parameter change; the gradient of the mean loss is ∇W̄ = gᵀā/n.
        let v = Tensor(concatenating: [(p0[0] - params[0]) / lr, ((p0[1] - params[1]) / lr).reshaped(to: [3, 1])], axis: 1)
        let gradBar = matmul(g.transposed(), aBar) / n
        let residual = matmul(matmul(gg, v), a) + lambda * v - gradBar
        #expect(globalNorm([residual]) < 1e-10 * globalNorm([gradBar]), "residual \(globalNorm([residual]))")
    }

    @Test("Sampled-Fisher runs are reproducible from the seed, and differ across seeds")
    func sampledFisherIsSeeded() {
        let net = MLP(sizes: [2, 8, 2], activation: .tanh)
        let data = Datasets.twoMoons(count: 64, seed: 0)
        let run = { (seed: UInt64) in KFAC(lr: 0.1, statsEvery: 1, inversesEvery: 1, seed: seed).fit(net, to: data, steps: 5).parameters }
        #expect(run(3) == run(3))
        #expect(run(3) != run(4))
    }

    @Test("K-FAC trains an MLP on two moons")
    func trainsTwoMoons() {
        let net = MLP(sizes: [2, 16, 16, 2], activation: .tanh)
        let data = Datasets.twoMoons(count: 200, noise: 0.1, seed: 0)
        let (params, history) = KFAC(lr: 0.2, damping: 1e-2, statsEvery: 1, inversesEvery: 5).fit(net, to: data, steps: 100, seed: 1)
        #expect(!history.diverged)
        #expect(history.finalLoss < 0.1 * history.losses[0], "\(history.losses[0]) → \(history.finalLoss)")
        #expect(accuracy(logits: net(data.inputs, params), labels: data.labels) >= 0.95)
    }

    @Test("State: (m+1)² + n² per factor and its eigenvectors, per layer")
    func stateSize() {
        // 2 → 16 → 2: A 3×3 and 17×17, G 16×16 and 2×2, each kept with its eigenvectors.
        // Per layer: A and its eigenvectors ((fan-in + 1)² each) and eigenvalues, G likewise.
        let expected: Int = 2 * (9 + 256) + 3 + 16 + 2 * (289 + 4) + 17 + 2
        #expect(KFAC().stateSize(for: MLP(sizes: [2, 16, 2]).parameterShapes) == expected)
        // The count agrees with the numbers a state actually holds after a step.
        let net = MLP(sizes: [2, 4, 3])
        let data = Datasets.twoMoons(count: 16, seed: 1)
        var parameters = net.initialParameters(seed: 1)
        let kfac = KFAC()
        var state = kfac.makeState(for: parameters)
        _ = kfac.step(&parameters, state: &state, objective: Objective(net, on: data))
        let factors: Int = (state.a + state.g).map(\.count).reduce(0, +)
        let eigen: Int = (state.eigenA + state.eigenG).map { (e: (values: [Double], vectors: Tensor)) -> Int in
            e.values.count + e.vectors.count
        }.reduce(0, +)
        let held = factors + eigen
        #expect(kfac.stateSize(for: parameters.map(\.shape)) == held)
    }
}
