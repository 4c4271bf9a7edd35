import Testing
@testable import Autodiff

/// Exact second derivatives against closed forms.
@Suite struct SecondOrderTests {
    /// For f(x) = ½ xᵀAx with symmetric A, ∇²f = A, so H·v = A·v exactly.
    @Test func quadraticHessianVectorProductIsAv() {
        let a = Tensor([[4, 1, 0.5], [1, 3, -1], [0.5, -1, 2]])
        let x = Tensor([0.3, -1.2, 2.0]), v = Tensor([1.5, -0.5, 0.25])
        let hv = hessianVectorProduct(at: x, along: v) { x in 0.5 * dot(x, matmul(a, x)) }
        #expect(relativeError(hv, matmul(a, v)) <= 1e-12)
        let h = hessian(at: x) { x in 0.5 * dot(x, matmul(a, x)) }
        #expect(relativeError(h, a) <= 1e-12)
    }

    /// The fused dense layer `matmul(x, transposed: W, adding: b)` against the composition it
    /// replaces, `matmul(x, transposed: W) + b`, in a 784→256→10 ReLU network with softmax
    /// cross-entropy at the vision rows' batch (the first product is split across two
    /// threads, by columns) and at a small one: loss, gradients and a Hessian-vector product
    /// agree to 1e-12 relative (only one addition per output element is reordered); the relu
    /// pullback is the mask product's to the bit.
    @Test(arguments: [(128, 784, 256), (7, 5, 3)])
    func fusedDenseLayerMatchesTheComposition(_ shape: (Int, Int, Int)) {
        let (n, d, h) = shape
        var rng = RNG(seed: 19)
        let x = Tensor.randomNormal([n, d], using: &rng)
        let labels = (0..<n).map { $0 % 10 }
        let params = [Tensor.randomNormal([h, d], standardDeviation: 1 / Double(d).squareRoot(), using: &rng),
                      Tensor.randomNormal([h], standardDeviation: 0.1, using: &rng),
                      Tensor.randomNormal([10, h], standardDeviation: 1 / Double(h).squareRoot(), using: &rng),
                      Tensor.randomNormal([10], standardDeviation: 0.1, using: &rng)]
        let v = params.map { Tensor.randomNormal($0.shape, using: &rng) }
        let fused = { (p: [Tensor]) -> Tensor in
            let hidden = relu(matmul(x, transposed: p[0], adding: p[1]))
            return softmaxCrossEntropy(logits: matmul(hidden, transposed: p[2], adding: p[3]), labels: labels)
        }
        let composed = { (p: [Tensor]) -> Tensor in
            let hidden = relu(matmul(x, transposed: p[0]) + p[1])
            return softmaxCrossEntropy(logits: matmul(hidden, transposed: p[2]) + p[3], labels: labels)
        }
        let (lf, gf) = valueWithGradient(at: params, in: fused)
        let (lc, gc) = valueWithGradient(at: params, in: composed)
        #expect(abs(lf - lc) <= 1e-12 * abs(lc))
        let hf = hessianVectorProduct(at: params, along: v, in: fused)
        let hc = hessianVectorProduct(at: params, along: v, in: composed)
        for i in params.indices {
            #expect(relativeError(gf[i], gc[i]) <= 1e-12, "gradient \(i)")
            #expect(relativeError(hf[i], hc[i]) <= 1e-12, "HVP \(i)")
        }
        let s = matmul(x, transposed: params[0]), ct = Tensor.randomNormal(s.shape, using: &rng)
        #expect(reluPullback(input: s, cotangent: ct).scalars == (ct * s.map { $0 > 0 ? 1 : 0 }).scalars)
    }

    /// Logistic regression, L(w) = (1/n) Σ softplus(xᵢ·w) − yᵢ xᵢ·w: its Hessian is
    /// Xᵀ diag(p(1 − p)) X / n with p = σ(Xw).
    @Test func logisticRegressionHessianVectorProduct() {
        var rng = RNG(seed: 3)
        let n = 40, d = 5
        let X = Tensor.randomNormal([n, d], using: &rng)
        let y = Tensor((0..<n).map { _ in rng.uniform() < 0.5 ? 0.0 : 1.0 })
        let w = Tensor.randomNormal([d], standardDeviation: 0.5, using: &rng)
        let v = Tensor.randomNormal([d], using: &rng)
        let loss = { (w: Tensor) -> Tensor in
            let z = matmul(X, w)
            return (softplus(z) - y * z).mean()
        }
        let hv = hessianVectorProduct(at: w, along: v, in: loss)
        let p = sigmoid(matmul(X, w))
        let expected = matmul(X.transposed(), p * (1 - p) * matmul(X, v)) / Double(n)
        #expect(relativeError(hv, expected) <= 1e-12)
        #expect(relativeError(hv, FiniteDifferences.hessianVectorProduct(loss, at: w, along: v)) <= 1e-5)
    }

    /// The same model as two-class softmax cross-entropy through the fused loss.
    @Test func crossEntropyHessianMatchesFiniteDifferences() {
        var rng = RNG(seed: 4)
        let X = Tensor.randomNormal([12, 3], using: &rng)
        let labels = (0..<12).map { $0 % 3 }
        let w = Tensor.randomNormal([3, 3], using: &rng), v = Tensor.randomNormal([3, 3], using: &rng)
        let loss = { (w: Tensor) -> Tensor in softmaxCrossEntropy(logits: matmul(X, w), labels: labels) }
        let hv = hessianVectorProduct(at: w, along: v, in: loss)
        #expect(relativeError(hv, FiniteDifferences.hessianVectorProduct(loss, at: w, along: v)) <= 1e-5)
    }

    /// Rosenbrock f = (1 − a)² + 100(b − a²)²: ∇²f = [[2 − 400(b − 3a²), −400a], [−400a, 200]].
    @Test(arguments: [(-1.5, 2.0), (1.0, 1.0), (0.3, -0.7)])
    func rosenbrockHessian(_ point: (Double, Double)) {
        let (a, b) = point
        let h = hessian(at: Tensor([a, b])) { x in
            (1 - x[0]).squared() + 100 * (x[1] - x[0].squared()).squared()
        }
        let expected = Tensor([[2 - 400 * (b - 3 * a * a), -400 * a], [-400 * a, 200]])
        #expect(relativeError(h, expected) <= 1e-13)
    }

    /// A Hessian is symmetric, and its eigenvalues from dsyevd match the 2×2 closed form
    /// λ = (tr ± √(tr² − 4 det)) / 2.
    @Test func hessianIsSymmetricAndItsEigenvaluesMatchTheClosedForm() {
        let f = { (x: Tensor) -> Tensor in exp(x[0] * x[1]) + sin(x[0]) * x[1].squared() + x[0].squared() * x[1] }
        let h = hessian(at: Tensor([0.4, -0.8]), in: f)
        #expect(relativeError(h, h.transposed()) <= 1e-14)
        let (p, q, r) = (h[0, 0].scalar, h[0, 1].scalar, h[1, 1].scalar)
        let tr = p + r, det = p * r - q * q
        let disc = (tr * tr - 4 * det).squareRoot()
        let eig = symmetricEigenvalues(h)
        #expect(relativeError(eig, Tensor([(tr - disc) / 2, (tr + disc) / 2])) <= 1e-13)
    }

    @Test func hessianOfAParameterSet() {
        // f(W, b) = Σ tanh(W x + b)² at a fixed x: blocks of H·v against finite differences
        // of the flat function.
        let x = Tensor([0.5, -1.0, 2.0])
        let params = [randomTensor([2, 3], seed: 41), randomTensor([2], seed: 42)]
        let v = [randomTensor([2, 3], seed: 43), randomTensor([2], seed: 44)]
        let f = { (p: [Tensor]) -> Tensor in tanh(matmul(p[0], x) + p[1]).squared().sum() }
        let hv = hessianVectorProduct(at: params, along: v, in: f)
        let layout = ParameterLayout(params)
        let flat = { (theta: Tensor) -> Tensor in f(layout.unflatten(theta)) }
        let fd = FiniteDifferences.hessianVectorProduct(flat, at: layout.flatten(params), along: layout.flatten(v))
        #expect(relativeError(layout.flatten(hv), fd) <= 1e-5)
    }

    @Test func hessianOperatorReusesOneRecording() {
        let a = Tensor([[2, 1], [1, 3]])
        let op = HessianOperator(at: Tensor([1.0, -1.0])) { x in 0.5 * dot(x, matmul(a, x)) + x.sum() }
        #expect(op.value == 1.5)
        #expect(op.gradient[0].scalars == [2, -1])
        #expect(op(Tensor([1, 0])).scalars == [2, 1])
        #expect(op(Tensor([0, 1])).scalars == [1, 3])
        #expect(op(Tensor([1, 0])).scalars == [2, 1])
    }

    /// Hutchinson's estimate is exact for a diagonal Hessian (z ⊙ Hz = diag H when z² = 1) and
    /// close for a general one.
    @Test func hessianDiagonalByHutchinson() {
        let d = Tensor([1, -2, 3, 0.5])
        let exact = hessianDiagonal(at: Tensor.zeros([4]), probes: 3) { x in 0.5 * (d * x * x).sum() }
        #expect(exact == d)
        let f = { (x: Tensor) -> Tensor in exp(x).sum() * 0.1 + (x[0] * x[1]) }
        let x = Tensor([0.5, 1.0, -0.5, 0.2])
        let est = hessianDiagonal(at: x, probes: 2000, seed: 9, in: f)
        #expect(relativeError(est, exp(x) * 0.1) < 0.05)
        #expect(est == hessianDiagonal(at: x, probes: 2000, seed: 9, in: f))
    }

    /// Differentiating a gradient: d/dx of f′(x) for f = x³ is 6x.
    @Test func nestedGradientsGiveSecondDerivatives() {
        let second = gradient(at: Tensor(2.0)) { x in
            gradient(at: x) { y in y * y * y }
        }
        #expect(second.scalar == 12)
        // and a third derivative, through a Hessian-vector product inside a gradient
        let third = gradient(at: Tensor(0.7)) { x in
            hessianVectorProduct(at: x, along: Tensor(1.0)) { y in sin(y) }
        }
        #expect(abs(third.scalar - (-cos(0.7))) < 1e-15)
    }

    @Test func linearFunctionsHaveZeroHessian() {
        let hv = hessianVectorProduct(at: Tensor([1, 2]), along: Tensor([1, 1])) { x in (x * 3).sum() }
        #expect(hv == Tensor([0, 0]))
        let g = gradient(at: Tensor([1, 2])) { _ in Tensor(5) }
        #expect(g == Tensor([0, 0]))
    }
}
