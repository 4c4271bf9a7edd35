/// A seeded, splittable random number generator whose streams are the same on every machine
/// and every run: xoshiro256** (Blackman & Vigna 2018, https://prng.di.unimi.it) with its
/// 256-bit state filled from the seed by SplitMix64, as its authors recommend.
///
/// Uniform doubles use the top 53 bits: u = (next() >> 11) · 2⁻⁵³ ∈ [0, 1). Normal samples use
/// the Box–Muller transform on two uniforms, z₀ = √(−2 ln u₁)·cos 2πu₂, z₁ = √(−2 ln u₁)·sin 2πu₂
/// (both are used), so they depend only on the integer stream and the C library's log, cos
/// and sin (correctly rounded on glibc and Apple's libm for practical purposes).
///
///     var rng = RNG(seed: 7)
///     var dataRNG = rng.split()      // an independent stream, e.g. for data vs. weights
///     let w = Tensor.randomNormal([64, 2], using: &rng)
public struct RNG: RandomNumberGenerator, Sendable, Equatable {
    var state: (UInt64, UInt64, UInt64, UInt64)
    /// The second Box–Muller value, kept for the next `normal()` call.
    var spareNormal: Double?

    /// A generator determined by `seed` alone.
    public init(seed: UInt64) {
        var sm = seed
        func splitMix() -> UInt64 {
            sm &+= 0x9E37_79B9_7F4A_7C15
            var z = sm
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
        spareNormal = nil
    }

    public static func == (a: RNG, b: RNG) -> Bool {
        a.state == b.state && a.spareNormal == b.spareNormal
    }

    /// The next 64 random bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotl(state.3, 45)
        return result
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A new generator with a stream independent of this one's continuation: seeded from this
    /// generator's next output (which advances this one). Use it to give each part of an
    /// experiment its own stream, so that changing one part does not shift the others.
    public mutating func split() -> RNG {
        RNG(seed: next())
    }

    /// `count` independent generators split off in order.
    public mutating func split(into count: Int) -> [RNG] {
        (0..<count).map { _ in split() }
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Uniform in `range`: lower + (upper − lower)·u.
    public mutating func uniform(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * uniform()
    }

    /// A standard normal sample (Box–Muller; every second call returns the spare value).
    public mutating func normal() -> Double {
        if let z = spareNormal { spareNormal = nil; return z }
        let (z0, z1) = boxMuller()
        spareNormal = z1
        return z0
    }

    /// A normal sample with the given mean and standard deviation.
    public mutating func normal(mean: Double, standardDeviation: Double) -> Double {
        mean + standardDeviation * normal()
    }

    /// Two independent standard normals from two uniforms. u₁ is taken in (0, 1] so ln u₁ is finite.
    mutating func boxMuller() -> (Double, Double) {
        let u1 = 1 - uniform()
        let u2 = uniform()
        let r = (-2 * log(u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        return (r * cos(theta), r * sin(theta))
    }

    /// A uniformly chosen integer in 0..<n, by rejection (no modulo bias).
    public mutating func int(below n: Int) -> Int {
        precondition(n > 0, "RNG.int(below:): n must be positive, got \(n)")
        let bound = UInt64(n)
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let r = next()
            if r < limit { return Int(r % bound) }
        }
    }

    /// A uniformly random permutation of 0..<n (Fisher–Yates).
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        if n < 2 { return p }
        for i in stride(from: n - 1, to: 0, by: -1) {
            p.swapAt(i, int(below: i + 1))
        }
        return p
    }
}
