import Autodiff

/// A Monte Carlo estimate with its uncertainty: the mean of the samples and the standard
/// error s/√N of that mean (s the sample standard deviation).
public struct TraceEstimate: Sendable, Equatable {
    /// The estimate of tr H.
    public let value: Double
    /// s/√N; the estimate is within about 2 of these of the truth 95 % of the time.
    public let standardError: Double
    /// zᵀHz for each probe z, in order.
    public let samples: [Double]

    public init(samples: [Double]) {
        precondition(!samples.isEmpty, "TraceEstimate: needs at least one sample")
        self.samples = samples
        let n = Double(samples.count)
        let mean = samples.reduce(0, +) / n
        value = mean
        if samples.count > 1 {
            let variance = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
            standardError = (variance / n).squareRoot()
        } else {
            standardError = .infinity
        }
    }
}

extension Hessian {
    /// tr H by Hutchinson's estimator (Hutchinson 1990), as PyHessian computes it: for
    /// Rademacher probes z (entries ±1, seeded), E[zᵀHz] = Σᵢⱼ Hᵢⱼ E[zᵢzⱼ] = tr H, so the mean
    /// of zᵀHz over `probes` draws is unbiased. Each sample costs one product; the variance
    /// of one sample is 2 Σ_{i≠j} Hᵢⱼ², the smallest of any probe distribution, and zero
    /// for a diagonal H. PyHessian stops when the running mean changes by less than 1e-3
    /// relative (at most 100 probes); here the count is fixed, and the standard error says
    /// how good the estimate is.
    public func trace(probes: Int = 100, seed: UInt64 = 0) -> TraceEstimate {
        precondition(probes >= 1, "trace: probes must be positive, got \(probes)")
        var rng = RNG(seed: seed)
        let samples = (0..<probes).map { _ -> Double in
            let z = Tensor.randomRademacher([dimension], using: &rng).scalars
            return Vectors.dot(z, self(z))
        }
        return TraceEstimate(samples: samples)
    }
}
