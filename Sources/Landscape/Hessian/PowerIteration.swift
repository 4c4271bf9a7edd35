import Autodiff

extension Hessian {
    /// The k eigenvalues of largest magnitude by power iteration with deflation, PyHessian's
    /// `eigenvalues()` (Yao et al. 2020): for the i-th, start from a seeded Gaussian v and
    /// repeat
    ///     v ← v − Σⱼ ⟨v, uⱼ⟩uⱼ (the eigenvectors found so far),  λ ← vᵀHv,  v ← Hv/‖Hv‖
    /// until |λ − λ_prev| / (|λ_prev| + 1e-6) < `tolerance` or `maxIterations` products.
    ///
    /// Kept for comparison with Lanczos: it needs many more products for the same accuracy
    /// (its error shrinks like (λ₂/λ₁)^{2t}), and it finds the largest |λ|, which is a
    /// negative eigenvalue when the negative curvature dominates.
    public func powerIteration(_ k: Int = 1, tolerance: Double = 1e-3, maxIterations: Int = 100, seed: UInt64 = 0) -> [Eigenpair] {
        precondition(k >= 1 && k <= dimension, "powerIteration: asked for \(k) eigenpairs of a \(dimension)×\(dimension) Hessian")
        precondition(maxIterations >= 1, "powerIteration: maxIterations must be positive")
        var rng = RNG(seed: seed)
        var found: [Eigenpair] = []
        for _ in 0..<k {
            var v = Tensor.randomNormal([dimension], using: &rng).scalars
            v = Vectors.scaled(v, 1 / Vectors.norm(v))
            var lambda: Double? = nil
            var products = 0
            for _ in 0..<maxIterations {
                Vectors.orthogonalize(&v, against: found.map(\.vector))
                let nv = Vectors.norm(v)
                if nv == 0 { break }
                v = Vectors.scaled(v, 1 / nv)
                let hv = self(v)
                products += 1
                let estimate = Vectors.dot(hv, v)
                let nhv = Vectors.norm(hv)
                let previous = lambda
                lambda = estimate
                if nhv == 0 { break }
                v = Vectors.scaled(hv, 1 / nhv)
                if let previous, abs(previous - estimate) / (abs(previous) + 1e-6) < tolerance { break }
            }
            Vectors.orthogonalize(&v, against: found.map(\.vector))
            v = Vectors.scaled(v, 1 / Swift.max(Vectors.norm(v), 1e-300))
            let value = lambda ?? 0
            var r = self(v)
            Vectors.addScaled(&r, -value, v)
            found.append(Eigenpair(value: value, vector: v, residual: Vectors.norm(r), products: products))
        }
        return found
    }
}
