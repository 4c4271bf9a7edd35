import Testing
@testable import Models
import Autodiff

@Suite struct LossesTests {
    @Test("MSE: mean of squared differences")
    func mse() {
        // ((1 − 0)² + (2 − 4)²)/2 = (1 + 4)/2 = 2.5
        #expect(meanSquaredError(Tensor([1, 2]), Tensor([0, 4])).scalar == 2.5)
        // ∂/∂ŷ = 2(ŷ − y)/N = (1, −2)
        #expect(gradient(at: Tensor([1, 2])) { meanSquaredError($0, Tensor([0, 4])) } == Tensor([1, -2]))
    }

    @Test("Binary cross-entropy at hand-computed logits, and finite at extreme ones")
    func binary() {
        // z = 0: log 2 for either label.
        #expect(abs(binaryCrossEntropy(logits: Tensor([0, 0]), labels: [0, 1]).scalar - log(2.0)) < 1e-15)
        // z = 2, y = 1: log(1 + e⁻²) ≈ 0.126928
        #expect(abs(binaryCrossEntropy(logits: Tensor([2]), labels: [1]).scalar - log(1 + exp(-2.0))) < 1e-15)
        // z = ±800 would overflow e^{±z}: loss 0 when right, 800 when wrong.
        #expect(binaryCrossEntropy(logits: Tensor([800, -800]), labels: [1, 0]).scalar == 0)
        #expect(binaryCrossEntropy(logits: Tensor([800]), labels: [0]).scalar == 800)
        // ∂ℓ/∂z = σ(z) − y, over the mean.
        let g = gradient(at: Tensor([0.3, -1.2])) { binaryCrossEntropy(logits: $0, labels: [1, 0]) }
        let s = { (z: Double) in 1 / (1 + exp(-z)) }
        #expect(g.isApproximatelyEqual(to: Tensor([(s(0.3) - 1) / 2, s(-1.2) / 2]), tolerance: 1e-14))
    }

    @Test("Label smoothing: target (1 − ε)·onehot + ε/c; ε = 0 is plain cross-entropy")
    func labelSmoothing() {
        let z = Tensor([[2.0, 0.0, -1.0], [0.5, 0.5, 0.5]])
        let plain = softmaxCrossEntropy(logits: z, labels: [0, 2])
        #expect(softmaxCrossEntropy(logits: z, labels: [0, 2], labelSmoothing: 0).scalar == plain.scalar)
        // Row 1: log p = z − logΣe^z; row 2: all log p = −log 3.
        let lse = log(exp(2.0) + 1 + exp(-1.0))
        let logp1 = [2 - lse, -lse, -1 - lse]
        let eps = 0.1
        let row1 = -((1 - eps + eps / 3) * logp1[0] + eps / 3 * logp1[1] + eps / 3 * logp1[2])
        let row2 = log(3.0)  // every class has probability ⅓ and the target sums to 1
        #expect(abs(softmaxCrossEntropy(logits: z, labels: [0, 2], labelSmoothing: eps).scalar - (row1 + row2) / 2) < 1e-14)
        // Extreme logits stay finite.
        #expect(softmaxCrossEntropy(logits: Tensor([[1000.0, -1000.0]]), labels: [1], labelSmoothing: 0.1).scalar.isFinite)
    }

    @Test("Accuracy counts argmax hits")
    func accuracyCounts() {
        #expect(accuracy(logits: Tensor([[1.0, 2.0], [3.0, 0.0], [0.0, 1.0]]), labels: [1, 0, 0]) == 2.0 / 3)
        #expect(accuracy(logits: Tensor([0.5, -0.5]), labels: [1, 1]) == 0.5)
    }
}
