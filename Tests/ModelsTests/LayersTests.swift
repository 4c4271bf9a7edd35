import Testing
@testable import Models
import Autodiff

@Suite struct LayersTests {
    /// Central differences of a scalar function of one tensor, checked against autodiff.
    static func expectGradientMatches(_ x: Tensor, tolerance: Double = 1e-7, _ f: (Tensor) -> Tensor,
                                      sourceLocation: SourceLocation = #_sourceLocation) {
        let g = gradient(at: x, in: f)
        let h = 1e-6
        for i in 0..<x.count {
            var plus = x.scalars, minus = x.scalars
            plus[i] += h; minus[i] -= h
            let fd = (f(Tensor(shape: x.shape, scalars: plus)).scalar - f(Tensor(shape: x.shape, scalars: minus)).scalar) / (2 * h)
            #expect(abs(fd - g.scalars[i]) < tolerance * Swift.max(1, abs(fd)), "∂/∂x[\(i)]: autodiff \(g.scalars[i]) vs FD \(fd)",
                    sourceLocation: sourceLocation)
        }
    }

    @Test("dense is x Wᵀ + b")
    func denseByHand() {
        let x = Tensor([[1.0, 2.0]]), w = Tensor([[1.0, 0.0], [0.5, -1.0], [2.0, 1.0]]), b = Tensor([0.1, 0.2, 0.3])
        // (1, 2)·rows of W: 1, 0.5 − 2 = −1.5, 2 + 2 = 4; plus b
        #expect(dense(x, weight: w, bias: b).isApproximatelyEqual(to: Tensor([[1.1, -1.3, 4.3]]), tolerance: 1e-15))
    }

    @Test("layerNorm: rows of mean β and standard deviation ≈ γ; gradients match finite differences")
    func layerNormRows() {
        var rng = RNG(seed: 1)
        let x = Tensor.randomNormal([4, 6], mean: 3, standardDeviation: 2, using: &rng)
        let y = layerNorm(x, gain: Tensor.ones([6]), bias: Tensor.zeros([6]))
        for r in 0..<4 {
            let row = Array(y.scalars[(r * 6)..<((r + 1) * 6)])
            let mean: Double = row.reduce(0.0) { $0 + $1 } / 6
            let variance: Double = row.map { ($0 - mean) * ($0 - mean) }.reduce(0.0) { $0 + $1 } / 6
            #expect(abs(mean) < 1e-12)
            #expect(abs(variance - 1) < 1e-4)  // σ²/(σ² + ε) with ε = 1e-5
        }
        let gain = Tensor.randomNormal([6], using: &rng), bias = Tensor.randomNormal([6], using: &rng)
        let target = Tensor.randomNormal([4, 6], using: &rng)
        Self.expectGradientMatches(x) { x in (layerNorm(x, gain: gain, bias: bias) * target).sum() }
    }

    @Test("embedding gathers rows and scatters gradients back, repeats adding up")
    func embeddingRows() {
        let table = Tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
        #expect(embedding([2, 0, 2], table: table) == Tensor([[5.0, 6.0], [1.0, 2.0], [5.0, 6.0]]))
        let g = gradient(at: table) { embedding([2, 0, 2], table: $0).sum() }
        #expect(g == Tensor([[1.0, 1.0], [0.0, 0.0], [2.0, 2.0]]))
    }

    @Test("Causal attention: output t ignores inputs after t; one head at T = 1 is x W_vᵀ W_oᵀ")
    func attentionIsCausal() {
        var rng = RNG(seed: 2)
        let (t, d) = (5, 4)
        let x = Tensor.randomNormal([t, d], using: &rng)
        let ws = (0..<4).map { _ in Tensor.randomNormal([d, d], standardDeviation: 0.5, using: &rng) }
        let attend = { (x: Tensor) in causalSelfAttention(x, query: ws[0], key: ws[1], value: ws[2], output: ws[3], heads: 2) }
        let y = attend(x)
        #expect(y.shape == [t, d])
        // Change the last two positions: the first three outputs stay exactly the same.
        var changed = x.scalars
        for i in (3 * d)..<(5 * d) { changed[i] += 1 }
        let y2 = attend(Tensor(shape: [t, d], scalars: changed))
        #expect(Array(y2.scalars[0..<(3 * d)]) == Array(y.scalars[0..<(3 * d)]))
        #expect(Array(y2.scalars[(3 * d)...]) != Array(y.scalars[(3 * d)...]))
        // A single position attends only to itself: softmax of one score is 1.
        let first = x.slice(axis: 0, 0..<1)
        let single = causalSelfAttention(first, query: ws[0], key: ws[1], value: ws[2], output: ws[3], heads: 2)
        #expect(single.isApproximatelyEqual(to: dense(dense(first, weight: ws[2]), weight: ws[3]), tolerance: 1e-14))
    }

    @Test("Causal attention's gradients match finite differences")
    func attentionGradients() {
        var rng = RNG(seed: 3)
        let x = Tensor.randomNormal([4, 4], using: &rng)
        let ws = (0..<4).map { _ in Tensor.randomNormal([4, 4], standardDeviation: 0.5, using: &rng) }
        let target = Tensor.randomNormal([4, 4], using: &rng)
        Self.expectGradientMatches(x) { x in
            (causalSelfAttention(x, query: ws[0], key: ws[1], value: ws[2], output: ws[3], heads: 2) * target).sum()
        }
        Self.expectGradientMatches(ws[1]) { wk in
            (causalSelfAttention(x, query: ws[0], key: wk, value: ws[2], output: ws[3], heads: 2) * target).sum()
        }
    }
}
