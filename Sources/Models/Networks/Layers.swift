import Autodiff

// Layers as plain differentiable functions of their inputs and parameter tensors, so a model
// is a composition of calls and its parameters stay an explicit list (see `MLP`).

/// A dense (fully connected) layer, PyTorch's `Linear`: y = x Wᵀ + b, with W of shape
/// [out, in] and x of shape [n, in].
public func dense(_ x: Tensor, weight: Tensor, bias: Tensor? = nil) -> Tensor {
    precondition(weight.rank == 2 && x.shape.last == weight.shape[1],
                 "dense: inputs \(x.shape) do not fit a weight of shape \(weight.shape) ([out, in])")
    guard let bias else { return matmul(x, transposed: weight) }
    return matmul(x, transposed: weight, adding: bias)  // one op for a matrix x; else matmul + bias
}

/// Layer normalization over the last axis (Ba, Kiros & Hinton 2016; PyTorch's `LayerNorm`):
///     y = (x − μ) / √(σ² + ε) ⊙ γ + β,
/// with μ and σ² the mean and the biased variance of each row. Defaults ε = 1e-5.
public func layerNorm(_ x: Tensor, gain: Tensor, bias: Tensor, epsilon: Double = 1e-5) -> Tensor {
    let d = x.shape.last ?? 1
    precondition(gain.shape == [d] && bias.shape == [d], "layerNorm: gain and bias must have shape [\(d)]")
    let centered = x - x.mean(axis: -1, keepingDims: true)
    let variance = centered.squared().mean(axis: -1, keepingDims: true)
    return centered / sqrt(variance + epsilon) * gain + bias
}

/// Rows `indices` of an embedding table [vocabulary, d]: the vectors of tokens, shape
/// [indices.count, d]. The gradient scatters back into the rows used (repeats add up).
public func embedding(_ indices: [Int], table: Tensor) -> Tensor {
    precondition(table.rank == 2, "embedding: the table must be a matrix [vocabulary, d], got \(table.shape)")
    return table.gathering(atIndices: indices)
}

/// Causal multi-head self-attention over one sequence x of shape [T, d] (Vaswani et al. 2017,
/// with the decoder's mask):
///     Q = x W_qᵀ, K = x W_kᵀ, V = x W_vᵀ, split into `heads` blocks of d/heads columns;
///     per head  A = softmax(Q_h K_hᵀ/√(d/heads) + M),  M_ts = −∞ for s > t (no looking ahead);
///     y = concat_h(A V_h) W_oᵀ.
/// Weights are [d, d] without biases. Position t of the output depends on x₀…x_t only.
///
/// A batch of sequences [B, T, d] is attended sequence by sequence in one pass (batched
/// products), with the same result as attending to each on its own.
public func causalSelfAttention(_ x: Tensor, query wq: Tensor, key wk: Tensor, value wv: Tensor,
                                output wo: Tensor, heads: Int) -> Tensor {
    precondition(x.rank == 2 || x.rank == 3, "causalSelfAttention: expects one sequence [T, d] or a batch [B, T, d], got \(x.shape)")
    let (t, d) = (x.shape[x.rank - 2], x.shape[x.rank - 1])
    precondition(heads > 0 && d % heads == 0, "causalSelfAttention: d = \(d) is not divisible by \(heads) heads")
    for w in [wq, wk, wv, wo] { precondition(w.shape == [d, d], "causalSelfAttention: weights must be [\(d), \(d)], got \(w.shape)") }
    let q = dense(x, weight: wq), k = dense(x, weight: wk), v = dense(x, weight: wv)
    let dh = d / heads
    // −∞ above the diagonal, written as a large finite number so no inf enters the arithmetic.
    var mask = [Double](repeating: 0, count: t * t)
    for i in 0..<t { for j in (i + 1)..<max(t, i + 1) { mask[i * t + j] = -1e30 } }
    let m = Tensor(shape: [t, t], scalars: mask)
    let scale = 1 / Double(dh).squareRoot()
    let axis = x.rank - 1  // the feature axis, cut into heads
    let outs = (0..<heads).map { h -> Tensor in
        let cols = (h * dh)..<((h + 1) * dh)
        let qh = q.slice(axis: axis, cols), kh = k.slice(axis: axis, cols), vh = v.slice(axis: axis, cols)
        let scores = matmul(qh, transposed: kh) * scale + m  // [T, T], or [B, T, T] with m broadcast
        return matmul(softmax(scores, axis: -1), vh)
    }
    let joined = heads == 1 ? outs[0] : Tensor(concatenating: outs, axis: axis)
    return dense(joined, weight: wo)
}
