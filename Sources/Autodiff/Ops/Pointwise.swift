#if arch(x86_64)
internal import AutodiffKernels
#endif

// Elementwise functions of one tensor. Each forward pass is a plain loop; each rule states
// the derivative and is written with differentiable operations, so it can be differentiated
// again for Hessian-vector products.

/// eˣ;  d/dx = eˣ (the saved output).
public func exp(_ x: Tensor) -> Tensor {
    let n = x.count
    let s = makeStorage(n) { o in x.scalars.withUnsafeBufferPointer { expKernel($0.baseAddress!, o, n) } }
    return Tensor.record("exp", Tensor(shape: x.shape, storage: s, node: nil), x, keepOutput: true) { p in
        [p.cotangent * p.output]
    }
}

/// dst[i] = eˣ for x = src[i], i < n (buffers not overlapping): AutodiffKernels' AVX2/FMA loop
/// when the CPU has it (within an ulp of the C library, checked in the tests), else the C library.
func expKernel(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Double>, _ n: Int) {
    #if arch(x86_64)
    if cpuHasAVX2FMA { expAVX2(src, dst, n); return }
    #endif
    for i in 0..<n { dst[i] = expOrZero(src[i]) }
}

/// eˣ, with the deep-underflow case answered directly: below −746, eˣ < 2⁻¹⁰⁷⁶ rounds to 0
/// (exactly what the C library returns, but it gets there through a slow error-handling path,
/// and masked attention scores of −10³⁰ hit it for half of every score matrix).
@inline(__always)
func expOrZero(_ x: Double) -> Double {
    x < -746 ? 0 : exp(x)
}

/// Natural logarithm;  d/dx = 1/x.
public func log(_ x: Tensor) -> Tensor {
    Tensor.record("log", x.map { log($0) }, x) { p in [p.cotangent / p.inputs[0]] }
}

/// Hyperbolic tangent;  d/dx = 1 − tanh²x.
public func tanh(_ x: Tensor) -> Tensor {
    let n = x.count
    let s = makeStorage(n) { o in x.scalars.withUnsafeBufferPointer { tanhKernelVector($0.baseAddress!, o, n) } }
    return Tensor.record("tanh", Tensor(shape: x.shape, storage: s, node: nil), x, keepOutput: true) { p in
        [tanhPullback(output: p.output, cotangent: p.cotangent)]
    }
}

/// ct·(1 − y²), the tanh derivative rule fused into one pass (it runs on every backward step
/// of a tanh network). Its own derivatives: ∂/∂y = −2y·ct·ḡ, ∂/∂ct = (1 − y²)·ḡ.
func tanhPullback(output y: Tensor, cotangent ct: Tensor) -> Tensor {
    precondition(y.shape == ct.shape)
    let v = Tensor.zipWith(y, ct, "tanh pullback") { y, c in c * (1 - y * y) }
    return Tensor.record("tanh pullback", v, [y, ct]) { p in
        let y = p.inputs[0], ct = p.inputs[1], g = p.cotangent
        return [p.needs(0) ? -2.0 * y * ct * g : nil,
                p.needs(1) ? tanhPullback(output: y, cotangent: g) : nil]
    }
}

/// Logistic sigmoid σ(x) = 1/(1 + e⁻ˣ);  d/dx = σ(1 − σ).
public func sigmoid(_ x: Tensor) -> Tensor {
    let v = x.map { $0 >= 0 ? 1 / (1 + exp(-$0)) : exp($0) / (1 + exp($0)) }
    return Tensor.record("sigmoid", v, x, keepOutput: true) { p in
        [p.cotangent * p.output * (1.0 - p.output)]
    }
}

/// max(x, 0);  d/dx = 1 where x > 0, else 0.
public func relu(_ x: Tensor) -> Tensor {
    Tensor.record("relu", x.map { $0 > 0 ? $0 : 0 }, x) { p in
        [reluPullback(input: p.inputs[0].detached, cotangent: p.cotangent)]
    }
}

/// ct·[x > 0], the relu derivative rule in one pass (no mask tensor): the same numbers as
/// `ct * x.map { $0 > 0 ? 1 : 0 }`. Linear in ct, so its derivative there is itself applied to
/// the incoming cotangent; the mask is piecewise constant in x, which gets no derivative.
func reluPullback(input x: Tensor, cotangent ct: Tensor) -> Tensor {
    precondition(x.shape == ct.shape)
    let v = Tensor.zipWith(x, ct, "relu pullback") { x, c in c * (x > 0 ? 1 : 0) }
    return Tensor.record("relu pullback", v, ct) { p in [reluPullback(input: x, cotangent: p.cotangent)] }
}

/// Gaussian error linear unit, exact form x·Φ(x) with Φ the standard normal CDF
/// (Hendrycks & Gimpel 2016; PyTorch's default);  d/dx = Φ(x) + x·φ(x).
public func gelu(_ x: Tensor) -> Tensor {
    let v = x.map { $0 * 0.5 * (1 + erf($0 / 2.0.squareRoot())) }
    return Tensor.record("gelu", v, x) { p in
        let x = p.inputs[0]
        let invSqrt2: Double = 1 / 2.0.squareRoot(), invSqrt2Pi: Double = 1 / (2 * Double.pi).squareRoot()
        let cdf = 0.5 * (1.0 + erf(x * invSqrt2))
        let pdf = exp(-0.5 * x * x) * invSqrt2Pi
        return [p.cotangent * (cdf + x * pdf)]
    }
}

/// log(1 + eˣ), computed stably as max(x, 0) + log1p(e^−|x|);  d/dx = σ(x).
public func softplus(_ x: Tensor) -> Tensor {
    Tensor.record("softplus", x.map { max($0, 0) + log1p(exp(-abs($0))) }, x) { p in
        [p.cotangent * sigmoid(p.inputs[0])]
    }
}

/// √x;  d/dx = 1/(2√x).
public func sqrt(_ x: Tensor) -> Tensor {
    Tensor.record("sqrt", x.map { $0.squareRoot() }, x, keepOutput: true) { p in
        [p.cotangent * 0.5 / p.output]
    }
}

/// |x|;  d/dx = sign(x) (0 at 0).
public func abs(_ x: Tensor) -> Tensor {
    Tensor.record("abs", x.map { Swift.abs($0) }, x) { p in [p.cotangent * sign(p.inputs[0].detached)] }
}

/// −1, 0 or 1; piecewise constant, so its derivative is zero and it is not tracked.
public func sign(_ x: Tensor) -> Tensor {
    x.map { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }
}

/// sin x;  d/dx = cos x.
public func sin(_ x: Tensor) -> Tensor {
    Tensor.record("sin", x.map { sin($0) }, x) { p in [p.cotangent * cos(p.inputs[0])] }
}

/// cos x;  d/dx = −sin x.
public func cos(_ x: Tensor) -> Tensor {
    Tensor.record("cos", x.map { cos($0) }, x) { p in [-(p.cotangent * sin(p.inputs[0]))] }
}

/// The error function;  d/dx = (2/√π)·e^(−x²).
public func erf(_ x: Tensor) -> Tensor {
    Tensor.record("erf", x.map { erf($0) }, x) { p in
        let x = p.inputs[0]
        let c: Double = 2 / Double.pi.squareRoot()
        return [p.cotangent * exp(-(x * x)) * c]
    }
}

/// log(1 + x), accurate for small x;  d/dx = 1/(1 + x).
public func log1p(_ x: Tensor) -> Tensor {
    Tensor.record("log1p", x.map { log1p($0) }, x) { p in [p.cotangent / (1.0 + p.inputs[0])] }
}
