// Reductions: sums, means, maxima and log-sum-exp over all elements or along one axis.
// Axes may be negative (−1 is the last).

extension Tensor {
    /// Σ of all elements, a 0-d tensor;  ∂/∂x = ct broadcast to x's shape.
    public func sum() -> Tensor {
        let v = scalars.withUnsafeBufferPointer { p in
            var acc = 0.0
            for i in 0..<p.count { acc += p[i] }
            return acc
        }
        return Tensor.record("sum", Tensor(v), self) { p in [p.cotangent.broadcast(to: p.inputs[0].shape)] }
    }

    /// Σ along `axis`: `[m, n].sum(axis: 0)` has shape `[n]` (or `[1, n]` keeping dims).
    public func sum(axis: Int, keepingDims: Bool = false) -> Tensor {
        let a = axisIndex(axis)
        var v = detached.sumAxis(a)
        if !keepingDims { v.shape.remove(at: a) }
        return Tensor.record("sum(axis:)", v, self) { p in
            var kept = p.inputs[0].shape
            kept[a] = 1
            return [p.cotangent.reshaped(to: kept).broadcast(to: p.inputs[0].shape)]
        }
    }

    /// Arithmetic mean of all elements, a 0-d tensor.
    public func mean() -> Tensor {
        let scale: Double = 1 / Double(Swift.max(count, 1))
        return sum() * scale
    }

    /// Mean along `axis`.
    public func mean(axis: Int, keepingDims: Bool = false) -> Tensor {
        let scale: Double = 1 / Double(shape[axisIndex(axis)])
        return sum(axis: axis, keepingDims: keepingDims) * scale
    }

    /// Euclidean (Frobenius) norm √(Σ xᵢ²);  ∂/∂x = x/‖x‖.
    public func norm() -> Tensor { sqrt(squared().sum()) }

    /// Euclidean norms along `axis` (e.g. the norm of each row with axis 1).
    public func norm(axis: Int, keepingDims: Bool = false) -> Tensor {
        sqrt(squared().sum(axis: axis, keepingDims: keepingDims))
    }

    /// Largest element, a 0-d tensor. The cotangent goes to the first maximal element.
    public func max() -> Tensor { flattened().max(axis: 0) }

    /// Smallest element, a 0-d tensor.
    public func min() -> Tensor { -(-self).max() }

    /// Maxima along `axis`; the cotangent goes to the first maximal element of each slice.
    public func max(axis: Int, keepingDims: Bool = false) -> Tensor {
        let a = axisIndex(axis)
        let (values, indices) = maxAlong(a)
        var v = values
        if !keepingDims { v.shape.remove(at: a) }
        return Tensor.record("max(axis:)", v, self) { p in
            var kept = p.inputs[0].shape
            kept[a] = 1
            let mask = Tensor.oneHot(indices, axis: a, shape: p.inputs[0].shape)
            return [p.cotangent.reshaped(to: kept) * mask]
        }
    }

    /// Minima along `axis`.
    public func min(axis: Int, keepingDims: Bool = false) -> Tensor {
        -(-self).max(axis: axis, keepingDims: keepingDims)
    }

    /// Row-major position of the first largest element.
    public func argmax() -> Int {
        precondition(count > 0, "argmax(): empty tensor")
        return flattened().maxAlong(0).indices[0]
    }

    /// Position of the largest element along `axis` for every slice, in row-major order of the
    /// remaining axes (for `[m, n]` and axis 1: the column of each row's maximum).
    public func argmax(axis: Int) -> [Int] {
        maxAlong(axisIndex(axis)).indices
    }

    /// log Σ exp(x) along `axis`, computed stably as m + log Σ exp(x − m) with m the maximum;
    /// ∂/∂x = softmax(x) = exp(x − lse).
    public func logSumExp(axis: Int, keepingDims: Bool = false) -> Tensor {
        let a = axisIndex(axis)
        let outer = shape[..<a].reduce(1, *), len = shape[a], inner = shape[(a + 1)...].reduce(1, *)
        let kept = shape.enumerated().map { $0.offset == a ? 1 : $0.element }
        let s = makeStorage(outer * inner) { o in
            scalars.withUnsafeBufferPointer { x in
                // Rows along the axis are gathered (x − m) into a scratch row, exponentiated by
                // the vector kernel, then summed in order.
                var shifted = [Double](repeating: 0, count: len), e = shifted
                shifted.withUnsafeMutableBufferPointer { sh in
                    e.withUnsafeMutableBufferPointer { ex in
                        for r in 0..<outer {
                            for j in 0..<inner {
                                var m = -Double.infinity
                                for k in 0..<len { m = Swift.max(m, x[(r * len + k) * inner + j]) }
                                if m == -.infinity { o[r * inner + j] = m; continue }
                                for k in 0..<len { sh[k] = x[(r * len + k) * inner + j] - m }
                                expKernel(sh.baseAddress!, ex.baseAddress!, len)
                                var acc = 0.0
                                for k in 0..<len { acc += ex[k] }
                                o[r * inner + j] = m + log(acc)
                            }
                        }
                    }
                }
            }
        }
        let v = Tensor(shape: keepingDims ? kept : shape.enumerated().filter { $0.offset != a }.map(\.element),
                       storage: s, node: nil)
        return Tensor.record("logSumExp", v, self, keepOutput: true) { p in
            let lse = p.output.reshaped(to: kept)
            return [p.cotangent.reshaped(to: kept) * exp(p.inputs[0] - lse)]
        }
    }

    /// log Σ exp over all elements, a 0-d tensor.
    public func logSumExp() -> Tensor { flattened().logSumExp(axis: 0) }

    /// Plain maxima (kept axis of extent 1) and their first positions along axis `a`.
    func maxAlong(_ a: Int) -> (values: Tensor, indices: [Int]) {
        let outer = shape[..<a].reduce(1, *), len = shape[a], inner = shape[(a + 1)...].reduce(1, *)
        precondition(len > 0, "max: axis \(a) of shape \(shape) is empty")
        var idx = [Int](repeating: 0, count: outer * inner)
        var kept = shape
        kept[a] = 1
        let s = makeStorage(outer * inner) { o in
            scalars.withUnsafeBufferPointer { x in
                for r in 0..<outer {
                    for j in 0..<inner {
                        var m = x[r * len * inner + j], best = 0
                        for k in 1..<Swift.max(len, 1) where x[(r * len + k) * inner + j] > m {
                            m = x[(r * len + k) * inner + j]; best = k
                        }
                        o[r * inner + j] = m
                        idx[r * inner + j] = best
                    }
                }
            }
        }
        return (Tensor(shape: kept, storage: s, node: nil), idx)
    }

    /// A constant of `shape` with 1 at the given position along `axis` of each slice, else 0.
    static func oneHot(_ indices: [Int], axis a: Int, shape: [Int]) -> Tensor {
        let outer = shape[..<a].reduce(1, *), len = shape[a], inner = shape[(a + 1)...].reduce(1, *)
        var s = [Double](repeating: 0, count: shape.reduce(1, *))
        for r in 0..<outer {
            for j in 0..<inner { s[(r * len + indices[r * inner + j]) * inner + j] = 1 }
        }
        return Tensor(shape: shape, storage: s, node: nil)
    }
}

/// Σᵢ aᵢbᵢ over all elements of two tensors of the same shape, a 0-d tensor.
public func dot(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(a.shape == b.shape, "dot: shapes \(a.shape) and \(b.shape) differ")
    return (a * b).sum()
}

/// softmax(x)ᵢ = exp(xᵢ − logΣⱼexp(xⱼ)) along `axis` (default: the last).
public func softmax(_ x: Tensor, axis: Int = -1) -> Tensor {
    exp(logSoftmax(x, axis: axis))
}

/// log softmax(x) = x − logΣexp(x) along `axis` (default: the last), stable for large logits.
public func logSoftmax(_ x: Tensor, axis: Int = -1) -> Tensor {
    x - x.logSumExp(axis: axis, keepingDims: true)
}
