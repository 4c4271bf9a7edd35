// A vectorizable tanh: the forward pass of every tanh network spends most of its time here,
// and the C library's scalar tanh is several times slower than a loop the compiler can
// vectorize. Accuracy is within a few ulp of the correctly rounded result (checked against
// the C library in the tests).
//
//   |x| < 0.2:     the Maclaurin series tanh x = Σₖ aₖ x²ᵏ⁺¹ to x²¹ (terms shrink by ≈ (2x/π)²,
//                  so the first omitted one is below 1e-18 relative);
//   0.2 ≤ |x| < 19.1:  tanh|x| = (1 − t)/(1 + t) with t = e^(−2|x|) ∈ (0, 0.67], so 1 − t has
//                  no cancellation; e^y is evaluated as 2ᵏ·eʳ, r = y − k ln 2 ∈ [−ln2/2, ln2/2],
//                  with a degree-13 Taylor polynomial for eʳ (truncation < 2e-16 relative);
//   |x| ≥ 19.1:    ±1 (1 − tanh x < 2⁻⁵⁴ there).

/// Series coefficients aₖ of tanh, from tanh′ = 1 − tanh²:
/// (2k + 1)·aₖ = [k = 0] − Σ_{i+j=k−1} aᵢaⱼ.
let tanhSeries: [Double] = {
    var a = [1.0]
    for k in 1...10 {
        var s = 0.0
        for i in 0..<k { s += a[i] * a[k - 1 - i] }
        a.append(-s / Double(2 * k + 1))
    }
    return a
}()

/// e^y for y ∈ [−40, 0]: range reduction by the rounding trick (adding 1.5·2⁵² rounds to an
/// integer with plain arithmetic, so the loop stays vectorizable) and a Taylor polynomial.
@inline(__always)
func expNonPositive(_ y: Double) -> Double {
    let magic = 6755399441055744.0  // 1.5 · 2⁵²
    let log2e = 1.4426950408889634
    let ln2hi = 6.93147180369123816490e-01, ln2lo = 1.90821492927058770002e-10
    let kf = y * log2e + magic
    let k = kf - magic
    let r = (y - k * ln2hi) - k * ln2lo
    var p = 1.0 / 6227020800.0  // 1/13!
    p = p * r + 1.0 / 479001600.0
    p = p * r + 1.0 / 39916800.0
    p = p * r + 1.0 / 3628800.0
    p = p * r + 1.0 / 362880.0
    p = p * r + 1.0 / 40320.0
    p = p * r + 1.0 / 5040.0
    p = p * r + 1.0 / 720.0
    p = p * r + 1.0 / 120.0
    p = p * r + 1.0 / 24.0
    p = p * r + 1.0 / 6.0
    p = p * r + 0.5
    p = p * r + 1.0
    p = p * r + 1.0
    let ki = Int64(bitPattern: kf.bitPattern &- magic.bitPattern)
    let scale = Double(bitPattern: UInt64(bitPattern: (ki &+ 1023) << 52))
    return p * scale
}

/// dst[i] = tanh(src[i]) for i < n.
func tanhKernel(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Double>, _ n: Int) {
    let c = tanhSeries
    let (c1, c2, c3, c4, c5, c6, c7, c8, c9, c10) = (c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10])
    for i in 0..<n {
        let x = src[i]
        let ax = Swift.min(Swift.abs(x), 19.1)
        // series branch (used when |x| < 0.2)
        let z = x * x
        var s = c10
        s = s * z + c9; s = s * z + c8; s = s * z + c7; s = s * z + c6; s = s * z + c5
        s = s * z + c4; s = s * z + c3; s = s * z + c2; s = s * z + c1
        let series = x + x * z * s
        // exponential branch
        let t = expNonPositive(-2 * ax)
        let big = (1 - t) / (1 + t)
        let signed = x < 0 ? -big : big
        let v = ax < 0.2 ? series : signed
        dst[i] = x.isNaN ? x : v
    }
}
