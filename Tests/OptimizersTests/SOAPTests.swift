import Testing
@testable import Optimizers
import Models
import Autodiff

@Suite struct SOAPTests {
    @Test("The first step only builds the eigenbases; θ does not move")
    func firstStepInitializes() {
        let target = Tensor([[1.0, 2.0], [-0.5, 3.0]])
        let soap = SOAP(lr: 0.1)
        var params = [Tensor.zeros([2, 2])]
        var state = soap.makeState(for: params)
        _ = soap.step(&params, state: &state, objective: Objective { p in 0.5 * (p[0] - target).squared().sum() })
        #expect(params[0] == Tensor.zeros([2, 2]))
        #expect(state.bases[0].count == 2 && state.statistics[0].count == 2)
        // L = (1 − β_s)·G Gᵀ with G = −T.
        #expect(state.statistics[0][0].isApproximatelyEqual(to: 0.05 * matmul(target, target.transposed()), tolerance: 1e-14))
    }

    @Test("On a vector (no 1-D preconditioner) the first real step is bias-corrected Adam, then decay")
    func vectorStep() {
        let lr = 0.1, wd = 0.01, eps = 1e-8
        let run = SOAP(lr: lr, weightDecay: wd).minimize(from: [1, -1], steps: 2) { p in p[0].squared() + 2 * p[1].squared() }
        #expect(run.points[1] == [1, -1])
        // t = 1: m = 0.05g, v = 0.05g², step lr·√(1 − 0.95)/(1 − 0.95); g = (2, −4) (θ has not moved).
        let s = lr * 0.05.squareRoot() / 0.05
        let expected = [(2.0, 1.0), (-4.0, -1.0)].map { g, th -> Double in
            let stepped = th - s * (0.05 * g) / ((0.05 * g * g).squareRoot() + eps)
            return stepped - lr * wd * stepped
        }
        #expect(Tensor(run.points[2]).isApproximatelyEqual(to: Tensor(expected), tolerance: 1e-14))
    }

    @Test("On a matrix, the first real step is −lr·U Vᵀ (Adam on the singular values), then decay")
    func matrixStepIsOrthogonal() {
        let target = Tensor([[1.0, 2.0], [-0.5, 3.0]])
        let lr = 0.1, wd = 0.01
        let soap = SOAP(lr: lr, weightDecay: wd)
        var params = [Tensor.zeros([2, 2])]
        var state = soap.makeState(for: params)
        let objective = Objective { p in 0.5 * (p[0] - target).squared().sum() }
        _ = soap.step(&params, state: &state, objective: objective)
        _ = soap.step(&params, state: &state, objective: objective)
        // G = −T = U Σ Vᵀ; in the eigenbasis G' is diagonal (±σᵢ), Adam's m/(√v + ε) ≈ ±√0.05,
        // times the step lr·√0.05/0.05 gives ±lr: the update is −lr·U Vᵀ of G.
        let g = -1 * target
        let (values, vectors) = symmetricEigen(matmul(g.transposed(), g))
        let d = Tensor(values.scalars.map { 1 / $0.squareRoot() }).reshaped(to: [1, 2])
        let polar = matmul(g, matmul(vectors * d, vectors.transposed()))
        let expected = (-lr * polar) * (1 - lr * wd)
        #expect(params[0].isApproximatelyEqual(to: expected, tolerance: 1e-7))
    }

    @Test("Refreshed bases stay orthonormal and the loss falls on a least-squares problem")
    func refreshKeepsOrthonormalBases() {
        var rng = RNG(seed: 1)
        let x = Tensor.randomNormal([8, 3], using: &rng), y = Tensor.randomNormal([8, 2], using: &rng)
        let loss = { (p: [Tensor]) -> Tensor in 0.5 * (matmul(x, p[0]) - y).squared().sum() / 8.0 }
        let soap = SOAP(lr: 0.05, weightDecay: 0, preconditionFrequency: 1)
        var params = [Tensor.zeros([3, 2])]
        var state = soap.makeState(for: params)
        let start = loss(params).scalar
        for _ in 0..<60 { _ = soap.step(&params, state: &state, objective: Objective(loss)) }
        for q in state.bases[0] {
            #expect(matmul(q.transposed(), q).isApproximatelyEqual(to: Tensor.identity(q.shape[0]), tolerance: 1e-12))
        }
        #expect(loss(params).scalar < 0.5 * start)
    }
}
