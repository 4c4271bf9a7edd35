// Matrix products through `cblas_dgemm`.

/// Matrix product with NumPy's `matmul` conventions:
/// - `[m, k] × [k, n] → [m, n]`;
/// - `[m, k] × [k] → [m]` (matrix–vector) and `[k] × [k, n] → [n]`;
/// - `[k] × [k] → []` (dot product);
/// - batched: `[b, m, k] × [b, k, n] → [b, m, n]`, and `[b, m, k] × [k, n] → [b, m, n]`.
///
/// Derivatives: for C = A·B, Ā = C̄·Bᵀ and B̄ = Aᵀ·C̄ (computed by dgemm with transpose flags,
/// never materializing a transpose).
public func matmul(_ a: Tensor, _ b: Tensor) -> Tensor {
    switch (a.rank, b.rank) {
    case (2, 2):
        return matrixProduct(a, b, transposeA: false, transposeB: false)
    case (2, 1):
        return matrixProduct(a, b.reshaped(to: [b.count, 1]), transposeA: false, transposeB: false).reshaped(to: [a.shape[0]])
    case (1, 2):
        return matrixProduct(a.reshaped(to: [1, a.count]), b, transposeA: false, transposeB: false).reshaped(to: [b.shape[1]])
    case (1, 1):
        return dot(a, b)
    case (3, 2):
        let (bs, m, k) = (a.shape[0], a.shape[1], a.shape[2])
        precondition(k == b.shape[0], "matmul: inner dimensions differ in \(a.shape) × \(b.shape)")
        return matrixProduct(a.reshaped(to: [bs * m, k]), b, transposeA: false, transposeB: false)
            .reshaped(to: [bs, m, b.shape[1]])
    case (3, 3):
        return batchedProduct(a, b, transposeA: false, transposeB: false)
    default:
        preconditionFailure("matmul: unsupported ranks for shapes \(a.shape) × \(b.shape)")
    }
}

/// a·bᵀ without forming bᵀ: the transpose is dgemm's flag, in the product and in both
/// derivative rules. This is what a dense layer with PyTorch-shaped weights [out, in]
/// computes, x·Wᵀ, and attention's scores Q·Kᵀ. Same shapes and value as
/// `matmul(a, b.transposed())` for `[m, k] × [n, k]` (and `[s, m, k] × [n, k]`); for two
/// stacks `[s, m, k] × [s, n, k]` it is the batched Aᵢ·Bᵢᵀ, shape `[s, m, n]`; other ranks
/// take the `transposed()` route.
public func matmul(_ a: Tensor, transposed b: Tensor) -> Tensor {
    switch (a.rank, b.rank) {
    case (2, 2):
        return matrixProduct(a, b, transposeA: false, transposeB: true)
    case (3, 2):
        let (bs, m, k) = (a.shape[0], a.shape[1], a.shape[2])
        precondition(k == b.shape[1], "matmul: inner dimensions differ in \(a.shape) × \(b.shape)ᵀ")
        return matrixProduct(a.reshaped(to: [bs * m, k]), b, transposeA: false, transposeB: true)
            .reshaped(to: [bs, m, b.shape[0]])
    case (3, 3):
        return batchedProduct(a, b, transposeA: false, transposeB: true)
    default:
        return matmul(a, b.transposed())
    }
}

/// a·bᵀ + bias for a matrix `a` [m, k], `b` [n, k] and a `bias` [n] added to every row: a
/// dense layer with PyTorch-shaped weights in one op. The bias rows are written into the
/// result first and dgemm adds the product to them (beta = 1), so there is no separate pass
/// and no second [m, n] buffer. Same value as `matmul(a, transposed: b) + bias` up to the
/// order of one addition per element (the bias joins the first of dgemm's k-blocks instead of
/// coming after the last). Derivatives: ā = c̄·b, b̄ = c̄ᵀ·a, bias̄ = column sums of c̄.
/// Other ranks or shapes take the unfused route.
public func matmul(_ a: Tensor, transposed b: Tensor, adding bias: Tensor) -> Tensor {
    guard a.rank == 2, b.rank == 2, bias.rank == 1, a.shape[1] == b.shape[1], bias.shape[0] == b.shape[0] else {
        return matmul(a, transposed: b) + bias
    }
    let (m, k, n) = (a.shape[0], a.shape[1], b.shape[0])
    let s = makeStorage(m * n) { c in
        bias.scalars.withUnsafeBufferPointer { row in
            for i in 0..<m { (c + i * n).update(from: row.baseAddress!, count: n) }
        }
        if k == 0 { return }
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                BLAS.gemmSplitting(transposeA: false, transposeB: true, m: m, n: n, k: k,
                                   a: pa.baseAddress!, b: pb.baseAddress!, beta: 1, c: c)
            }
        }
    }
    let v = Tensor(shape: [m, n], storage: s, node: nil)
    return Tensor.record("matmul + bias", v, [a, b, bias]) { p in
        let (a, b, c) = (p.inputs[0], p.inputs[1], p.cotangent)
        return [p.needs(0) ? matrixProduct(c, b, transposeA: false, transposeB: false) : nil,
                p.needs(1) ? matrixProduct(c, a, transposeA: true, transposeB: false) : nil,
                p.needs(2) ? c.sum(toShape: [n]) : nil]
    }
}

extension Tensor {
    /// `matmul(self, other)`.
    public func matmul(_ other: Tensor) -> Tensor { Autodiff.matmul(self, other) }
}

/// C = op(A)·op(B) for matrices, op = transpose when flagged.
func matrixProduct(_ a: Tensor, _ b: Tensor, transposeA ta: Bool, transposeB tb: Bool) -> Tensor {
    precondition(a.rank == 2 && b.rank == 2, "matmul: expected matrices, got \(a.shape) and \(b.shape)")
    let m = ta ? a.shape[1] : a.shape[0], k = ta ? a.shape[0] : a.shape[1]
    let k2 = tb ? b.shape[1] : b.shape[0], n = tb ? b.shape[0] : b.shape[1]
    precondition(k == k2, "matmul: inner dimensions differ in \(a.shape)\(ta ? "ᵀ" : "") × \(b.shape)\(tb ? "ᵀ" : "")")
    let s = makeStorage(m * n) { c in
        if k == 0 { c.initialize(repeating: 0, count: m * n); return }
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                BLAS.gemmSplitting(transposeA: ta, transposeB: tb, m: m, n: n, k: k,
                                   a: pa.baseAddress!, b: pb.baseAddress!, c: c)
            }
        }
    }
    let v = Tensor(shape: [m, n], storage: s, node: nil)
    return Tensor.record("matmul", v, [a, b]) { p in
        let (a, b, c) = (p.inputs[0], p.inputs[1], p.cotangent)
        let da: Tensor?, db: Tensor?
        switch (ta, tb) {
        case (false, false):
            da = p.needs(0) ? matrixProduct(c, b, transposeA: false, transposeB: true) : nil
            db = p.needs(1) ? matrixProduct(a, c, transposeA: true, transposeB: false) : nil
        case (false, true):
            da = p.needs(0) ? matrixProduct(c, b, transposeA: false, transposeB: false) : nil
            db = p.needs(1) ? matrixProduct(c, a, transposeA: true, transposeB: false) : nil
        case (true, false):
            da = p.needs(0) ? matrixProduct(b, c, transposeA: false, transposeB: true) : nil
            db = p.needs(1) ? matrixProduct(a, c, transposeA: false, transposeB: false) : nil
        case (true, true):
            da = p.needs(0) ? matrixProduct(b, c, transposeA: true, transposeB: true) : nil
            db = p.needs(1) ? matrixProduct(c, a, transposeA: true, transposeB: true) : nil
        }
        return [da, db]
    }
}

/// Cᵢ = op(Aᵢ)·op(Bᵢ) for each matrix i of two `[b, ·, ·]` stacks.
func batchedProduct(_ a: Tensor, _ b: Tensor, transposeA ta: Bool, transposeB tb: Bool) -> Tensor {
    precondition(a.rank == 3 && b.rank == 3 && a.shape[0] == b.shape[0],
                 "matmul: batched product needs equal batch sizes, got \(a.shape) × \(b.shape)")
    let bs = a.shape[0]
    let m = ta ? a.shape[2] : a.shape[1], k = ta ? a.shape[1] : a.shape[2]
    let k2 = tb ? b.shape[2] : b.shape[1], n = tb ? b.shape[1] : b.shape[2]
    precondition(k == k2, "matmul: inner dimensions differ in \(a.shape) × \(b.shape)")
    let s = makeStorage(bs * m * n) { c in
        if k == 0 { c.initialize(repeating: 0, count: bs * m * n); return }
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                for i in 0..<bs {
                    BLAS.gemm(transposeA: ta, transposeB: tb, m: m, n: n, k: k,
                              a: pa.baseAddress! + i * m * k, b: pb.baseAddress! + i * k * n, c: c + i * m * n)
                }
            }
        }
    }
    let v = Tensor(shape: [bs, m, n], storage: s, node: nil)
    return Tensor.record("batched matmul", v, [a, b]) { p in
        let (a, b, c) = (p.inputs[0], p.inputs[1], p.cotangent)
        let da: Tensor?, db: Tensor?
        switch (ta, tb) {
        case (false, false):
            da = p.needs(0) ? batchedProduct(c, b, transposeA: false, transposeB: true) : nil
            db = p.needs(1) ? batchedProduct(a, c, transposeA: true, transposeB: false) : nil
        case (false, true):
            da = p.needs(0) ? batchedProduct(c, b, transposeA: false, transposeB: false) : nil
            db = p.needs(1) ? batchedProduct(c, a, transposeA: true, transposeB: false) : nil
        case (true, false):
            da = p.needs(0) ? batchedProduct(b, c, transposeA: false, transposeB: true) : nil
            db = p.needs(1) ? batchedProduct(a, c, transposeA: false, transposeB: false) : nil
        case (true, true):
            da = p.needs(0) ? batchedProduct(b, c, transposeA: true, transposeB: true) : nil
            db = p.needs(1) ? batchedProduct(c, a, transposeA: true, transposeB: true) : nil
        }
        return [da, db]
    }
}
