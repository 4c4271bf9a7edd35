// Reshaping, transposing, slicing, joining and gathering. None of these do arithmetic; their
// derivative rules move the cotangent back to where each element came from.

extension Tensor {
    /// The same elements with a new shape of the same size; one extent may be −1 (inferred).
    public func reshaped(to newShape: [Int]) -> Tensor {
        var target = newShape
        if let i = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != i }.map(\.element).reduce(1, *)
            precondition(known > 0 && count % known == 0, "reshaped(to:): cannot reshape \(shape) to \(newShape)")
            target[i] = count / known
        }
        precondition(target.allSatisfy { $0 >= 0 } && target.reduce(1, *) == count,
                     "reshaped(to:): cannot reshape \(shape) (\(count) elements) to \(newShape)")
        if target == shape { return self }
        let v = Tensor(shape: target, storage: scalars, node: nil)
        return Tensor.record("reshape", v, self) { p in [p.cotangent.reshaped(to: p.inputs[0].shape)] }
    }

    /// A vector of all elements in row-major order.
    public func flattened() -> Tensor { reshaped(to: [count]) }

    /// Inserts an axis of extent 1 at `axis`.
    public func expandingShape(at axis: Int) -> Tensor {
        var s = shape
        s.insert(1, at: axis < 0 ? axis + rank + 1 : axis)
        return reshaped(to: s)
    }

    /// Removes the axis `axis`, which must have extent 1.
    public func squeezingShape(at axis: Int) -> Tensor {
        let a = axisIndex(axis)
        precondition(shape[a] == 1, "squeezingShape(at:): axis \(axis) of shape \(shape) has extent \(shape[a]), not 1")
        var s = shape
        s.remove(at: a)
        return reshaped(to: s)
    }

    /// Matrix transpose (rank 2), or the axes reversed for other ranks.
    public func transposed() -> Tensor {
        permuted(Array((0..<rank).reversed()))
    }

    /// Shorthand for `transposed()`: `A.T`.
    public var T: Tensor { transposed() }

    /// Axes reordered: result axis i is this tensor's axis `axes[i]` (NumPy `transpose(axes)`).
    public func permuted(_ axes: [Int]) -> Tensor {
        precondition(axes.sorted() == Array(0..<rank), "permuted: \(axes) is not a permutation of the axes of \(shape)")
        if axes == Array(0..<rank) { return self }
        let outShape = axes.map { shape[$0] }
        let st = strides
        let srcStrides = axes.map { st[$0] }
        let n = count
        let s: [Double]
        if rank == 2 {
            let m = shape[0], k = shape[1]
            s = makeStorage(n) { o in
                scalars.withUnsafeBufferPointer { x in
                    // blocked copy keeps both sides in cache
                    let b = 32
                    for i0 in stride(from: 0, to: m, by: b) {
                        for j0 in stride(from: 0, to: k, by: b) {
                            for i in i0..<Swift.min(i0 + b, m) {
                                for j in j0..<Swift.min(j0 + b, k) { o[j * m + i] = x[i * k + j] }
                            }
                        }
                    }
                }
            }
        } else {
            s = makeStorage(n) { o in
                scalars.withUnsafeBufferPointer { x in
                    var idx = [Int](repeating: 0, count: rank)
                    var src = 0
                    for i in 0..<n {
                        o[i] = x[src]
                        var d = rank - 1
                        while d >= 0 {
                            idx[d] += 1; src += srcStrides[d]
                            if idx[d] < outShape[d] { break }
                            src -= srcStrides[d] * outShape[d]; idx[d] = 0; d -= 1
                        }
                    }
                }
            }
        }
        let inverse = (0..<rank).map { a in axes.firstIndex(of: a)! }
        return Tensor.record("permute", Tensor(shape: outShape, storage: s, node: nil), self) { p in
            [p.cotangent.permuted(inverse)]
        }
    }

    /// Elements `range` along `axis` (other axes whole).
    public func slice(axis: Int, _ range: Range<Int>) -> Tensor {
        let a = axisIndex(axis)
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[a],
                     "slice: range \(range) is out of bounds for axis \(axis) of shape \(shape)")
        var out = shape
        out[a] = range.count
        return sliced(axis: a, range, outShape: out)
    }

    /// Rows `range` (the first axis): `x[1..<3]`.
    public subscript(range: Range<Int>) -> Tensor {
        slice(axis: 0, range)
    }

    /// Element or sub-tensor `i` along the first axis: for a vector, `x[i]` is a differentiable
    /// 0-d tensor; for a matrix, row `i`. Setting replaces those elements (and drops tracking).
    public subscript(i: Int) -> Tensor {
        get {
            precondition(rank > 0, "subscript: a 0-d tensor has no elements to index; use .scalar")
            precondition(i >= 0 && i < shape[0], "subscript: index \(i) is out of range for shape \(shape)")
            return sliced(axis: 0, i..<(i + 1), outShape: Array(shape.dropFirst()))
        }
        set {
            precondition(rank > 0 && i >= 0 && i < shape[0], "subscript: index \(i) is out of range for shape \(shape)")
            let block = count / shape[0]
            precondition(newValue.count == block || newValue.count == 1,
                         "subscript: cannot store a tensor of shape \(newValue.shape) into row \(i) of \(shape)")
            node = nil
            for j in 0..<block { scalars[i * block + j] = newValue.count == 1 ? newValue.scalars[0] : newValue.scalars[j] }
        }
    }

    /// Element (i, j) of a matrix (or row j of slab i), differentiable.
    public subscript(i: Int, j: Int) -> Tensor {
        get { self[i][j] }
        set {
            var row = self[i].detached
            row[j] = newValue
            self[i] = row
        }
    }

    /// Copies `range` of axis `a`, giving a tensor of shape `outShape` (the sliced shape, or it
    /// with the axis dropped when the range has one element).
    func sliced(axis a: Int, _ range: Range<Int>, outShape: [Int]) -> Tensor {
        let full = shape
        let v = Tensor(shape: outShape, storage: Tensor.copyBlocks(scalars, full: full, axis: a, range, extract: true), node: nil)
        return Tensor.record("slice", v, self) { p in
            [p.cotangent.padded(fullShape: full, axis: a, range)]
        }
    }

    /// The adjoint of slicing: this tensor placed at `range` of `axis` in zeros of `fullShape`.
    func padded(fullShape: [Int], axis a: Int, _ range: Range<Int>) -> Tensor {
        let inShape = shape
        let v = Tensor(shape: fullShape, storage: Tensor.copyBlocks(scalars, full: fullShape, axis: a, range, extract: false), node: nil)
        return Tensor.record("pad", v, self) { p in [p.cotangent.sliced(axis: a, range, outShape: inShape)] }
    }

    /// Moves the blocks of `range` along axis `axis` of a `full`-shaped array: out of it
    /// (`extract`) or into zeros of it.
    static func copyBlocks(_ src: [Double], full: [Int], axis a: Int, _ range: Range<Int>, extract: Bool) -> [Double] {
        let outer = full[..<a].reduce(1, *), len = full[a], inner = full[(a + 1)...].reduce(1, *)
        let w = range.count * inner
        let fullCount = outer * len * inner
        return src.withUnsafeBufferPointer { x in
            if extract {
                return makeStorage(outer * w) { o in
                    for r in 0..<outer {
                        (o + r * w).update(from: x.baseAddress! + (r * len + range.lowerBound) * inner, count: w)
                    }
                }
            }
            var out = [Double](repeating: 0, count: fullCount)
            out.withUnsafeMutableBufferPointer { o in
                for r in 0..<outer {
                    (o.baseAddress! + (r * len + range.lowerBound) * inner).update(from: x.baseAddress! + r * w, count: w)
                }
            }
            return out
        }
    }

    /// Tensors joined along an existing axis (NumPy `concatenate`).
    public init(concatenating parts: [Tensor], axis: Int = 0) {
        precondition(!parts.isEmpty, "Tensor(concatenating:): no tensors given")
        let first = parts[0]
        let a = first.axisIndex(axis)
        for t in parts {
            var s1 = t.shape, s0 = first.shape
            precondition(s1.count == s0.count, "Tensor(concatenating:): shapes \(s0) and \(t.shape) have different ranks")
            s1[a] = 0; s0[a] = 0
            precondition(s1 == s0, "Tensor(concatenating:): shapes \(first.shape) and \(t.shape) differ off axis \(axis)")
        }
        var out = first.shape
        out[a] = parts.reduce(0) { $0 + $1.shape[a] }
        let outer = out[..<a].reduce(1, *), inner = out[(a + 1)...].reduce(1, *)
        let total = out.reduce(1, *)
        var s = [Double](repeating: 0, count: total)
        var starts: [Int] = []
        s.withUnsafeMutableBufferPointer { o in
            var start = 0
            for t in parts {
                starts.append(start)
                let w = t.shape[a] * inner
                t.scalars.withUnsafeBufferPointer { x in
                    for r in 0..<outer {
                        (o.baseAddress! + (r * out[a] + start) * inner).update(from: x.baseAddress! + r * w, count: w)
                    }
                }
                start += t.shape[a]
            }
        }
        let v = Tensor(shape: out, storage: s, node: nil)
        let offsets = starts
        self = Tensor.record("concat", v, parts) { p in
            p.inputs.enumerated().map { i, t in
                p.needs(i) ? p.cotangent.sliced(axis: a, offsets[i]..<(offsets[i] + t.shape[a]), outShape: t.shape) : nil
            }
        }
    }

    /// Tensors of equal shape stacked along a new axis: `[n]`s become `[k, n]` (axis 0).
    public init(stacking parts: [Tensor], axis: Int = 0) {
        precondition(!parts.isEmpty, "Tensor(stacking:): no tensors given")
        precondition(parts.allSatisfy { $0.shape == parts[0].shape },
                     "Tensor(stacking:): shapes differ: \(parts.map(\.shape))")
        self.init(concatenating: parts.map { $0.expandingShape(at: axis) }, axis: axis)
    }

    /// The slices at `indices` along `axis`, in that order (repeats allowed): NumPy
    /// `take(indices, axis)`. For a batch of rows: `X.gathering(atIndices: batch)`.
    public func gathering(atIndices indices: [Int], alongAxis axis: Int = 0) -> Tensor {
        let a = axisIndex(axis)
        for i in indices {
            precondition(i >= 0 && i < shape[a], "gathering: index \(i) is out of range for axis \(axis) of shape \(shape)")
        }
        var out = shape
        out[a] = indices.count
        let v = Tensor(shape: out, storage: Tensor.gatherKernel(scalars, shape: shape, axis: a, indices), node: nil)
        let full = shape
        return Tensor.record("gather", v, self) { p in
            [p.cotangent.scatteringAdd(intoShape: full, axis: a, indices)]
        }
    }

    /// The adjoint of `gathering`: zeros of `fullShape` with slice k of this tensor added at
    /// `indices[k]` along `axis`.
    func scatteringAdd(intoShape full: [Int], axis a: Int, _ indices: [Int]) -> Tensor {
        let outer = full[..<a].reduce(1, *), len = full[a], inner = full[(a + 1)...].reduce(1, *)
        var s = [Double](repeating: 0, count: full.reduce(1, *))
        s.withUnsafeMutableBufferPointer { o in
            scalars.withUnsafeBufferPointer { x in
                for r in 0..<outer {
                    for (k, i) in indices.enumerated() {
                        let dst = (r * len + i) * inner, src = (r * indices.count + k) * inner
                        for j in 0..<inner { o[dst + j] += x[src + j] }
                    }
                }
            }
        }
        let v = Tensor(shape: full, storage: s, node: nil)
        return Tensor.record("scatter add", v, self) { p in
            [p.cotangent.gathering(atIndices: indices, alongAxis: a)]
        }
    }

    static func gatherKernel(_ src: [Double], shape: [Int], axis a: Int, _ indices: [Int]) -> [Double] {
        let outer = shape[..<a].reduce(1, *), len = shape[a], inner = shape[(a + 1)...].reduce(1, *)
        return src.withUnsafeBufferPointer { x in
            makeStorage(outer * indices.count * inner) { o in
                for r in 0..<outer {
                    for (k, i) in indices.enumerated() {
                        (o + (r * indices.count + k) * inner).update(from: x.baseAddress! + (r * len + i) * inner, count: inner)
                    }
                }
            }
        }
    }

    /// For a matrix `[m, n]`, element `indices[i]` of each row i: shape `[m]` (NumPy
    /// `x[arange(m), indices]`), e.g. the logit of each example's label.
    public func picking(perRow indices: [Int]) -> Tensor {
        precondition(rank == 2 && indices.count == shape[0],
                     "picking(perRow:): needs a matrix and one index per row; got shape \(shape) and \(indices.count) indices")
        let n = shape[1]
        for i in indices { precondition(i >= 0 && i < n, "picking(perRow:): index \(i) is out of range for shape \(shape)") }
        let v = Tensor(shape: [shape[0]], storage: indices.enumerated().map { r, i in scalars[r * n + i] }, node: nil)
        let full = shape
        return Tensor.record("pick", v, self) { p in
            [p.cotangent.placing(perRow: indices, intoShape: full)]
        }
    }

    /// The adjoint of `picking(perRow:)`: zeros of `[m, n]` with element i of this vector at
    /// (i, indices[i]).
    func placing(perRow indices: [Int], intoShape full: [Int]) -> Tensor {
        var s = [Double](repeating: 0, count: full[0] * full[1])
        for (r, i) in indices.enumerated() { s[r * full[1] + i] = scalars[r] }
        return Tensor.record("place", Tensor(shape: full, storage: s, node: nil), self) { p in
            [p.cotangent.picking(perRow: indices)]
        }
    }
}
