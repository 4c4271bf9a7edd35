// Ways to make tensors: constants, ranges, and seeded random samples.

extension Tensor {
    /// All zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(repeating: 0, shape: shape) }
    /// All ones.
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(repeating: 1, shape: shape) }
    /// Zeros of another tensor's shape.
    public static func zeros(like t: Tensor) -> Tensor { zeros(t.shape) }
    /// Ones of another tensor's shape.
    public static func ones(like t: Tensor) -> Tensor { ones(t.shape) }

    /// The n×n identity matrix.
    public static func identity(_ n: Int) -> Tensor {
        var t = zeros([n, n])
        for i in 0..<n { t.scalars[i * n + i] = 1 }
        return t
    }

    /// A diagonal matrix with `diagonal` on its diagonal (not tracked).
    public static func diagonal(_ diagonal: Tensor) -> Tensor {
        let n = diagonal.count
        var t = zeros([n, n])
        for i in 0..<n { t.scalars[i * n + i] = diagonal.scalars[i] }
        return t
    }

    /// The diagonal of a square matrix, as a vector (not tracked).
    public var diagonalPart: Tensor {
        precondition(rank == 2 && shape[0] == shape[1], "diagonalPart: expected a square matrix, got \(shape)")
        let n = shape[0]
        return Tensor((0..<n).map { scalars[$0 * n + $0] })
    }

    /// start, start + step, … up to but excluding `end` (NumPy `arange`).
    public static func range(from start: Double = 0, to end: Double, step: Double = 1) -> Tensor {
        precondition(step != 0, "Tensor.range: step must be nonzero")
        let n = Swift.max(0, Int(((end - start) / step).rounded(.up)))
        return Tensor((0..<n).map { start + Double($0) * step })
    }

    /// 0, 1, …, n − 1.
    public static func range(_ n: Int) -> Tensor { Tensor((0..<n).map(Double.init)) }

    /// `count` evenly spaced points from `start` to `end` inclusive (NumPy `linspace`).
    public static func linspace(from start: Double, to end: Double, count: Int) -> Tensor {
        precondition(count >= 0, "Tensor.linspace: count must not be negative")
        if count == 1 { return Tensor([start]) }
        let h = (end - start) / Double(count - 1)
        return Tensor((0..<count).map { $0 == count - 1 ? end : start + Double($0) * h })
    }

    /// Independent normal samples N(mean, standardDeviation²), drawn in row-major order.
    public static func randomNormal(_ shape: [Int], mean: Double = 0, standardDeviation: Double = 1,
                                    using rng: inout RNG) -> Tensor {
        let n = shape.reduce(1, *)
        var s = [Double](repeating: 0, count: n)
        for i in 0..<n { s[i] = mean + standardDeviation * rng.normal() }
        return Tensor(shape: shape, scalars: s)
    }

    /// Independent uniform samples in `range`, drawn in row-major order.
    public static func randomUniform(_ shape: [Int], in range: ClosedRange<Double> = 0...1,
                                     using rng: inout RNG) -> Tensor {
        let n = shape.reduce(1, *)
        var s = [Double](repeating: 0, count: n)
        for i in 0..<n { s[i] = rng.uniform(in: range) }
        return Tensor(shape: shape, scalars: s)
    }

    /// Independent ±1 signs with probability ½ each (Rademacher), e.g. Hutchinson probes.
    public static func randomRademacher(_ shape: [Int], using rng: inout RNG) -> Tensor {
        let n = shape.reduce(1, *)
        var s = [Double](repeating: 0, count: n)
        var bits: UInt64 = 0
        for i in 0..<n {
            if i % 64 == 0 { bits = rng.next() }
            s[i] = (bits >> UInt64(i % 64)) & 1 == 1 ? 1 : -1
        }
        return Tensor(shape: shape, scalars: s)
    }
}
