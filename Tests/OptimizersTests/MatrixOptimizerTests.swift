import Testing
@testable import Optimizers
import Models
import Autodiff

/// Muon, Shampoo and Sophia: first steps by hand and the properties their papers rest on.
@Suite struct MatrixOptimizerTests {
    /// U Vᵀ for G = U Σ Vᵀ of full column rank: G (GᵀG)^{−1/2}.
    static func polarFactor(_ g: Tensor) -> Tensor {
        let (values, vectors) = symmetricEigen(matmul(g.transposed(), g))
        let d = Tensor(values.scalars.map { 1 / $0.squareRoot() }).reshaped(to: [1, values.count])
        return matmul(g, matmul(vectors * d, vectors.transposed()))
    }

    @Test("Newton–Schulz lands near the orthogonal polar factor U Vᵀ, not exactly on it")
    func newtonSchulzApproximatesPolarFactor() {
        var rng = RNG(seed: 3)
        for shape in [[4, 3], [3, 5], [6, 6]] {
            let g = Tensor.randomNormal(shape, using: &rng)
            let o = Muon.orthogonalize(g)
            #expect(o.shape == g.shape)
            let exact = Self.polarFactor(shape[0] >= shape[1] ? g : g.transposed())
            let target = shape[0] >= shape[1] ? exact : exact.transposed()
            let rel = globalNorm([o - target]) / globalNorm([target])
            // The tuned quintic leaves singular values spread around 1 (≈ 0.7–1.2) by design.
            #expect(rel < 0.35, "\(shape): relative distance \(rel)")
            let sv = symmetricEigenvalues(shape[0] >= shape[1] ? matmul(o.transposed(), o) : matmul(o, o.transposed()))
            #expect(sv.scalars.allSatisfy { $0 > 0.4 && $0 < 1.5 }, "\(shape): σ² = \(sv.scalars)")
        }
    }

    @Test("Muon's first step on a 1×2 matrix, by hand")
    func muonFirstStep() {
        // G = [[3, 4]] (L = 3a + 4b at θ = [[a, b]]), m₁ = 0.05·G, Nesterov u = G + (m₁ − G)·0.95 = 0.0975·G.
        // X = u/(‖u‖ + 1e-7) = s₀·(0.6, 0.8) with s₀ = ‖u‖/(‖u‖ + 1e-7); a row is its own Gram scalar,
        // so each iteration maps s ← s(a + b s² + c s⁴).
        let lr = 0.02
        let run = Muon(lr: lr).minimize(from: [0, 0], steps: 1) { _ in Tensor(0) }  // vectors use Adam: a no-op here
        #expect(run.points[1] == [0, 0])
        var params = [Tensor([[0.0, 0.0]])]
        let muon = Muon(lr: lr)
        var state = muon.makeState(for: params)
        let coefficients = Tensor(shape: [1, 2], scalars: [3, 4])
        _ = muon.step(&params, state: &state, objective: Objective { (p: [Tensor]) -> Tensor in (p[0] * coefficients).sum() })
        let norm: Double = 0.0975 * 5
        var s: Double = norm / (norm + 1e-7)
        for _ in 0..<5 { s = s * (3.4445 - 4.7750 * s * s + 2.0315 * s * s * s * s) }
        // scale √max(1, rows/cols) = 1
        let expected: [Double] = [-lr * s * 0.6, -lr * s * 0.8]
        #expect(Tensor(params[0].scalars).isApproximatelyEqual(to: Tensor(expected), tolerance: 1e-14))
    }

    @Test("Muon's auxiliary Adam handles vectors: m̂/(√v̂ + ε) with β = (0.9, 0.95)")
    func muonAuxiliaryAdam() {
        let run = Muon(adamLR: 0.1).minimize(from: [1, -1], steps: 1) { p in p[0].squared() + 2 * p[1].squared() }
        // Step 1: m̂ = g, √v̂ = |g|: θ₁ = θ₀ − 0.1·g/(|g| + 1e-10) with g = (2, −4).
        let x1: Double = 1 - 0.1 * 2 / (2 + 1e-10), y1: Double = -1 + 0.1 * 4 / (4 + 1e-10)
        #expect(Tensor(run.points[1]).isApproximatelyEqual(to: Tensor([x1, y1]), tolerance: 1e-14))
    }

    /// M^{−1/2} for an SPD 2×2 matrix by the closed form √M = (M + √det·I)/√(tr M + 2√det).
    static func inverseSqrt2x2(_ m: [[Double]]) -> [[Double]] {
        let det = m[0][0] * m[1][1] - m[0][1] * m[1][0], sd = det.squareRoot()
        let t = (m[0][0] + m[1][1] + 2 * sd).squareRoot()
        let r = [[(m[0][0] + sd) / t, m[0][1] / t], [m[1][0] / t, (m[1][1] + sd) / t]]
        let rdet = r[0][0] * r[1][1] - r[0][1] * r[1][0]
        return [[r[1][1] / rdet, -r[0][1] / rdet], [-r[1][0] / rdet, r[0][0] / rdet]]
    }

    @Test("Shampoo on a vector is full-matrix Adagrad: H = Σ g gᵀ, step H^{−1/2} g")
    func shampooVector() {
        let lr = 0.1
        let run = Shampoo(lr: lr, epsilon: 0).minimize(from: [1, -1], steps: 2) { p in p[0].squared() + 2 * p[1].squared() }
        // Step 1: H = g₀g₀ᵀ has g₀ as eigenvector with eigenvalue ‖g₀‖² = 20: H^{−1/2} g₀ = g₀/√20
        // (the pseudo-inverse root; ε = 0 here and the null direction does not touch g₀).
        let x1 = 1 - lr * 2 / 20.0.squareRoot(), y1 = -1 + lr * 4 / 20.0.squareRoot()
        #expect(Tensor(run.points[1]).isApproximatelyEqual(to: Tensor([x1, y1]), tolerance: 1e-12))
        // Step 2: H = g₀g₀ᵀ + g₁g₁ᵀ (full rank now), θ₂ = θ₁ − lr·H^{−1/2} g₁.
        let g1 = [2 * x1, 4 * y1]
        let h = [[4 + g1[0] * g1[0], -8 + g1[0] * g1[1]], [-8 + g1[1] * g1[0], 16 + g1[1] * g1[1]]]
        let r = Self.inverseSqrt2x2(h)
        let x2 = x1 - lr * (r[0][0] * g1[0] + r[0][1] * g1[1]), y2 = y1 - lr * (r[1][0] * g1[0] + r[1][1] * g1[1])
        #expect(Tensor(run.points[2]).isApproximatelyEqual(to: Tensor([x2, y2]), tolerance: 1e-10))
    }

    @Test("Shampoo's first step on a matrix is −lr·U Vᵀ: L^{−1/4} G R^{−1/4} with L = GGᵀ, R = GᵀG")
    func shampooMatrixFirstStep() {
        let target = Tensor([[1.0, 2.0], [-0.5, 3.0]])
        var params = [Tensor([[0.0, 0.0], [0.0, 0.0]])]
        let shampoo = Shampoo(lr: 0.1, epsilon: 0)
        var state = shampoo.makeState(for: params)
        // L = Σ (θ − T)²/2 ⇒ G = θ − T = −T at θ = 0.
        _ = shampoo.step(&params, state: &state, objective: Objective { p in 0.5 * (p[0] - target).squared().sum() })
        let polar = Self.polarFactor(-1 * target)
        #expect(params[0].isApproximatelyEqual(to: -0.1 * polar, tolerance: 1e-10))
        #expect(state.statistics[0][0].isApproximatelyEqual(to: matmul(target, target.transposed()), tolerance: 1e-14))
    }

    @Test("SophiaG: with a network, ĥ = ĝ⊙ĝ on labels sampled from the model; it trains two moons")
    func sophiaGaussNewtonBartlett() {
        let net = MLP(sizes: [2, 16, 16, 2], activation: .tanh)
        let data = Datasets.twoMoons(count: 128, noise: 0.1, seed: 0)
        // Step 1 (k = 1): θ₁ = θ₀ − lr·sign(m) (h = 0), then h = (1 − β₂)·ĝ⊙ĝ: non-negative, unlike Hutchinson's.
        let sophia = Sophia(lr: 0.01, weightDecay: 0, hessianInterval: 1, seed: 2)
        var params = net.initialParameters(seed: 0)
        var state = sophia.makeState(for: params)
        _ = sophia.step(&params, state: &state, objective: Objective(net, on: data))
        #expect(state.hessian.allSatisfy { $0.scalars.allSatisfy { $0 >= 0 } })
        #expect(state.hessian.contains { $0.scalars.contains { $0 > 0 } })
        let (trained, history) = Sophia(lr: 0.02, weightDecay: 0, hessianInterval: 2).fit(net, to: data, steps: 200, seed: 1)
        #expect(history.finalLoss < 0.3 * history.losses[0], "\(history.losses[0]) → \(history.finalLoss)")
        #expect(accuracy(logits: net(data.inputs, trained), labels: data.labels) >= 0.9)
    }

    @Test("Shampoo with grafting: Shampoo's direction, the grafted method's length")
    func shampooGrafting() {
        let lr = 0.1
        let f = { (p: Tensor) in p[0].squared() + 2 * p[1].squared() }
        // Step 1 on a vector: Shampoo's direction is g₀/‖g₀‖ (see above), g₀ = (2, −4).
        // SGD grafting: length ‖g₀‖, so the step is exactly SGD's, −lr·g₀.
        let sgd = Shampoo(lr: lr, epsilon: 0, grafting: .sgd).minimize(from: [1, -1], steps: 1, f)
        #expect(Tensor(sgd.points[1]).isApproximatelyEqual(to: Tensor([0.8, -0.6]), tolerance: 1e-12))
        // Adagrad grafting: P_graft = g/(|g| + ε) ≈ (1, −1), length √2, along g₀/‖g₀‖ = (1, −2)/√5.
        let ada = Shampoo(lr: lr, epsilon: 0, grafting: .adagrad).minimize(from: [1, -1], steps: 1, f)
        let length: Double = (2.0 / (2 + 1e-10) * 2 / (2 + 1e-10) + 4 / (4 + 1e-10) * 4 / (4 + 1e-10)).squareRoot()
        let expected: [Double] = [1 - lr * length / 5.0.squareRoot(), -1 + lr * length * 2 / 5.0.squareRoot()]
        #expect(Tensor(ada.points[1]).isApproximatelyEqual(to: Tensor(expected), tolerance: 1e-12))
        #expect(Shampoo(grafting: .adagrad).stateSize(for: [[3, 4]]) == 2 * (9 + 16) + 12)
    }

    @Test("Sophia: sign steps until the first Hessian estimate, then clipped m/(ρh)")
    func sophiaFirstSteps() {
        let lr = 0.1, b1 = 0.965, b2 = 0.99, rho = 0.04
        let sophia = Sophia(lr: lr, weightDecay: 0, hessianInterval: 1, seed: 5)
        let run = sophia.minimize(from: [1, -1], steps: 2) { p in p[0].squared() + 2 * p[1].squared() }
        // Step 1: m = (1 − β₁)g₀ = 0.035·(2, −4); h = 0 so the ratio clips to sign(m): θ₁ = (0.9, −0.9).
        #expect(Tensor(run.points[1]).isApproximatelyEqual(to: Tensor([0.9, -0.9]), tolerance: 1e-15))
        // After step 1: ĥ = u ⊙ (diag(2, 4) u) = (2u₀², 4u₁²) with u the first N(0, I) draw of RNG(seed: 5);
        // h = (1 − β₂)ĥ.
        var rng = RNG(seed: 5)
        let u = Tensor.randomNormal([2], using: &rng).scalars
        let h = [(1 - b2) * 2 * u[0] * u[0], (1 - b2) * 4 * u[1] * u[1]]
        // Step 2: g₁ = (1.8, −3.6); m = β₁·0.035·g₀ + 0.035·g₁; θ₂ = θ₁ − lr·sign(m)·min(|m|/(ρh), 1).
        let g0 = [2.0, -4.0], g1 = [1.8, -3.6], th1 = [0.9, -0.9]
        let expected = (0..<2).map { i -> Double in
            let m = b1 * (1 - b1) * g0[i] + (1 - b1) * g1[i]
            return th1[i] - lr * (m > 0 ? 1 : -1) * Swift.min(abs(m) / Swift.max(rho * h[i], 1e-15), 1)
        }
        #expect(Tensor(run.points[2]).isApproximatelyEqual(to: Tensor(expected), tolerance: 1e-13))
    }
}
