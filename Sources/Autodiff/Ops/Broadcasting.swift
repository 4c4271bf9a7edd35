/// NumPy broadcasting: shapes are aligned at their last axis; an axis of extent 1 (or a
/// missing leading axis) is repeated to match the other. `[m, n] ⊕ [n]` adds a row to every
/// row, `[m, n] ⊕ [m, 1]` a column to every column, `[m, n] ⊕ []` a number to every element.
func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int]? {
    if a == b { return a }
    let r = max(a.count, b.count)
    var out = [Int](repeating: 1, count: r)
    for i in 0..<r {
        let x = i < r - a.count ? 1 : a[i - (r - a.count)]
        let y = i < r - b.count ? 1 : b[i - (r - b.count)]
        if x == y || y == 1 { out[i] = x } else if x == 1 { out[i] = y } else { return nil }
    }
    return out
}

/// Strides of `shape` aligned to a broadcast result of rank `rank`, 0 along repeated axes.
func broadcastStrides(_ shape: [Int], to out: [Int]) -> [Int] {
    let r = out.count
    var s = [Int](repeating: 0, count: r)
    var acc = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) {
        let o = i + (r - shape.count)
        s[o] = shape[i] == 1 && out[o] != 1 ? 0 : acc
        acc *= shape[i]
    }
    return s
}

extension Tensor {
    /// Elementwise `f(a, b)` with broadcasting, on plain values. Equal shapes and a scalar
    /// operand take a flat loop; other cases loop over the last axis with a fixed stride pattern.
    @inline(__always)
    static func zipWith(_ a: Tensor, _ b: Tensor, _ op: StaticString, _ f: (Double, Double) -> Double) -> Tensor {
        if a.shape == b.shape {
            let n = a.count
            let s = makeStorage(n) { o in
                a.scalars.withUnsafeBufferPointer { pa in
                    b.scalars.withUnsafeBufferPointer { pb in
                        for i in 0..<n { o[i] = f(pa[i], pb[i]) }
                    }
                }
            }
            return Tensor(shape: a.shape, storage: s, node: nil)
        }
        guard let out = broadcastShape(a.shape, b.shape) else {
            preconditionFailure("\(op): shapes \(a.shape) and \(b.shape) cannot be broadcast together")
        }
        let n = out.reduce(1, *)
        if b.count == 1 && out == a.shape {
            let y = b.scalars[0]
            let s = makeStorage(n) { o in a.scalars.withUnsafeBufferPointer { pa in for i in 0..<n { o[i] = f(pa[i], y) } } }
            return Tensor(shape: out, storage: s, node: nil)
        }
        if a.count == 1 && out == b.shape {
            let x = a.scalars[0]
            let s = makeStorage(n) { o in b.scalars.withUnsafeBufferPointer { pb in for i in 0..<n { o[i] = f(x, pb[i]) } } }
            return Tensor(shape: out, storage: s, node: nil)
        }
        let r = out.count
        let sa = broadcastStrides(a.shape, to: out), sb = broadcastStrides(b.shape, to: out)
        let inner = out[r - 1], ia = sa[r - 1], ib = sb[r - 1]
        let outer = inner == 0 ? 0 : n / inner
        let s = makeStorage(n) { o in
            a.scalars.withUnsafeBufferPointer { pa in
                b.scalars.withUnsafeBufferPointer { pb in
                    var idx = [Int](repeating: 0, count: r)
                    var oa = 0, ob = 0, oo = 0
                    // Row pointers, so the inner loops index from 0 (no overflow-checked
                    // offsets in the loop) and vectorize.
                    let xa = pa.baseAddress!, xb = pb.baseAddress!
                    for _ in 0..<outer {
                        let ro = o + oo, ra = xa + oa, rb = xb + ob
                        if ia != 0 && ib != 0 {
                            for j in 0..<inner { ro[j] = f(ra[j], rb[j]) }
                        } else if ia != 0 {
                            let y = rb[0]
                            for j in 0..<inner { ro[j] = f(ra[j], y) }
                        } else if ib != 0 {
                            let x = ra[0]
                            for j in 0..<inner { ro[j] = f(x, rb[j]) }
                        } else {
                            let v = f(ra[0], rb[0])
                            for j in 0..<inner { ro[j] = v }
                        }
                        oo += inner
                        var d = r - 2
                        while d >= 0 {
                            idx[d] += 1; oa += sa[d]; ob += sb[d]
                            if idx[d] < out[d] { break }
                            oa -= sa[d] * out[d]; ob -= sb[d] * out[d]; idx[d] = 0
                            d -= 1
                        }
                    }
                }
            }
        }
        return Tensor(shape: out, storage: s, node: nil)
    }

    /// Elementwise `f(x)` on plain values.
    @inline(__always)
    func map(_ f: (Double) -> Double) -> Tensor {
        let n = count
        let s = makeStorage(n) { o in scalars.withUnsafeBufferPointer { p in for i in 0..<n { o[i] = f(p[i]) } } }
        return Tensor(shape: shape, storage: s, node: nil)
    }

    /// Sums over the axes along which `shape` was broadcast to reach this tensor's shape: the
    /// adjoint of broadcasting, used by every binary op's derivative rule.
    public func sum(toShape target: [Int]) -> Tensor {
        if target == shape { return self }
        precondition(broadcastShape(target, shape) == shape,
                     "sum(toShape:): shape \(target) does not broadcast to \(shape)")
        let lead = rank - target.count
        var v = detached
        // leading axes that do not exist in the target
        if lead > 0 {
            let outer = shape[0..<lead].reduce(1, *)
            v = v.sumRows(outer: outer)
            v.shape = Array(shape[lead...])
        }
        for (i, d) in target.enumerated() where d == 1 && v.shape[i] != 1 {
            v = v.sumAxis(i)
        }
        v.shape = target
        return Tensor.record("sum(toShape:)", v, self) { p in [p.cotangent.broadcast(to: p.inputs[0].shape)] }
    }

    /// Repeats this tensor along broadcast axes to reach `target` (NumPy `broadcast_to`).
    public func broadcast(to target: [Int]) -> Tensor {
        if target == shape { return self }
        precondition(broadcastShape(shape, target) == target,
                     "broadcast(to:): shape \(shape) cannot be broadcast to \(target)")
        let total = target.reduce(1, *)
        let inner = Array(shape.drop { $0 == 1 })
        let v: Tensor
        if target.count >= inner.count && Array(target.suffix(inner.count)) == inner && count > 0 {
            // the whole tensor repeated (a bias row over a batch): block copies
            let block = count
            v = Tensor(shape: target, storage: makeStorage(total) { o in
                scalars.withUnsafeBufferPointer { x in
                    for r in 0..<(total / block) { (o + r * block).update(from: x.baseAddress!, count: block) }
                }
            }, node: nil)
        } else {
            let zeros = Tensor(shape: target, storage: [Double](repeating: 0, count: total), node: nil)
            v = Tensor.zipWith(zeros, detached, "broadcast(to:)") { _, b in b }
        }
        return Tensor.record("broadcast(to:)", v, self) { p in [p.cotangent.sum(toShape: p.inputs[0].shape)] }
    }

    /// Plain sum of `outer` consecutive blocks: [outer, rest] → [rest].
    func sumRows(outer: Int) -> Tensor {
        let inner = outer == 0 ? 0 : count / outer
        var s = [Double](repeating: 0, count: inner)
        s.withUnsafeMutableBufferPointer { o in
            scalars.withUnsafeBufferPointer { p in
                guard inner > 0, outer > 0, let out = o.baseAddress else { return }
                for r in 0..<outer {
                    let row = p.baseAddress! + r * inner
                    for j in 0..<inner { out[j] += row[j] }
                }
            }
        }
        return Tensor(shape: [inner], storage: s, node: nil)
    }

    /// Plain sum along one axis, keeping it with extent 1.
    func sumAxis(_ axis: Int) -> Tensor {
        let outer = shape[..<axis].reduce(1, *), len = shape[axis], inner = shape[(axis + 1)...].reduce(1, *)
        var s = [Double](repeating: 0, count: outer * inner)
        s.withUnsafeMutableBufferPointer { o in
            scalars.withUnsafeBufferPointer { p in
                if outer * inner == 0 || len == 0 {
                    return  // nothing to sum: zeros (or no elements)
                } else if inner == 1 {
                    for r in 0..<outer {
                        var acc = 0.0
                        let base = r * len
                        for k in 0..<len { acc += p[base + k] }
                        o[r] = acc
                    }
                } else {
                    for r in 0..<outer {
                        let out = o.baseAddress! + r * inner
                        for k in 0..<len {
                            let row = p.baseAddress! + (r * len + k) * inner
                            for j in 0..<inner { out[j] += row[j] }
                        }
                    }
                }
            }
        }
        var newShape = shape
        newShape[axis] = 1
        return Tensor(shape: newShape, storage: s, node: nil)
    }
}
