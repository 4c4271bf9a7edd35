// Dense linear algebra for small matrices through LAPACK: symmetric eigen-decomposition,
// Cholesky factorization and linear solves. Results are plain values (not differentiated
// through), except `solve`, whose derivative is written out below.

/// Why a factorization or solve could not be done.
public enum LinearAlgebraError: Error, Equatable, CustomStringConvertible {
    /// The leading minor of this order is not positive (Cholesky needs A ≻ 0).
    case notPositiveDefinite(leadingMinor: Int)
    /// U(i, i) is exactly zero in the LU factorization: the matrix is singular.
    case singular(pivot: Int)
    /// LAPACK reported a failure (its `info` code).
    case lapackFailure(routine: String, info: Int)

    public var description: String {
        switch self {
        case .notPositiveDefinite(let k): "matrix is not positive definite (leading minor \(k))"
        case .singular(let i): "matrix is singular (zero pivot at \(i))"
        case .lapackFailure(let r, let info): "LAPACK \(r) failed with info = \(info)"
        }
    }
}

func requireSquare(_ a: Tensor, _ function: StaticString) -> Int {
    precondition(a.rank == 2 && a.shape[0] == a.shape[1], "\(function): expected a square matrix, got shape \(a.shape)")
    return a.shape[0]
}

/// Eigenvalues (ascending) and orthonormal eigenvectors (the columns of `vectors`) of a
/// symmetric matrix: A = V·diag(λ)·Vᵀ. Uses LAPACK `dsyevd` (divide and conquer) on the
/// upper triangle. Not differentiated through.
public func symmetricEigen(_ a: Tensor) -> (values: Tensor, vectors: Tensor) {
    let n = requireSquare(a, "symmetricEigen")
    var m = a.scalars  // row-major A = column-major Aᵀ = A (symmetric)
    var w = [Double](repeating: 0, count: n)
    let info = m.withUnsafeMutableBufferPointer { pm in
        w.withUnsafeMutableBufferPointer { pw in BLAS.syevd(n: n, a: pm.baseAddress!, w: pw.baseAddress!, vectors: true) }
    }
    precondition(info == 0, "symmetricEigen: dsyevd did not converge (info \(info)); does the matrix contain NaN?")
    // LAPACK returns eigenvectors as columns of a column-major matrix, i.e. as rows of the
    // row-major buffer: transpose so that column j of `vectors` is eigenvector j.
    let vectors = Tensor(shape: [n, n], storage: m, node: nil).detached.transposed()
    return (Tensor(w), vectors.detached)
}

/// Eigenvalues of a symmetric matrix in ascending order (`dsyevd` without vectors).
public func symmetricEigenvalues(_ a: Tensor) -> Tensor {
    let n = requireSquare(a, "symmetricEigenvalues")
    var m = a.scalars
    var w = [Double](repeating: 0, count: n)
    let info = m.withUnsafeMutableBufferPointer { pm in
        w.withUnsafeMutableBufferPointer { pw in BLAS.syevd(n: n, a: pm.baseAddress!, w: pw.baseAddress!, vectors: false) }
    }
    precondition(info == 0, "symmetricEigenvalues: dsyevd did not converge (info \(info)); does the matrix contain NaN?")
    return Tensor(w)
}

/// The lower-triangular Cholesky factor L of a symmetric positive definite matrix,
/// A = L·Lᵀ (LAPACK `dpotrf`). Throws if A is not positive definite.
public func cholesky(_ a: Tensor) throws(LinearAlgebraError) -> Tensor {
    let n = requireSquare(a, "cholesky")
    var m = a.scalars
    let info = m.withUnsafeMutableBufferPointer { BLAS.potrf(n: n, a: $0.baseAddress!) }
    if info > 0 { throw .notPositiveDefinite(leadingMinor: info) }
    if info < 0 { throw .lapackFailure(routine: "dpotrf", info: info) }
    for i in 0..<n { for j in (i + 1)..<Swift.max(n, i + 1) { m[i * n + j] = 0 } }
    return Tensor(shape: [n, n], storage: m, node: nil)
}

/// Solves A·X = B given A's Cholesky factor L (from `cholesky`), for B of shape `[n]` or
/// `[n, k]` (LAPACK `dpotrs`).
public func choleskySolve(_ factor: Tensor, _ b: Tensor) -> Tensor {
    let n = requireSquare(factor, "choleskySolve")
    precondition(b.shape.first == n && b.rank <= 2, "choleskySolve: right-hand side of shape \(b.shape) for a \(n)×\(n) system")
    let k = b.rank == 1 ? 1 : b.shape[1]
    var rhs = b.rank == 1 ? b.scalars : b.detached.transposed().scalars  // column-major
    let info = factor.scalars.withUnsafeBufferPointer { f in
        rhs.withUnsafeMutableBufferPointer { BLAS.potrs(n: n, nrhs: k, factor: f.baseAddress!, b: $0.baseAddress!) }
    }
    precondition(info == 0, "choleskySolve: dpotrs failed (info \(info))")
    if b.rank == 1 { return Tensor(rhs) }
    return Tensor(shape: [k, n], storage: rhs, node: nil).transposed().detached
}

/// X = A⁻¹B for a square A by LU with partial pivoting (LAPACK `dgesv`); B is `[n]` or
/// `[n, k]`. Differentiable: B̄ = A⁻ᵀX̄ and Ā = −B̄·Xᵀ.
public func solve(_ a: Tensor, _ b: Tensor) throws(LinearAlgebraError) -> Tensor {
    let n = requireSquare(a, "solve")
    precondition(b.shape.first == n && b.rank <= 2, "solve: right-hand side of shape \(b.shape) for a \(n)×\(n) system")
    let x = try plainSolve(a.scalars, n: n, b.detached, transposed: false)
    return Tensor.record("solve", x, [a, b], keepOutput: true) { p in
        let (a, x, xbar) = (p.inputs[0], p.output, p.cotangent)
        let bbar = try! solveTransposed(a, xbar)
        let abar: Tensor? = p.needs(0)
            ? (x.rank == 1 ? -matmul(bbar.reshaped(to: [n, 1]), x.reshaped(to: [1, n]))
                           : -matrixProduct(bbar, x, transposeA: false, transposeB: true))
            : nil
        return [abar, p.needs(1) ? bbar : nil]
    }
}

/// Aᵀ⁻¹·B, differentiable through `solve`.
func solveTransposed(_ a: Tensor, _ b: Tensor) throws(LinearAlgebraError) -> Tensor {
    try solve(a.transposed(), b)
}

/// A⁻¹B on plain values. `transposed` solves with Aᵀ instead.
func plainSolve(_ a: [Double], n: Int, _ b: Tensor, transposed: Bool) throws(LinearAlgebraError) -> Tensor {
    var m = a  // row-major A is column-major Aᵀ
    if !transposed {
        m = Tensor(shape: [n, n], storage: a, node: nil).transposed().scalars
    }
    let k = b.rank == 1 ? 1 : b.shape[1]
    var rhs = b.rank == 1 ? b.scalars : b.transposed().scalars
    let info = m.withUnsafeMutableBufferPointer { pm in
        rhs.withUnsafeMutableBufferPointer { BLAS.gesv(n: n, nrhs: k, a: pm.baseAddress!, b: $0.baseAddress!) }
    }
    if info > 0 { throw .singular(pivot: info) }
    if info < 0 { throw .lapackFailure(routine: "dgesv", info: info) }
    if b.rank == 1 { return Tensor(rhs) }
    return Tensor(shape: [k, n], storage: rhs, node: nil).transposed()
}
