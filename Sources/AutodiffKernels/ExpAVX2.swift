// eˣ over a buffer, compiled for AVX2 + FMA like TanhAVX2.swift (entered only after the
// run-time CPU check in Autodiff). Softmax, log-sum-exp and the exp primitive run on it.
//
//   eˣ = 2ᵏ·(1 + p(r)),  x = k ln 2 + r,  |r| ≤ ln2/2,  p(r) = eʳ − 1 (Taylor to r¹³),
//
// with 1 + p and the scaling fused into one rounding. Inputs outside [−708, 709] (where 2ᵏ
// would leave the normal range, and NaN/±∞) are recomputed by the C library afterwards.

#if arch(x86_64)
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// dst[i] = exp(src[i]) for i in 0..<n; the buffers must not overlap. Requires AVX2 and FMA.
public func expAVX2(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Double>, _ n: Int) {
    for i in 0..<n {
        let x = Swift.min(Swift.max(src[i], -708.0), 709.0)
        let magic = 6755399441055744.0  // 1.5 · 2⁵²
        let kf = magic.addingProduct(x, 1.4426950408889634)
        let k = kf - magic
        let r = x.addingProduct(k, -6.93147180369123816490e-01).addingProduct(k, -1.90821492927058770002e-10)
        var p = 1.0 / 6227020800.0
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
        p = p * r  // eʳ − 1
        let ki = Int64(bitPattern: kf.bitPattern &- magic.bitPattern)
        let scale = Double(bitPattern: UInt64(bitPattern: (ki &+ 1023) << 52))  // 2ᵏ
        dst[i] = scale.addingProduct(scale, p)
    }
    for i in 0..<n {
        let x = src[i]
        if !(x >= -708 && x <= 709) { dst[i] = x < -746 ? 0 : exp(x) }
    }
}
#endif
