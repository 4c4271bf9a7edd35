// Elementwise kernels compiled for AVX2 + FMA (`-target-cpu haswell`, see Package.swift), so
// the tanh of every tanh network runs four lanes to a register with fused multiply-adds
// instead of SSE2's two lanes and separate multiplies and adds (about 4× fewer instructions).
//
// This module is only ever entered after a run-time check that the CPU has AVX2 and FMA
// (`Autodiff.cpuHasAVX2FMA`); nothing here is inlinable, so no AVX instruction leaks into
// code that runs without the check. The arithmetic is the same as Autodiff's portable
// `tanhKernelPortable` (see FastTanh.swift), with fused multiply-adds:
//     tanh x = sign(x)·(−m)/(2 + m),  m = expm1(−2|x|).

#if arch(x86_64)
// Written as scalar code on purpose: LLVM's loop vectorizer turns the loop below into
// 4-lane AVX2 code with vector FMAs, while Swift's SIMD types scalarize `addingProduct`.

/// x = k·ln 2 + r with |r| ≤ ln2/2: returns 2ᵏ and p = eʳ − 1 (Taylor to r¹³, fused
/// multiply-adds), so eˣ = 2ᵏ(1 + p) and eˣ − 1 = (2ᵏ − 1) + 2ᵏp, each in one rounding.
/// Valid for x in [−708, 709], where 2ᵏ is a normal number. Shared by tanh and exp.
@inline(__always)
func expParts(_ x: Double) -> (scale: Double, p: Double) {
    let magic = 6755399441055744.0  // 1.5 · 2⁵²: adding it rounds to an integer
    let kf = magic.addingProduct(x, 1.4426950408889634)
    let k = kf - magic
    let r = x.addingProduct(k, -6.93147180369123816490e-01).addingProduct(k, -1.90821492927058770002e-10)
    var p = 1.0 / 6227020800.0  // Taylor coefficients of eʳ − 1, 1/13! first
    p = (1.0 / 479001600.0).addingProduct(p, r)
    p = (1.0 / 39916800.0).addingProduct(p, r)
    p = (1.0 / 3628800.0).addingProduct(p, r)
    p = (1.0 / 362880.0).addingProduct(p, r)
    p = (1.0 / 40320.0).addingProduct(p, r)
    p = (1.0 / 5040.0).addingProduct(p, r)
    p = (1.0 / 720.0).addingProduct(p, r)
    p = (1.0 / 120.0).addingProduct(p, r)
    p = (1.0 / 24.0).addingProduct(p, r)
    p = (1.0 / 6.0).addingProduct(p, r)
    p = (0.5).addingProduct(p, r)
    p = (1.0).addingProduct(p, r)
    let ki = Int64(bitPattern: kf.bitPattern &- magic.bitPattern)
    return (Double(bitPattern: UInt64(bitPattern: (ki &+ 1023) << 52)), p * r)
}

@inline(__always)
func expm1NonPositiveFMA(_ y: Double) -> Double {
    let (scale, p) = expParts(y)
    return (scale - 1).addingProduct(scale, p)
}

/// dst[i] = tanh(src[i]) for i in 0..<n. Requires AVX2 and FMA.
public func tanhAVX2(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Double>, _ n: Int) {
    for i in 0..<n {
        let x = src[i]
        let ax = Swift.min(Double(bitPattern: x.bitPattern & 0x7FFF_FFFF_FFFF_FFFF), 19.1)
        let m = expm1NonPositiveFMA(-2 * ax)
        let t = -m / (2 + m)
        dst[i] = x < 0 ? -t : (x != x ? x : t)
    }
}
#endif
