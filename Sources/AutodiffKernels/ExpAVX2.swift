// eˣ over a buffer, compiled for AVX2 + FMA like TanhAVX2.swift (entered only after the
// run-time CPU check in Autodiff). Softmax, log-sum-exp and the exp primitive run on it.
//
//   eˣ = 2ᵏ·(1 + p(r)),  x = k ln 2 + r,  |r| ≤ ln2/2,  p(r) = eʳ − 1 (`expParts`, TanhAVX2.swift),
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
        let (scale, p) = expParts(x)
        dst[i] = scale.addingProduct(scale, p)
    }
    for i in 0..<n {
        let x = src[i]
        if !(x >= -708 && x <= 709) { dst[i] = x < -746 ? 0 : exp(x) }
    }
}
#endif
