import Testing
@testable import Models
import Autodiff

/// Checks ∇f against central differences and H·v against central differences of ∇f, at θ.
func expectDerivativesMatch(_ f: @escaping (Tensor) -> Tensor, at theta: Tensor, seed: UInt64,
                            gradientTolerance: Double = 1e-7, hvpTolerance: Double = 1e-9, label: String = "",
                            sourceLocation: SourceLocation = #_sourceLocation) {
    func rel(_ a: Tensor, _ b: Tensor) -> Double { ((a - b).norm().scalar) / max((a.norm().scalar), (b.norm().scalar), 1e-12) }
    var fd = [Double](repeating: 0, count: theta.count)
    let h = 1e-5
    for i in 0..<theta.count {
        var p = theta, m = theta
        p[i] = Tensor(theta.scalars[i] + h)
        m[i] = Tensor(theta.scalars[i] - h)
        fd[i] = (f(p).scalar - f(m).scalar) / (2 * h)
    }
    let g = gradient(at: theta, in: f)
    #expect(rel(g, Tensor(shape: theta.shape, scalars: fd)) <= gradientTolerance, "gradient \(label)", sourceLocation: sourceLocation)
    var rng = RNG(seed: seed)
    var v = Tensor.randomNormal(theta.shape, using: &rng)
    v = v / v.norm()
    // central differences of exact gradients at steps e and e/2, Richardson-extrapolated: O(e⁴)
    func difference(_ e: Double) -> Tensor { (gradient(at: theta + e * v, in: f) - gradient(at: theta - e * v, in: f)) / (2 * e) }
    let e = 1e-3
    let fdHv = (4 * difference(e / 2) - difference(e)) / 3
    let hv = hessianVectorProduct(at: theta, along: v, in: f)
    #expect(hv.norm().scalar > 1e-6, "the Hessian-vector product should not vanish here", sourceLocation: sourceLocation)
    #expect(rel(hv, fdHv) <= hvpTolerance, "Hessian-vector product \(label)", sourceLocation: sourceLocation)
}

func randomNormal(_ shape: [Int], seed: UInt64, standardDeviation: Double = 1) -> Tensor {
    var rng = RNG(seed: seed)
    return Tensor.randomNormal(shape, standardDeviation: standardDeviation, using: &rng)
}

@Suite struct VisionLayersTests {
    @Test("Batch norm by hand: training uses the batch's statistics and moves the running ones; evaluation uses the running ones")
    func batchNormByHand() {
        let x = Tensor(shape: [4, 1], scalars: [1, 2, 3, 4])
        let gain = Tensor([2]), bias = Tensor([0.5])
        let start = BatchNormStatistics(channels: 1)
        let train = batchNorm(x, gain: gain, bias: bias, statistics: start, mode: .training)
        // μ = 2.5, σ² = 1.25 (biased)
        let expected = [1.0, 2, 3, 4].map { ($0 - 2.5) / (1.25 + 1e-5).squareRoot() * 2 + 0.5 }
        #expect(train.output.isApproximatelyEqual(to: Tensor(shape: [4, 1], scalars: expected), tolerance: 1e-14))
        // running: 0.9·0 + 0.1·2.5, and 0.9·1 + 0.1·(4/3 · 1.25)
        #expect(abs(train.statistics.mean.scalars[0] - 0.25) < 1e-15)
        #expect(abs(train.statistics.variance.scalars[0] - (0.9 + 0.1 * 5.0 / 3)) < 1e-15)
        let eval = batchNorm(x, gain: gain, bias: bias, statistics: train.statistics, mode: .evaluation)
        let v = 0.9 + 0.1 * 5.0 / 3
        let expectedEval = [1.0, 2, 3, 4].map { ($0 - 0.25) / (v + 1e-5).squareRoot() * 2 + 0.5 }
        #expect(eval.output.isApproximatelyEqual(to: Tensor(shape: [4, 1], scalars: expectedEval), tolerance: 1e-14))
        #expect(eval.statistics == train.statistics)
        // in evaluation one example's output does not depend on the others; in training it does
        let alone = batchNorm(x[0..<1], gain: gain, bias: bias, statistics: train.statistics, mode: .evaluation).output
        #expect(alone.scalars[0] == eval.output.scalars[0])
        let other = Tensor(shape: [4, 1], scalars: [1, 2, 3, 10])
        #expect(batchNorm(other, gain: gain, bias: bias, statistics: start, mode: .training).output.scalars[0] != train.output.scalars[0])
    }

    @Test("Batch norm on images: each channel standardized over batch and pixels; gradients and HVPs in both modes")
    func batchNormImages() {
        let x = randomNormal([3, 2, 4, 4], seed: 1, standardDeviation: 2) + 1
        let y = batchNorm(x, gain: Tensor.ones([2]), bias: Tensor.zeros([2]), statistics: BatchNormStatistics(channels: 2), mode: .training).output
        for c in 0..<2 {
            var vals: [Double] = []
            for n in 0..<3 { vals += y.scalars[((n * 2 + c) * 16)..<((n * 2 + c + 1) * 16)] }
            let m = vals.reduce(0, +) / 48
            let v = vals.map { ($0 - m) * ($0 - m) }.reduce(0, +) / 48
            #expect(abs(m) < 1e-12 && abs(v - 1) < 1e-4)
        }
        let r = randomNormal([3, 2, 4, 4], seed: 2)
        let stats = BatchNormStatistics(mean: Tensor([0.3, -0.2]), variance: Tensor([1.5, 0.7]))
        for mode in [LayerMode.training, .evaluation] {
            // θ = (x, γ, β), with the loss nonlinear in y so that the HVP has every term
            let f = { (t: Tensor) -> Tensor in
                let xi = t[0..<96].reshaped(to: [3, 2, 4, 4])
                let out = batchNorm(xi, gain: t[96..<98], bias: t[98..<100], statistics: stats, mode: mode).output
                return (sin(out) * r).sum()
            }
            let theta = Tensor(concatenating: [x.flattened(), Tensor([1.2, 0.8]), Tensor([0.1, -0.3])])
            expectDerivativesMatch(f, at: theta, seed: 3)
        }
    }

    @Test("Layer norm per example: hand case, statistics over all of an example, gradients and HVPs")
    func layerNormPerExample() {
        // one example [1, 2, 1, 2] of 2 channels × 1 × 2: mean 1.5, variance 0.25
        let x = Tensor(shape: [1, 2, 1, 2], scalars: [1, 2, 1, 2])
        let y = layerNorm(perExample: x, gain: Tensor(shape: [2, 1, 1], scalars: [1, 3]), bias: Tensor(shape: [2, 1, 1], scalars: [0, 1]))
        let z = 0.5 / (0.25 + 1e-5).squareRoot()
        #expect(y.isApproximatelyEqual(to: Tensor(shape: [1, 2, 1, 2], scalars: [-z, z, 1 - 3 * z, 1 + 3 * z]), tolerance: 1e-14))
        let r = randomNormal([2, 2, 3, 3], seed: 4)
        let f = { (t: Tensor) -> Tensor in
            let out = layerNorm(perExample: t[0..<36].reshaped(to: [2, 2, 3, 3]), gain: t[36..<38].reshaped(to: [2, 1, 1]),
                                bias: t[38..<40].reshaped(to: [2, 1, 1]))
            return (tanh(out) * r).sum()
        }
        let theta = Tensor(concatenating: [randomNormal([36], seed: 5), Tensor([1.1, 0.7, 0.2, -0.1])])
        expectDerivativesMatch(f, at: theta, seed: 6)
    }

    @Test("Dropout: seeded mask, expectation kept, identity in evaluation; its gradient is the mask")
    func dropoutMask() {
        let x = Tensor(repeating: 2, shape: [100, 50])
        var a = RNG(seed: 7), b = RNG(seed: 7)
        let ya = dropout(x, rate: 0.25, mode: .training, using: &a), yb = dropout(x, rate: 0.25, mode: .training, using: &b)
        #expect(ya == yb)
        let zeros = ya.scalars.filter { $0 == 0 }.count
        #expect(abs(Double(zeros) / 5000 - 0.25) < 0.02)
        #expect(ya.scalars.allSatisfy { $0 == 0 || abs($0 - 2 / 0.75) < 1e-15 })
        var c = RNG(seed: 7)
        #expect(dropout(x, rate: 0.25, mode: .evaluation, using: &c) == x)
        var d = RNG(seed: 7)
        let g = gradient(at: x) { dropout($0, rate: 0.25, mode: .training, using: &d).sum() }
        #expect(g == ya / 2)
    }

    @Test("Residual block: with zero second convolution the skip gives act(x), without it act(bias)")
    func residualBlockByHand() {
        let x = randomNormal([2, 3, 4, 4], seed: 8)
        for skip in [true, false] {
            let block = ResidualBlock(channels: 3, skip: skip, normalization: .none)
            #expect(block.parameterShapes == [[3, 3, 3, 3], [3], [3, 3, 3, 3], [3]])
            var rng = RNG(seed: 9)
            var p = block.initialParameters(using: &rng)
            p[2] = Tensor.zeros([3, 3, 3, 3])
            p[3] = Tensor([0.5, -0.5, 0.25])
            let y = block(x, p[...], statistics: [], mode: .training).output
            let expected = skip ? relu(x + Tensor(shape: [3, 1, 1], scalars: [0.5, -0.5, 0.25]))
                                : relu(Tensor.zeros(x.shape) + Tensor(shape: [3, 1, 1], scalars: [0.5, -0.5, 0.25]))
            #expect(y == expected)
        }
    }

    @Test("Residual blocks (skip or not; no, batch or layer normalization): gradients and HVPs in the parameters",
          arguments: [(true, Normalization.batch), (false, .batch), (true, .layer), (true, .none), (false, .none)])
    func residualBlockDerivatives(_ config: (Bool, Normalization)) {
        let block = ResidualBlock(channels: 2, skip: config.0, normalization: config.1, activation: .tanh)
        let layout = ParameterLayout(shapes: block.parameterShapes)
        var rng = RNG(seed: 10)
        let theta = layout.flatten(block.initialParameters(using: &rng).map { $0 + Tensor.randomNormal($0.shape, standardDeviation: 0.1, using: &rng) })
        let x = randomNormal([3, 2, 4, 4], seed: 11), r = randomNormal([3, 2, 4, 4], seed: 12)
        let stats = (0..<block.statisticsCount).map { _ in BatchNormStatistics(channels: 2) }
        let f = { (t: Tensor) -> Tensor in (block(x, layout.unflatten(t)[...], statistics: stats[...], mode: .training).output * r).sum() }
        expectDerivativesMatch(f, at: theta, seed: 13)
    }

    @Test("ConvNet: parameter names and shapes, statistics per batch-norm layer, output shape")
    func convNetStructure() {
        let net = ConvNet(inputChannels: 1, widths: [8, 16], blocksPerStage: 1, classes: 10)
        #expect(net.parameterCount == 88 + 1184 + 1184 + 4672 + 170)  // 7298
        #expect(net.parameterNames.prefix(4) == ["stem.conv.weight", "stem.norm.gain", "stem.norm.bias", "stage0.block0.conv1.conv.weight"])
        #expect(net.parameterNames.suffix(2) == ["head.weight", "head.bias"])
        #expect(net.initialStatistics().count == 1 + 2 + 1 + 2)
        #expect(net.parameterNames.filter(ConvNet.isNormalizationParameter).count == 2 * 6)
        let plain = ConvNet(widths: [4], blocksPerStage: 2, classes: 3, normalization: .none)
        #expect(plain.initialStatistics().isEmpty && plain.parameterShapes.count == 2 + 2 * 4 + 2)
        let p = net.initialParameters(seed: 0)
        #expect(p.map(\.shape) == net.parameterShapes && p == net.initialParameters(seed: 0))
        let y = net(randomNormal([2, 1, 28, 28], seed: 1), p, statistics: net.initialStatistics())
        #expect(y.shape == [2, 10])
        let mlp = MLP(sizes: [784, 32, 10])
        #expect(mlp(images: randomNormal([2, 1, 28, 28], seed: 1), mlp.initialParameters(seed: 0)).shape == [2, 10])
    }

    @Test("A small ConvNet's loss: gradient and HVP in all parameters, batch norm in training mode and in evaluation")
    func convNetDerivatives() {
        let net = ConvNet(inputChannels: 1, widths: [2, 3], blocksPerStage: 1, classes: 3, activation: .tanh)
        let x = randomNormal([4, 1, 6, 6], seed: 14), labels = [0, 1, 2, 1]
        let layout = net.layout
        let theta = layout.flatten(net.initialParameters(seed: 2))
        let trained = net.forward(x, parameters: layout.unflatten(theta), statistics: net.initialStatistics(), mode: .training).statistics
        for (mode, stats) in [(LayerMode.training, net.initialStatistics()), (.evaluation, trained)] {
            let loss = net.loss(images: x, labels: labels, statistics: stats, mode: mode)
            expectDerivativesMatch({ loss(layout.unflatten($0)) }, at: theta, seed: 15, label: mode.rawValue)
        }
    }
}
