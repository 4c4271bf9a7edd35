/// Mean softmax cross-entropy of logits `[m, c]` against integer class labels:
///     L = (1/m) Σᵢ [ logΣⱼ exp zᵢⱼ − zᵢ,yᵢ ],
/// fused into one pass (PyTorch's `cross_entropy`). Its gradient is (softmax(z) − onehot(y))/m,
/// written with differentiable operations so second derivatives work.
public func softmaxCrossEntropy(logits z: Tensor, labels: [Int]) -> Tensor {
    precondition(z.rank == 2 && z.shape[0] == labels.count,
                 "softmaxCrossEntropy: logits of shape \(z.shape) need one label per row; got \(labels.count) labels")
    let m = z.shape[0], c = z.shape[1]
    for y in labels { precondition(y >= 0 && y < c, "softmaxCrossEntropy: label \(y) is out of range for \(c) classes") }
    let loss = z.scalars.withUnsafeBufferPointer { x in
        var total = 0.0
        for i in 0..<m {
            let row = x.baseAddress! + i * c
            var mx = -Double.infinity
            for j in 0..<c { mx = Swift.max(mx, row[j]) }
            var s = 0.0
            for j in 0..<c { s += exp(row[j] - mx) }
            total += mx + log(s) - row[labels[i]]
        }
        return total / Double(Swift.max(m, 1))
    }
    return Tensor.record("softmaxCrossEntropy", Tensor(loss), z) { p in
        var onehot = [Double](repeating: 0, count: m * c)
        for (i, y) in labels.enumerated() { onehot[i * c + y] = 1 }
        let target = Tensor(shape: [m, c], storage: onehot, node: nil)
        let scale: Double = 1 / Double(Swift.max(m, 1))
        return [(softmax(p.inputs[0], axis: 1) - target) * (p.cotangent * scale)]
    }
}
