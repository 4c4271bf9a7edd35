/// Reverse-mode accumulation over the recorded graph.
///
/// Given y = f(x₁, …, xₖ) and a seed ȳ (∂loss/∂y), walks the nodes between y and the targets
/// in reverse topological order, calling each node's rule to turn the cotangent of its output
/// into cotangents of its inputs, and summing cotangents where values fan out:
///     x̄ = Σ over uses u of x of  (∂u/∂x)ᵀ ū.
///
/// With `createGraph` the rules run on tracked values, so the cotangents returned are
/// themselves differentiable functions of the targets (PyTorch's `create_graph=True`); this is
/// how exact Hessian-vector products are computed. Without it, rules see plain values and
/// nothing is recorded: the first-order fast path.
enum Backward {
    static func run(from y: Tensor, seed: Tensor, to targets: [Tensor], createGraph: Bool) -> [Tensor?] {
        run(from: [y], seeds: [seed], to: targets, createGraph: createGraph)
    }

    /// Backward from several outputs at once, each with its seed (their contributions add).
    static func run(from ys: [Tensor], seeds: [Tensor], to targets: [Tensor], createGraph: Bool) -> [Tensor?] {
        for (y, seed) in zip(ys, seeds) {
            precondition(seed.shape == y.shape, "backward: seed of shape \(seed.shape) does not match output of shape \(y.shape)")
        }
        let roots = ys.compactMap(\.node)
        if roots.isEmpty { return targets.map { _ in nil } }
        var targetIndex = NodeIndex(expected: targets.count)
        for (i, t) in targets.enumerated() {
            if let n = t.node { targetIndex[n] = i }
        }
        if targetIndex.count == 0 { return targets.map { _ in nil } }

        // Post-order DFS from the root, not descending below targets; keeps only nodes from
        // which some target is reachable.
        var order: [Node] = []
        var state = NodeIndex(expected: 64)  // visited → 1 if it reaches a target, else 0
        var stack: [(Node, Int)] = []
        for root in roots where state[root] == nil {
          state[root] = targetIndex[root] != nil ? 1 : 0
          stack.append((root, 0))
          while let (node, next) = stack.last {
            let isTarget = targetIndex[node] != nil
            if !isTarget && next < node.inputs.count {
                stack[stack.count - 1].1 = next + 1
                if let child = node.inputs[next].node, state[child] == nil {
                    state[child] = targetIndex[child] != nil ? 1 : 0
                    stack.append((child, 0))
                }
                continue
            }
            stack.removeLast()
            var reaches = isTarget
            if !isTarget {
                for input in node.inputs {
                    if let c = input.node, state[c] == 1 { reaches = true; break }
                }
            }
            state[node] = reaches ? 1 : 0
            if reaches { order.append(node) }
          }
        }

        var position = NodeIndex(expected: order.count)
        for (i, n) in order.enumerated() { position[n] = i }
        var cotangents = [Tensor?](repeating: nil, count: order.count)
        for (y, seed) in zip(ys, seeds) {
            guard let n = y.node, let p = position[n] else { continue }
            let s = createGraph ? seed : seed.detached
            cotangents[p] = cotangents[p].map { createGraph ? $0 + s : $0.detached + s } ?? s
        }

        for i in stride(from: order.count - 1, through: 0, by: -1) {
            let node = order[i]
            guard targetIndex[node] == nil, let rule = node.rule,
                  let ct = cotangents[i] else { continue }
            if !createGraph { cotangents[i] = nil }  // free memory as we go
            let needs = node.inputs.map { input -> Bool in
                guard let c = input.node else { return false }
                return state[c] == 1
            }
            let output: Tensor
            if let out = node.output {
                output = Tensor(shape: node.outputShape, storage: out, node: createGraph ? node : nil)
            } else {
                output = Tensor(shape: node.outputShape, storage: [], node: nil)
            }
            let inputs = createGraph ? node.inputs : node.inputs.map(\.detached)
            let grads = rule(Pullback(cotangent: ct, inputs: inputs, output: output, needs: needs))
            for (k, g) in grads.enumerated() where needs[k] {
                guard let g else { continue }
                let input = node.inputs[k]
                precondition(g.shape == input.shape,
                              "derivative rule of \(node.name) returned shape \(g.shape) for an input of shape \(input.shape)")
                let p = position[input.node!]!
                if var acc = cotangents[p] {
                    if createGraph {
                        cotangents[p] = acc + g
                    } else {
                        cotangents[p] = nil  // leave `acc` the only owner, so the add is in place
                        acc.addInPlace(g)
                        cotangents[p] = acc
                    }
                } else {
                    cotangents[p] = g
                }
            }
        }
        return targets.map { t in
            guard let n = t.node, let p = position[n] else { return nil }
            return cotangents[p]
        }
    }
}

extension Tensor {
    /// self += other for untracked tensors of equal shape, in self's buffer when unique.
    mutating func addInPlace(_ other: Tensor) {
        node = nil
        scalars.withUnsafeMutableBufferPointer { a in
            other.scalars.withUnsafeBufferPointer { b in
                for i in 0..<a.count { a[i] += b[i] }
            }
        }
    }
}
