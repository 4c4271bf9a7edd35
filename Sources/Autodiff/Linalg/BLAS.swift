// The only file that imports the OpenBLAS/LAPACK shim: every BLAS or LAPACK call in the engine
// goes through the small, typed wrappers below.
import COpenBLAS
import Dispatch

/// Typed wrappers over the few BLAS/LAPACK routines the engine uses.
enum BLAS {
    /// C = alpha · op(A) · op(B) + beta · C for row-major, contiguous matrices, where op(A) is
    /// m×k and op(B) is k×n (`cblas_dgemm`). `a` is stored as m×k (or k×m when transposed).
    /// `lda`, `ldb`, `ldc`: row strides when a matrix is a block of a larger one (default: its
    /// own width).
    @inline(__always)
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Double = 1, a: UnsafePointer<Double>, lda: Int? = nil, b: UnsafePointer<Double>, ldb: Int? = nil,
        beta: Double = 0, c: UnsafeMutablePointer<Double>, ldc: Int? = nil
    ) {
        let lda = lda ?? (transposeA ? m : k)
        let ldb = ldb ?? (transposeB ? k : n)
        useThreads(forWork: m * n * k)
        cblas_dgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(max(lda, 1)), b, Int32(max(ldb, 1)),
            beta, c, Int32(max(ldc ?? n, 1)))
    }

    /// `gemm` (alpha = 1) for products between `splitThreshold` and `threadingThreshold`
    /// multiply-adds: C cut in two halves, each a one-thread dgemm of its own, run at once.
    /// OpenBLAS's own threading only pays above `threadingThreshold`; below it, on a
    /// layer-sized product such as 128×784×256, this halves the time when a second core is
    /// free. The cut is along n (two blocks of columns) when m < n, else along m (two blocks
    /// of rows): a row cut has each half pack all of op(B) (k×n), a column cut all of op(A)
    /// (m×k), so the cut duplicates the smaller one. Either way the split is never along k:
    /// every element of C is the same dot product, accumulated in the same k-blocks, as in the
    /// one-call product, so the bytes do not change with the core count or the cut (checked
    /// on the MLP's shapes). Column halves start at a multiple of 8 (whole cache lines of C).
    /// `beta` = 1 adds the product to what C holds (a bias row written there first, say).
    static func gemmSplitting(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<Double>, b: UnsafePointer<Double>, beta: Double = 0, c: UnsafeMutablePointer<Double>
    ) {
        let work = m * n * k
        guard work >= splitThreshold, work < threadingThreshold, (m < n ? n : m) >= 32, defaultThreads >= 2 else {
            gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, b: b, beta: beta, c: c)
            return
        }
        gemmInTwoHalves(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, b: b, beta: beta, c: c)
    }

    /// The split itself, whatever the thresholds say (the tests call it directly, since on a
    /// machine with OpenBLAS's AVX-512 kernels no product falls in `gemmSplitting`'s range):
    /// two halves of C, cut along n when m < n and along m otherwise, each a one-thread dgemm
    /// (for a product below `threadingThreshold`; above it each half may use OpenBLAS's threads).
    static func gemmInTwoHalves(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<Double>, b: UnsafePointer<Double>, beta: Double = 0, c: UnsafeMutablePointer<Double>
    ) {
        let byColumns = m < n
        let (pa, pb, pc) = (SendablePointer(a), SendablePointer(b), SendableMutablePointer(c))
        let lda = transposeA ? m : k, ldb = transposeB ? k : n
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            // In `gemmSplitting`'s range each half is below the threading threshold, so `gemm` runs it on one thread.
            if byColumns {
                // Columns n0 ..< n0 + cols of op(B) and of C.
                let half = (n / 2 + 7) & ~7
                let (n0, cols) = part == 0 ? (0, half) : (half, n - half)
                gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: cols, k: k,
                     a: pa.base, lda: lda, b: transposeB ? pb.base + n0 * k : pb.base + n0, ldb: ldb,
                     beta: beta, c: pc.base + n0, ldc: n)
            } else {
                // Rows m0 ..< m0 + rows of op(A) and of C.
                let half = m / 2
                let (m0, rows) = part == 0 ? (0, half) : (half, m - half)
                gemm(transposeA: transposeA, transposeB: transposeB, m: rows, n: n, k: k,
                     a: transposeA ? pa.base + m0 : pa.base + m0 * k, lda: lda, b: pb.base, ldb: ldb,
                     beta: beta, c: pc.base + m0 * n, ldc: n)
            }
        }
    }

    /// Products of at least this many multiply-adds may be split in two (`gemmSplitting`).
    static let splitThreshold = 8 << 20


    /// OpenBLAS's thread count at start-up (OPENBLAS_NUM_THREADS or the number of cores).
    static let defaultThreads: Int32 = openblas_get_num_threads()

    /// Products below this many multiply-adds (≈ 320³) run on one thread: splitting a layer-sized
    /// product (1024×64×64) across cores costs more in hand-offs and spinning workers than it
    /// saves, and on a machine shared with other jobs much more. With OpenBLAS's AVX-512
    /// kernels its own threads pay from `splitThreshold` on (the Fashion-MNIST MLP step, whose
    /// products are 128×784×256: 1.42 → 1.23 ms against the split; with the Haswell kernels the
    /// two were within noise, so there the split stays).
    static let threadingThreshold: Int = {
        let core = String(cString: openblas_get_corename()).lowercased()
        return ["skylakex", "cooperlake", "sapphirerapids"].contains(core) ? splitThreshold : 32 << 20
    }()

    @inline(__always)
    static func useThreads(forWork work: Int) {
        openblas_set_num_threads(work < threadingThreshold ? 1 : defaultThreads)
    }

    /// Dot product Σ xᵢyᵢ (`cblas_ddot`).
    static func dot(_ n: Int, _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>) -> Double {
        cblas_ddot(Int32(n), x, 1, y, 1)
    }

    /// Eigen-decomposition of a symmetric n×n matrix by divide and conquer (`dsyevd`).
    /// `a` (row-major, symmetric so also column-major) is overwritten by the eigenvectors as
    /// columns in LAPACK's column-major layout; `w` receives the eigenvalues in ascending order.
    /// Returns LAPACK's `info` (0 on success).
    static func syevd(n: Int, a: UnsafeMutablePointer<Double>, w: UnsafeMutablePointer<Double>,
                      vectors: Bool) -> Int {
        var jobz = CChar(UInt8(ascii: vectors ? "V" : "N"))
        var uplo = CChar(UInt8(ascii: "U"))
        var n32 = Int32(n), lda = Int32(max(n, 1)), info: Int32 = 0
        var lwork: Int32 = -1, liwork: Int32 = -1
        var workQuery = 0.0
        var iworkQuery: Int32 = 0
        dsyevd_(&jobz, &uplo, &n32, a, &lda, w, &workQuery, &lwork, &iworkQuery, &liwork, &info)
        guard info == 0 else { return Int(info) }
        lwork = Int32(workQuery)
        liwork = iworkQuery
        var work = [Double](repeating: 0, count: Int(max(lwork, 1)))
        var iwork = [Int32](repeating: 0, count: Int(max(liwork, 1)))
        dsyevd_(&jobz, &uplo, &n32, a, &lda, w, &work, &lwork, &iwork, &liwork, &info)
        return Int(info)
    }

    /// Cholesky factorization in place (`dpotrf`). Called with LAPACK's upper triangle on the
    /// column-major view, which is the lower triangle of the row-major matrix: on success the
    /// row-major lower triangle holds L with A = L·Lᵀ. Returns `info` (> 0: leading minor not
    /// positive definite).
    static func potrf(n: Int, a: UnsafeMutablePointer<Double>) -> Int {
        var uplo = CChar(UInt8(ascii: "U"))
        var n32 = Int32(n), lda = Int32(max(n, 1)), info: Int32 = 0
        dpotrf_(&uplo, &n32, a, &lda, &info)
        return Int(info)
    }

    /// Solves A·X = B given the factor from `potrf` (`dpotrs`). `b` holds the right-hand sides
    /// column-major: nrhs columns of length n.
    static func potrs(n: Int, nrhs: Int, factor: UnsafePointer<Double>,
                      b: UnsafeMutablePointer<Double>) -> Int {
        var uplo = CChar(UInt8(ascii: "U"))
        var n32 = Int32(n), nrhs32 = Int32(nrhs), lda = Int32(max(n, 1)), ldb = Int32(max(n, 1))
        var info: Int32 = 0
        dpotrs_(&uplo, &n32, &nrhs32, factor, &lda, b, &ldb, &info)
        return Int(info)
    }

    /// Solves A·X = B by LU with partial pivoting (`dgesv`). `a` is column-major n×n (it is
    /// overwritten), `b` column-major n×nrhs (overwritten by X). Returns `info` (> 0: singular).
    static func gesv(n: Int, nrhs: Int, a: UnsafeMutablePointer<Double>,
                     b: UnsafeMutablePointer<Double>) -> Int {
        var n32 = Int32(n), nrhs32 = Int32(nrhs), lda = Int32(max(n, 1)), ldb = Int32(max(n, 1))
        var info: Int32 = 0
        var ipiv = [Int32](repeating: 0, count: max(n, 1))
        dgesv_(&n32, &nrhs32, a, &lda, &ipiv, b, &ldb, &info)
        return Int(info)
    }
}

/// The unwrapped OpenBLAS matrix product, for benchmarks that compare `matmul` against the raw
/// library call: C = A·B for row-major m×k and k×n buffers (`cblas_dgemm`, α = 1, β = 0).
public enum RawBLAS {
    public static func dgemm(m: Int, n: Int, k: Int, a: UnsafePointer<Double>, b: UnsafePointer<Double>,
                             c: UnsafeMutablePointer<Double>) {
        BLAS.useThreads(forWork: m * n * k)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1,
                    a, Int32(k), b, Int32(n), 0, c, Int32(n))
    }
}

/// A buffer's base address handed to worker threads inside the buffer's scope (the products
/// split across cores: `BLAS.gemmSplitting`, `ConvolutionProduct`).
struct SendablePointer: @unchecked Sendable {
    let base: UnsafePointer<Double>
    init(_ base: UnsafePointer<Double>) { self.base = base }
    init(_ buffer: UnsafeBufferPointer<Double>) { base = buffer.baseAddress! }
}

/// A writable base address handed to worker threads, each writing its own part.
struct SendableMutablePointer: @unchecked Sendable {
    let base: UnsafeMutablePointer<Double>
    init(_ base: UnsafeMutablePointer<Double>) { self.base = base }
}
