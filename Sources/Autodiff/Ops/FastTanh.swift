#if arch(x86_64)
internal import AutodiffKernels
#endif

// A vectorizable tanh: the forward pass of every tanh network spends much of its time here,
// and the C library's scalar tanh is several times slower than a branch-free loop the
// compiler can vectorize. Accuracy is within a few ulp of the correctly rounded result
// (checked against the C library in the tests).
//
//   tanh x = sign(x) · (−m) / (2 + m),  m = expm1(−2|x|) ∈ (−1, 0],
//
// which has no cancellation anywhere (|m| and 2 + m are both well scaled). expm1(y) for
// y ≤ 0 is 2ᵏ·p + (2ᵏ − 1) with y = k ln 2 + r, r ∈ [−ln2/2, ln2/2] and p = eʳ − 1 from its
// Taylor polynomial to r¹³ (truncation below 1e-17 relative). For |x| ≥ 19.1 the result
// rounds to ±1 and the input is clamped there.

/// Eight lanes: several independent SSE/AVX registers per step, so the long polynomial chain
/// of one lane overlaps with the others'.
typealias TanhVector = SIMD8<Double>

/// expm1(y) = eʸ − 1 for y ∈ [−40, 0] on eight lanes, branch-free: range reduction by the
/// rounding trick (adding 1.5·2⁵² rounds to an integer with plain arithmetic) and a polynomial.
@inline(__always)
func expm1NonPositiveV(_ y: TanhVector) -> TanhVector {
    let magic = TanhVector(repeating: 6755399441055744.0)
    let kf = y * 1.4426950408889634 + magic
    let k = kf - magic
    let r = (y - k * 6.93147180369123816490e-01) - k * 1.90821492927058770002e-10
    var p = TanhVector(repeating: 1.0 / 6227020800.0)
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
    p = p * r
    let ki = unsafeBitCast(kf, to: SIMD8<Int64>.self) &- unsafeBitCast(magic, to: SIMD8<Int64>.self)
    let scale = unsafeBitCast((ki &+ 1023) &<< 52, to: TanhVector.self)
    return scale * p + (scale - 1)
}

/// dst[i] = tanh(src[i]) for i < n: AVX2/FMA lanes when the CPU has them, else `tanhKernelPortable`.
func tanhKernelVector(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Double>, _ n: Int) {
    #if arch(x86_64)
    if cpuHasAVX2FMA { tanhAVX2(src, dst, n); return }
    #endif
    tanhKernelPortable(src, dst, n)
}

/// Whether this CPU runs AutodiffKernels' AVX2 + FMA code: read once from /proc/cpuinfo
/// (Linux); false elsewhere, or when LITOPT_PORTABLE_KERNELS is set (to test the fallback).
let cpuHasAVX2FMA: Bool = {
    #if arch(x86_64) && os(Linux)
    if getenv("LITOPT_PORTABLE_KERNELS") != nil { return false }
    guard let file = fopen("/proc/cpuinfo", "r") else { return false }
    defer { fclose(file) }
    var line: UnsafeMutablePointer<CChar>? = nil
    var capacity = 0
    defer { free(line) }
    while getline(&line, &capacity, file) > 0 {
        let text = String(cString: line!)
        guard text.hasPrefix("flags") else { continue }
        let flags = Set(text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init))
        return flags.contains("avx2") && flags.contains("fma")
    }
    return false
    #else
    return false
    #endif
}()

/// dst[i] = tanh(src[i]) for i < n, eight at a time (the tail one at a time), SSE2 only.
func tanhKernelPortable(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Double>, _ n: Int) {
    var i = 0
    while i + 8 <= n {
        UnsafeMutableRawPointer(dst + i).storeBytes(of: tanhV(UnsafeRawPointer(src + i).loadUnaligned(as: TanhVector.self)),
                                                    as: TanhVector.self)
        i += 8
    }
    guard i < n else { return }
    // The last < 8 entries: the same lanes, padded with zeros (lanes are independent).
    var tail = TanhVector()
    for k in 0..<(n - i) { tail[k] = src[i + k] }
    let t = tanhV(tail)
    for k in 0..<(n - i) { dst[i + k] = t[k] }
}

@inline(__always) func tanhV(_ x: TanhVector) -> TanhVector {
    var ax = magnitude(x)
    ax.replace(with: 19.1, where: ax .> 19.1)
    let m = expm1NonPositiveV(-2 * ax)
    var t = -m / (2 + m)
    t.replace(with: -t, where: x .< 0)
    t.replace(with: x, where: x .!= x)
    return t
}

/// |v| by clearing the sign bits.
@inline(__always) func magnitude(_ v: TanhVector) -> TanhVector { unsafeBitCast(unsafeBitCast(v, to: SIMD8<UInt64>.self) & 0x7FFF_FFFF_FFFF_FFFF, to: TanhVector.self) }
