import Autodiff
import Models
import Optimizers

/// The statistics of minibatch gradients at one point, from the exact per-example gradients:
/// how noisy SGD's direction is, and the batch size beyond which larger batches stop helping.
public struct GradientNoise: Sendable, Equatable {
    /// ‖G‖², the squared norm of the full-batch gradient G = (1/n) Σᵢ gᵢ.
    public let gradientNormSquared: Double
    /// tr Σ = (1/n) Σᵢ ‖gᵢ − G‖², the total variance of one example's gradient.
    public let traceCovariance: Double
    /// n, the number of examples.
    public let count: Int

    /// The simple noise scale B_simple = tr Σ / ‖G‖² (McCandlish et al. 2018, "An Empirical
    /// Model of Large-Batch Training"): the batch size at which the minibatch noise
    /// E‖g_B − G‖² equals the signal ‖G‖²; up to about it, doubling the batch nearly halves
    /// the steps needed, beyond it returns diminish.
    public var noiseScale: Double { traceCovariance / gradientNormSquared }

    /// E‖g_B − G‖² for a batch of B examples drawn without replacement: (tr Σ / B)·(n − B)/(n − 1)
    /// (the finite-population correction makes it 0 at B = n).
    public func expectedDeviation(batchSize b: Int) -> Double {
        precondition(b >= 1 && b <= count, "expectedDeviation: batch size must lie in 1…\(count)")
        return count == 1 ? 0 : traceCovariance / Double(b) * Double(count - b) / Double(count - 1)
    }

    /// The per-example gradients of `net`'s loss on `data` at `parameters` (n backward passes),
    /// reduced to ‖G‖² and tr Σ.
    public init(of net: MLP, on data: Dataset, at parameters: [Tensor]) {
        let n = data.count
        precondition(n >= 1, "GradientNoise: the dataset is empty")
        var grads: [[Double]] = []
        for i in 0..<n {
            let example = data.subset([i])
            grads.append(Vectors.flatten(Autodiff.gradient(at: parameters, in: net.loss(on: example))))
        }
        self.init(perExampleGradients: grads)
    }

    /// From per-example gradients gᵢ (flat, one row each).
    public init(perExampleGradients grads: [[Double]]) {
        precondition(!grads.isEmpty, "GradientNoise: no gradients")
        let n = grads.count
        var mean = [Double](repeating: 0, count: grads[0].count)
        for g in grads { Vectors.addScaled(&mean, 1 / Double(n), g) }
        var variance = 0.0
        for g in grads {
            var d = g
            Vectors.addScaled(&d, -1, mean)
            variance += Vectors.dot(d, d)
        }
        gradientNormSquared = Vectors.dot(mean, mean)
        traceCovariance = variance / Double(n)
        count = n
    }
}

/// A stretch of training where the gradient norm stayed small: a plateau (or a saddle's
/// neighbourhood) in which the loss barely moves.
public struct Plateau: Sendable, Equatable {
    /// First step of the stretch.
    public let start: Int
    /// One past its last step.
    public let end: Int
    public var length: Int { end - start }
}

/// The plateaus of a gradient-norm history: maximal runs of at least `minimumLength` steps
/// with ‖∇L‖ ≤ `relativeThreshold` × the history's largest norm (scale-free, so one setting
/// serves losses of any size). Non-finite entries break runs.
public func plateaus(inGradientNorms norms: [Double], relativeThreshold: Double = 0.05, minimumLength: Int = 10) -> [Plateau] {
    precondition(minimumLength >= 1, "plateaus: minimumLength must be positive")
    let top = norms.filter(\.isFinite).max() ?? 0
    let threshold = relativeThreshold * top
    var found: [Plateau] = []
    var runStart: Int? = nil
    for (t, g) in norms.enumerated() {
        let low = g.isFinite && g <= threshold
        if low, runStart == nil { runStart = t }
        if !low, let s = runStart {
            if t - s >= minimumLength { found.append(Plateau(start: s, end: t)) }
            runStart = nil
        }
    }
    if let s = runStart, norms.count - s >= minimumLength { found.append(Plateau(start: s, end: norms.count)) }
    return found
}
