import Autodiff

/// A Lanczos run: H Q = Q T + β qₘ₊₁ eₘᵀ with Q orthonormal (n × m, kept as rows here) and
/// T = tridiag(β, α, β) the projection of H on the Krylov space span{q₁, Hq₁, …}.
struct LanczosRun {
    var alphas: [Double] = []
    var betas: [Double] = []  // the m − 1 off-diagonal entries
    var basis: [[Double]] = []
    /// The norm of the last residual vector (the β that would come next): Ritz pair (θ, y)
    /// of T has ‖H Qy − θ Qy‖ = β·|y_m|.
    var nextBeta = 0.0
    var products = 0

    var steps: Int { alphas.count }

    /// Eigenvalues (ascending) and eigenvectors (columns, row-major [m, m]) of T.
    func ritz() -> (values: [Double], vectors: [Double]) {
        let m = steps
        var t = [Double](repeating: 0, count: m * m)
        for i in 0..<m { t[i * m + i] = alphas[i] }
        for i in 0..<(m - 1) { t[i * m + i + 1] = betas[i]; t[(i + 1) * m + i] = betas[i] }
        let (values, vectors) = symmetricEigen(Tensor(shape: [m, m], scalars: t))
        return (values.scalars, vectors.scalars)
    }

    /// The Ritz vector Q·y for column `column` of T's eigenvectors.
    func ritzVector(_ vectors: [Double], column: Int) -> [Double] {
        let m = steps
        var x = [Double](repeating: 0, count: basis[0].count)
        for j in 0..<m { Vectors.addScaled(&x, vectors[j * m + column], basis[j]) }
        return x
    }
}

extension Hessian {
    /// Which end of the spectrum a Lanczos run is after.
    enum SpectrumEnd { case largest, smallest }

    /// The Lanczos iteration with full reorthogonalization (each new vector is orthogonalized
    /// against all previous ones, twice), so the Ritz values carry no spurious copies (Paige's
    /// "ghost" eigenvalues) and Q stays orthonormal to working precision.
    ///
    /// - `restart`: on breakdown (the Krylov space became invariant, β ≈ 0) continue from a
    ///   fresh random vector orthogonal to Q with β = 0, so repeated eigenvalues are found too;
    ///   without it the run stops there (what quadrature needs: the Krylov space of q₁ only).
    /// - `breakdown`: β ≤ breakdown·max(|α|, β) counts as an invariant subspace. Cancellation
    ///   leaves β a little above rounding there (≈ 1e-12 relative is common), hence the
    ///   default 1e-10; zeroing such a β moves the eigenvalues by at most β.
    /// - `deflating`: orthonormal vectors (eigenvectors found before) the run is kept
    ///   orthogonal to, start included: it is then the Lanczos run of H restricted to their
    ///   complement, and finds what they do not hold.
    /// - `converged`: asked after each step with the run so far; true stops it.
    func lanczos(start: [Double], maxSteps: Int, restart: Bool, breakdown: Double = 1e-10,
                 deflating locked: [[Double]] = [], rng: inout RNG,
                 converged: ((LanczosRun) -> Bool)? = nil) -> LanczosRun {
        var run = LanczosRun()
        let n = dimension
        let m = Swift.min(maxSteps, n - locked.count)
        guard m > 0 else { return run }
        var q = start
        Vectors.orthogonalize(&q, against: locked)
        let q0 = Vectors.norm(q)
        precondition(q0 > 0, "Lanczos: the start vector is zero")
        q = Vectors.scaled(q, 1 / q0)
        var scale = 0.0
        while true {
            run.basis.append(q)
            var w = self(q)
            run.products += 1
            let alpha = Vectors.dot(w, q)
            run.alphas.append(alpha)
            Vectors.addScaled(&w, -alpha, q)
            if run.steps > 1 { Vectors.addScaled(&w, -run.betas[run.steps - 2], run.basis[run.steps - 2]) }
            Vectors.orthogonalize(&w, against: run.basis + locked)
            var beta = Vectors.norm(w)
            scale = Swift.max(scale, abs(alpha), beta)
            run.nextBeta = beta
            if run.steps >= m { break }
            // Breakdown first: at an invariant subspace every residual is 0, yet eigenvalues
            // outside it (other copies of a repeated one) are still missing.
            if beta <= breakdown * Swift.max(scale, 1e-300) {
                guard restart else { run.nextBeta = 0; break }
                w = Tensor.randomNormal([n], using: &rng).scalars
                Vectors.orthogonalize(&w, against: run.basis + locked)
                let r = Vectors.norm(w)
                if r <= 1e-10 { break }
                w = Vectors.scaled(w, 1 / r)
                beta = 0
                run.betas.append(0)
                q = w
                continue
            }
            if let converged, converged(run) { break }
            run.betas.append(beta)
            q = Vectors.scaled(w, 1 / beta)
        }
        return run
    }

    /// The k eigenpairs at one end of the spectrum by Lanczos, refined until the Ritz
    /// residuals β·|yₘ| of all k fall below `tolerance`·max|θ|, then completed with the copies
    /// of repeated eigenvalues the first run cannot see.
    ///
    /// One Krylov space span{q, Hq, H²q, …} holds a single direction of each eigenspace (the
    /// projection of q on it), so a run finds each distinct eigenvalue once. Each further run
    /// starts from a fresh random vector and is kept orthogonal to every eigenvector found so
    /// far (deflation): it sees the rest of each eigenspace, and its converged Ritz pairs beyond
    /// the current k-th value (by more than the tolerance) join the found ones. The search
    /// ends with the first run that adds none, which is when its top Ritz pair has converged
    /// below the k-th value: an eigenvalue of multiplicity p costs p such runs beyond the
    /// first. For k = 1 the first run suffices (a copy of λ₁ cannot change λ₁), and with
    /// `tolerance: 0` (a fixed number of steps, no convergence to test) the first run is all.
    /// Pairs still unconverged when a run reaches `maxSteps` are returned as they stand if
    /// they rank among the k, but never deflated.
    func lanczosEigenpairs(_ k: Int, end: SpectrumEnd, maxSteps: Int?, tolerance: Double, seed: UInt64) -> [Eigenpair] {
        precondition(k >= 1 && k <= dimension, "Lanczos: asked for \(k) eigenpairs of a \(dimension)×\(dimension) Hessian")
        var rng = RNG(seed: seed)
        let limit = maxSteps ?? Swift.min(dimension, Swift.max(100, 4 * k))
        // Ranks Ritz values from the wanted end: sign·θ, largest first.
        let sign: Double = end == .largest ? 1 : -1
        func wantedFirst(_ m: Int) -> [Int] { end == .largest ? Array((0..<m).reversed()) : Array(0..<m) }
        // Converged pairs, which later runs are kept orthogonal to, and the last run's pairs
        // that would count but did not converge within `limit` (the fallback; never deflated,
        // as a half-formed copy would hide the rest of its eigenspace).
        var found: [(value: Double, vector: [Double])] = []
        var unconverged: [(value: Double, vector: [Double])] = []
        var products = 0
        var scale = 0.0  // the largest |θ| seen, the tolerance's unit
        while found.count < dimension {
            let first = found.isEmpty
            // The k-th best value found so far, as sign·λ: later runs look for values beyond it.
            let ranked = found.map { sign * $0.value }.sorted(by: >)
            let kth = ranked.count >= k ? ranked[k - 1] : -Double.infinity
            let start = Tensor.randomNormal([dimension], using: &rng).scalars
            let run = lanczos(start: start, maxSteps: limit, restart: true, breakdown: Swift.max(1e-10, tolerance),
                              deflating: found.map(\.vector), rng: &rng) { run in
                guard tolerance > 0, !first || run.steps >= k else { return false }
                let (values, vectors) = run.ritz()
                let m = run.steps
                let unit = tolerance * Swift.max(scale, values.map(abs).max() ?? 0, 1e-300)
                let residual = { (i: Int) in run.nextBeta * abs(vectors[(m - 1) * m + i]) }
                let order = wantedFirst(m)
                // Converged at the top (after the first run), and every Ritz value that would
                // enter the k converged.
                return (first || residual(order[0]) <= unit)
                    && order.prefix(k).allSatisfy { sign * values[$0] <= kth + unit || residual($0) <= unit }
            }
            products += run.products
            let (values, vectors) = run.ritz()
            let m = run.steps
            // This run and the pairs before it span the whole space: nothing is left to find.
            let exhausted = found.count + m >= dimension
            scale = Swift.max(scale, values.map(abs).max() ?? 0)
            let unit = tolerance * Swift.max(scale, 1e-300)
            let beyond = wantedFirst(m).prefix(k).filter { sign * values[$0] > kth + unit }
            let isConverged = { (i: Int) in run.nextBeta * abs(vectors[(m - 1) * m + i]) <= unit }
            found += beyond.filter(isConverged).map { (values[$0], run.ritzVector(vectors, column: $0)) }
            unconverged = beyond.filter { !isConverged($0) }.map { (values[$0], run.ritzVector(vectors, column: $0)) }
            if exhausted || !beyond.contains(where: isConverged) || (first && (k == 1 || tolerance == 0)) { break }
        }
        return (found + unconverged).sorted { sign * $0.value > sign * $1.value }.prefix(k).map { pair in
            var r = self(pair.vector)
            Vectors.addScaled(&r, -pair.value, pair.vector)
            return Eigenpair(value: pair.value, vector: pair.vector, residual: Vectors.norm(r), products: products)
        }
    }

    /// The k largest eigenvalues with their eigenvectors, λ₁ ≥ … ≥ λₖ, by the Lanczos method
    /// with full reorthogonalization from a seeded Gaussian start.
    ///
    /// The run stops when every wanted Ritz pair (θ, Qy) has residual ‖HQy − θQy‖ = β·|yₘ| at
    /// most `tolerance`·max|θ| (then |λ − θ| ≤ residual²/gap), or after `maxSteps` products
    /// (default min(n, max(100, 4k))). Repeated eigenvalues come with their multiplicity: for
    /// k > 1 further runs of at most `maxSteps` products each, kept orthogonal to the vectors
    /// found, look for copies the first run cannot see, until one finds nothing beyond the
    /// k-th value; the vectors are orthonormal, also within an eigenspace. With `tolerance: 0`
    /// one run of exactly `maxSteps` steps, and no search for copies.
    /// Extreme eigenvalues converge first, so the top few need far fewer products than n.
    public func topEigenpairs(_ k: Int = 1, maxSteps: Int? = nil, tolerance: Double = 1e-10, seed: UInt64 = 0) -> [Eigenpair] {
        lanczosEigenpairs(k, end: .largest, maxSteps: maxSteps, tolerance: tolerance, seed: seed)
    }

    /// The k largest eigenvalues, λ₁ ≥ … ≥ λₖ (Lanczos; see `topEigenpairs`).
    public func topEigenvalues(_ k: Int = 1, maxSteps: Int? = nil, tolerance: Double = 1e-10, seed: UInt64 = 0) -> [Double] {
        topEigenpairs(k, maxSteps: maxSteps, tolerance: tolerance, seed: seed).map(\.value)
    }

    /// The k smallest (most negative) eigenpairs, λₙ ≤ λₙ₋₁ ≤ …, by the same Lanczos runs read
    /// at the other end, repeated eigenvalues with their multiplicity: at a saddle these are
    /// the escape directions.
    public func bottomEigenpairs(_ k: Int = 1, maxSteps: Int? = nil, tolerance: Double = 1e-10, seed: UInt64 = 0) -> [Eigenpair] {
        lanczosEigenpairs(k, end: .smallest, maxSteps: maxSteps, tolerance: tolerance, seed: seed)
    }

    /// Directions of negative curvature (vᵀHv < 0) among the k lowest eigenpairs, most
    /// negative first; empty at a point where the Hessian is positive semidefinite, up to
    /// `relativeTolerance`·|λ₁|.
    public func negativeCurvatureDirections(_ k: Int = 1, relativeTolerance: Double = 1e-8, seed: UInt64 = 0) -> [Eigenpair] {
        let scale = abs(topEigenvalues(1, seed: seed)[0])
        return bottomEigenpairs(k, seed: seed).filter { $0.value < -relativeTolerance * scale }
    }
}
