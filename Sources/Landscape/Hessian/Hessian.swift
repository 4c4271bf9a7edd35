import Autodiff
import Models
import Optimizers

/// The Hessian ∇²L(w) of a loss at one point, as the linear map v ↦ ∇²L(w)·v on flat vectors
/// of the n parameters: the object the curvature instruments (Lanczos, power iteration,
/// Hutchinson, stochastic Lanczos quadrature, the dense spectrum) all read.
///
///     let H = Hessian(of: net.loss(on: data), at: parameters)
///     H.topEigenvalues(3)            // λ₁ ≥ λ₂ ≥ λ₃, Lanczos
///     H.trace()                      // Hutchinson, 100 Rademacher probes
///     H.spectralDensity()            // SLQ, PyHessian's defaults
///     H.spectrum().eigenvalues       // all n of them, dense (small models only)
///
/// Products are exact: the loss and its gradient are recorded once, and each H·v is one more
/// backward pass over the recorded gradient (Pearlmutter's trick, reverse over reverse), so a
/// product costs a few gradient evaluations and involves no finite differences. Building the
/// value costs one forward and one backward pass; every method then reuses it.
public struct Hessian {
    /// n, the number of parameters (the side of the matrix).
    public let dimension: Int
    private let product: ([Double]) -> [Double]

    /// The Hessian of a loss of one tensor `w` (any shape; vectors are its scalars in order).
    public init(of loss: (Tensor) -> Tensor, at w: Tensor) {
        let op = HessianOperator(at: w.detached, in: loss)
        let shape = w.shape
        dimension = w.count
        product = { v in op(Tensor(shape: shape, scalars: v)).scalars }
    }

    /// The Hessian of a loss of a parameter set (a model's weights and biases) with respect
    /// to all of it: vectors are the tensors' scalars concatenated in order, as
    /// `ParameterLayout.flatten` lays them out.
    public init(of loss: ([Tensor]) -> Tensor, at parameters: [Tensor]) {
        let op = HessianOperator(at: parameters.map(\.detached), in: loss)
        let shapes = parameters.map(\.shape)
        dimension = parameters.reduce(0) { $0 + $1.count }
        product = { v in Vectors.flatten(op(Vectors.split(v, shapes: shapes))) }
    }

    /// The Hessian of an MLP's training loss on `data` (softmax cross-entropy for labels,
    /// MSE for targets, as `MLP.loss(on:)`) with respect to its parameters.
    public init(of net: MLP, on data: Dataset, at parameters: [Tensor]) {
        self.init(of: net.loss(on: data), at: parameters)
    }

    /// The Hessian of a convolutional network's loss on a fixed evaluation set (softmax
    /// cross-entropy on `images`, `labels`) with respect to all its parameters, batch
    /// normalization in evaluation mode with `statistics` (a fixed per-channel affine map,
    /// so the loss is one function of the weights and the curvature does not depend on how
    /// the set is cut into batches).
    public init(of net: ConvNet, images: Tensor, labels: [Int], statistics: [BatchNormStatistics] = [],
                at parameters: [Tensor]) {
        self.init(of: net.loss(images: images, labels: labels, statistics: statistics, mode: .evaluation), at: parameters)
    }

    /// An explicit symmetric matrix as a Hessian (a quadratic's, or a test oracle).
    public init(matrix a: Tensor) {
        precondition(a.rank == 2 && a.shape[0] == a.shape[1], "Hessian(matrix:): expected a square matrix, got shape \(a.shape)")
        let n = a.shape[0], m = a.detached.scalars
        dimension = n
        product = { v in
            (0..<n).map { i in
                var s = 0.0
                for j in 0..<n { s += m[i * n + j] * v[j] }
                return s
            }
        }
    }

    /// H·v for a flat vector of `dimension` entries.
    public func callAsFunction(_ v: [Double]) -> [Double] {
        precondition(v.count == dimension, "Hessian: a vector of \(dimension) entries is needed, got \(v.count)")
        return product(v)
    }

    /// The dense n×n matrix, column j = H·eⱼ (n products), symmetrized as (H + Hᵀ)/2 to
    /// remove rounding asymmetry. For models small enough to hold n² numbers.
    public func matrix() -> Tensor {
        let n = dimension
        var h = [Double](repeating: 0, count: n * n)
        var e = [Double](repeating: 0, count: n)
        for j in 0..<n {
            e[j] = 1
            let col = product(e)
            for i in 0..<n { h[i * n + j] = col[i] }
            e[j] = 0
        }
        for i in 0..<n {
            for j in (i + 1)..<Swift.max(n, i + 1) {
                let s = 0.5 * (h[i * n + j] + h[j * n + i])
                h[i * n + j] = s
                h[j * n + i] = s
            }
        }
        return Tensor(shape: [n, n], scalars: h)
    }

    /// Every eigenvalue, from the dense matrix by LAPACK `dsyevd`: the exact reference the
    /// iterative estimates are checked against, and the way to count (near-)zero directions.
    /// Costs n products and O(n³); for small models (n up to a few thousand).
    public func spectrum() -> HessianSpectrum {
        HessianSpectrum(eigenvalues: symmetricEigenvalues(matrix()).scalars)
    }
}

/// One eigenvalue of a Hessian with its unit eigenvector (flat, in parameter order), as an
/// iterative method returned it.
public struct Eigenpair: Sendable, Equatable {
    /// λ, the curvature along `vector`.
    public let value: Double
    /// v with ‖v‖ = 1.
    public let vector: [Double]
    /// ‖Hv − λv‖, measured with one more product: how far from an exact eigenpair this is
    /// (the eigenvalue error is at most this, and about residual²/gap when λ is isolated).
    public let residual: Double
    /// Hessian-vector products the method spent, over all its runs (not counting the residual's).
    public let products: Int

    public init(value: Double, vector: [Double], residual: Double, products: Int) {
        self.value = value
        self.vector = vector
        self.residual = residual
        self.products = products
    }
}

/// All eigenvalues of a (small) Hessian, ascending, with the counts the course reads off
/// them: how many directions curve up, down, or not at all (degeneracy).
public struct HessianSpectrum: Sendable, Equatable {
    /// λ₁ ≤ … ≤ λₙ.
    public let eigenvalues: [Double]

    public init(eigenvalues: [Double]) { self.eigenvalues = eigenvalues.sorted() }

    /// n.
    public var count: Int { eigenvalues.count }
    /// The largest eigenvalue, the sharpness.
    public var largest: Double { eigenvalues.last ?? 0 }
    /// The smallest eigenvalue (negative where the point is not a minimum).
    public var smallest: Double { eigenvalues.first ?? 0 }
    /// tr H = Σ λᵢ.
    public var trace: Double { eigenvalues.reduce(0, +) }

    /// The threshold below which |λ| counts as zero: `relativeTolerance`·max |λᵢ|
    /// (an absolute 0 when the whole matrix is 0).
    public func zeroThreshold(relativeTolerance: Double) -> Double {
        relativeTolerance * (eigenvalues.map(abs).max() ?? 0)
    }

    /// Eigenvalues with |λ| ≤ relativeTolerance·max|λ|: flat directions, e.g. the ones an
    /// over-parametrized network's symmetries create.
    public func nearZeroCount(relativeTolerance: Double = 1e-8) -> Int {
        let t = zeroThreshold(relativeTolerance: relativeTolerance)
        return eigenvalues.filter { abs($0) <= t }.count
    }

    /// Eigenvalues above the zero threshold (directions curving up).
    public func positiveCount(relativeTolerance: Double = 1e-8) -> Int {
        let t = zeroThreshold(relativeTolerance: relativeTolerance)
        return eigenvalues.filter { $0 > t }.count
    }

    /// Eigenvalues below minus the zero threshold (directions curving down): the Morse index.
    public func negativeCount(relativeTolerance: Double = 1e-8) -> Int {
        let t = zeroThreshold(relativeTolerance: relativeTolerance)
        return eigenvalues.filter { $0 < -t }.count
    }
}
