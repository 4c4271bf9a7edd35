import Autodiff

// Normalization and dropout for image networks, as plain differentiable functions (like
// `dense` and `layerNorm`). Batch normalization and dropout behave differently in training and
// evaluation; the mode is an argument, and batch normalization's running statistics are a
// value passed in and handed back.

/// Whether a layer is being trained (batch statistics, dropout on) or evaluated (running
/// statistics, dropout off): PyTorch's `model.train()` / `model.eval()`.
public enum LayerMode: String, Sendable, Codable {
    case training, evaluation
}

/// A batch-normalization layer's running estimates of each channel's mean and variance.
public struct BatchNormStatistics: Sendable, Equatable, Codable {
    /// Per channel, shape `[c]`.
    public var mean: Tensor
    public var variance: Tensor

    /// Mean 0 and variance 1, PyTorch's starting values.
    public init(channels: Int) {
        mean = Tensor.zeros([channels])
        variance = Tensor.ones([channels])
    }

    public init(mean: Tensor, variance: Tensor) {
        precondition(mean.rank == 1 && mean.shape == variance.shape, "BatchNormStatistics: mean and variance must be vectors of one length")
        self.mean = mean
        self.variance = variance
    }
}

/// Batch normalization (Ioffe & Szegedy 2015; PyTorch's `BatchNorm1d`/`BatchNorm2d`) of `x`
/// `[n, c]` or `[n, c, h, w]`, per channel over the batch (and the image):
///     y = (x − μ) / √(σ² + ε) ⊙ γ + β.
/// Training: μ and σ² (biased) are the batch's, so y depends on every example of the batch and
/// derivatives flow through the statistics; the running estimates move by `momentum` toward
/// them (the variance toward the unbiased m/(m − 1)·σ², m examples per channel), and are
/// returned. Evaluation: μ and σ² are the running estimates, y is an affine map of x, and the
/// estimates come back unchanged. γ (`gain`) and β (`bias`) have shape `[c]`.
public func batchNorm(_ x: Tensor, gain: Tensor, bias: Tensor, statistics: BatchNormStatistics, mode: LayerMode,
                      momentum: Double = 0.1, epsilon: Double = 1e-5) -> (output: Tensor, statistics: BatchNormStatistics) {
    precondition(x.rank == 2 || x.rank == 4, "batchNorm: expects [n, c] or [n, c, h, w], got \(x.shape)")
    let c = x.shape[1]
    precondition(gain.shape == [c] && bias.shape == [c], "batchNorm: gain and bias must have shape [\(c)]")
    precondition(statistics.mean.shape == [c], "batchNorm: running statistics for \(statistics.mean.count) channels, input has \(c)")
    let channelShape = x.rank == 4 ? [c, 1, 1] : [c]
    let g = gain.reshaped(to: channelShape), b = bias.reshaped(to: channelShape)
    switch mode {
    case .evaluation:
        // An affine map per channel: the factors on [c] first, then two passes over x.
        let factor = (gain / sqrt(statistics.variance + epsilon))
        let shift = bias - statistics.mean * factor
        return (x * factor.reshaped(to: channelShape) + shift.reshaped(to: channelShape), statistics)
    case .training:
        let m = x.count / c
        precondition(m > 1, "batchNorm: training needs more than one value per channel, got \(x.shape)")
        let scale = 1 / Double(m)
        let mu = perChannelSum(x) * scale
        let centered = x - mu
        let variance = perChannelSum(centered.squared()) * scale
        let y = centered * (g / sqrt(variance + epsilon)) + b  // per-channel factor first: one pass over x fewer
        let batchMean = mu.detached.reshaped(to: [c]), batchVariance = variance.detached.reshaped(to: [c])
        let unbiased = Double(m) / Double(m - 1)
        let updated = BatchNormStatistics(
            mean: statistics.mean * (1 - momentum) + batchMean * momentum,
            variance: statistics.variance * (1 - momentum) + batchVariance * (momentum * unbiased))
        return (y, updated)
    }
}

/// Σ over every axis but the channel axis (1), kept with extent 1.
func perChannelSum(_ x: Tensor) -> Tensor {
    var s = x.sum(axis: 0, keepingDims: true)
    if x.rank == 4 { s = s.sum(axis: 2, keepingDims: true).sum(axis: 3, keepingDims: true) }
    return s
}

/// Layer normalization of each example as a whole (Ba, Kiros & Hinton 2016): the mean and
/// biased variance over all of an example's elements (for an image, every channel and pixel),
///     y = (x − μ) / √(σ² + ε) ⊙ γ + β,
/// with γ and β of any shape that broadcasts to one example: `[c, 1, 1]` (one per channel,
/// which fits any image size) or `[c, h, w]` (PyTorch's `LayerNorm([c, h, w])`). The same in
/// training and evaluation.
public func layerNorm(perExample x: Tensor, gain: Tensor, bias: Tensor, epsilon: Double = 1e-5) -> Tensor {
    precondition(x.rank >= 2, "layerNorm(perExample:): expects a batch [n, …], got \(x.shape)")
    let example = Array(x.shape.dropFirst())
    precondition(broadcastShapes(gain.shape, example) && broadcastShapes(bias.shape, example),
                 "layerNorm(perExample:): gain \(gain.shape) and bias \(bias.shape) must broadcast to \(example)")
    let rows = x.reshaped(to: [x.shape[0], x.count / x.shape[0]])
    let centered = rows - rows.mean(axis: -1, keepingDims: true)
    let variance = centered.squared().mean(axis: -1, keepingDims: true)
    return (centered / sqrt(variance + epsilon)).reshaped(to: x.shape) * gain + bias
}

/// Whether `small` broadcasts to `full` without changing it.
func broadcastShapes(_ small: [Int], _ full: [Int]) -> Bool {
    guard small.count <= full.count else { return false }
    return zip(small.reversed(), full.reversed()).allSatisfy { $0 == $1 || $0 == 1 }
}

/// Dropout (Srivastava et al. 2014; PyTorch's `Dropout`): in training each element is zeroed
/// with probability `rate` and the rest scaled by 1/(1 − rate), so the expectation is x; the
/// mask is drawn from `rng` (seeded, so a run repeats). In evaluation, the identity.
public func dropout(_ x: Tensor, rate: Double, mode: LayerMode, using rng: inout RNG) -> Tensor {
    precondition((0..<1).contains(rate), "dropout: rate must lie in [0, 1), got \(rate)")
    guard mode == .training && rate > 0 else { return x }
    let keep = 1 / (1 - rate)
    var mask = [Double](repeating: 0, count: x.count)
    for i in 0..<mask.count { mask[i] = rng.uniform() < rate ? 0 : keep }
    return x * Tensor(shape: x.shape, scalars: mask)
}
