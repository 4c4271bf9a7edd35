import Autodiff

/// Mean squared error over all elements, (1/N) Σ (ŷ − y)² (PyTorch's `MSELoss`, mean
/// reduction). Its Hessian with respect to ŷ is 2/N · I, which is why MSE is the loss of
/// the edge-of-stability experiments.
public func meanSquaredError(_ prediction: Tensor, _ target: Tensor) -> Tensor {
    precondition(prediction.shape == target.shape,
                 "meanSquaredError: prediction of shape \(prediction.shape) and target of shape \(target.shape) differ")
    return (prediction - target).squared().mean()
}

/// Mean binary cross-entropy of logits z against labels y ∈ {0, 1}, in the stable form
///     ℓ(z, y) = softplus(z) − y·z = max(z, 0) − y·z + log(1 + e^{−|z|})
/// (PyTorch's `BCEWithLogitsLoss`): no exp overflows and no log(0), whatever z.
/// `logits` has one entry per example (shape `[n]` or `[n, 1]`).
public func binaryCrossEntropy(logits: Tensor, labels: [Int]) -> Tensor {
    precondition(logits.count == labels.count,
                 "binaryCrossEntropy: \(logits.count) logits for \(labels.count) labels")
    precondition(labels.allSatisfy { $0 == 0 || $0 == 1 }, "binaryCrossEntropy: labels must be 0 or 1")
    let z = logits.reshaped(to: [labels.count])
    let y = Tensor(labels.map(Double.init))
    return (softplus(z) - y * z).mean()
}

/// Mean softmax cross-entropy of logits `[n, c]` with label smoothing ε (Szegedy et al. 2016;
/// PyTorch's `cross_entropy(label_smoothing: ε)`): the target puts 1 − ε + ε/c on the true
/// class and ε/c on each other one,
///     ℓ = −Σⱼ qⱼ log softmax(z)ⱼ,   q = (1 − ε)·onehot(y) + ε/c.
/// Computed through log-softmax (max-shifted), so it is stable. With ε = 0 this is Autodiff's
/// `softmaxCrossEntropy(logits:labels:)`, the course's default.
public func softmaxCrossEntropy(logits: Tensor, labels: [Int], labelSmoothing epsilon: Double) -> Tensor {
    precondition(logits.rank == 2 && logits.shape[0] == labels.count,
                 "softmaxCrossEntropy: logits of shape \(logits.shape) need one label per row; got \(labels.count)")
    precondition((0...1).contains(epsilon), "softmaxCrossEntropy: label smoothing must lie in [0, 1], got \(epsilon)")
    if epsilon == 0 { return softmaxCrossEntropy(logits: logits, labels: labels) }
    let (n, c) = (logits.shape[0], logits.shape[1])
    var q = [Double](repeating: epsilon / Double(c), count: n * c)
    for (i, y) in labels.enumerated() {
        precondition(y >= 0 && y < c, "softmaxCrossEntropy: label \(y) is out of range for \(c) classes")
        q[i * c + y] += 1 - epsilon
    }
    let target = Tensor(shape: [n, c], scalars: q)
    return -(target * logSoftmax(logits, axis: 1)).sum() / Double(n)
}

/// The fraction of rows whose largest logit is at the label (for a single logit column,
/// whether z > 0 matches y = 1).
public func accuracy(logits: Tensor, labels: [Int]) -> Double {
    guard !labels.isEmpty else { return 0 }
    let predictions: [Int]
    if logits.rank == 1 || (logits.rank == 2 && logits.shape[1] == 1) {
        predictions = logits.scalars.map { $0 > 0 ? 1 : 0 }
    } else {
        predictions = logits.argmax(axis: 1)
    }
    precondition(predictions.count == labels.count, "accuracy: \(predictions.count) predictions for \(labels.count) labels")
    return Double(zip(predictions, labels).filter { $0 == $1 }.count) / Double(labels.count)
}
