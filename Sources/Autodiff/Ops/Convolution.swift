import Dispatch

// 2-D convolution and pooling on NCHW tensors ([batch, channels, height, width], PyTorch's
// layout), built from one pair of linear maps: im2col, which copies every kernel window of the
// input into a row of a matrix, and its adjoint col2im, which adds the rows back. Each is the
// other's derivative rule, so derivatives of any order pass through them; convolution is then
// one matrix product (dgemm), and pooling a reduction over each window's row.

/// The windows of a 2-D convolution or pooling over `[n, c, h, w]` inputs.
public struct ConvolutionGeometry: Sendable, Equatable {
    public let batch, channels, height, width: Int
    public let kernelHeight, kernelWidth: Int
    public let stride: Int
    public let padding: Int

    public init(input shape: [Int], kernel: (height: Int, width: Int), stride: Int = 1, padding: Int = 0) {
        precondition(shape.count == 4, "convolution: expects an input [batch, channels, height, width], got \(shape)")
        precondition(kernel.height > 0 && kernel.width > 0 && stride > 0 && padding >= 0,
                     "convolution: kernel and stride must be positive and padding non-negative")
        (batch, channels, height, width) = (shape[0], shape[1], shape[2], shape[3])
        (kernelHeight, kernelWidth) = kernel
        self.stride = stride
        self.padding = padding
        precondition(height + 2 * padding >= kernelHeight && width + 2 * padding >= kernelWidth,
                     "convolution: a \(kernelHeight)×\(kernelWidth) kernel does not fit a padded \(height)×\(width) input")
    }

    /// Output extents ⌊(h + 2p − k)/s⌋ + 1.
    public var outputHeight: Int { (height + 2 * padding - kernelHeight) / stride + 1 }
    public var outputWidth: Int { (width + 2 * padding - kernelWidth) / stride + 1 }
    /// Elements of one window across all channels, c·kh·kw.
    public var windowSize: Int { channels * kernelHeight * kernelWidth }
    /// Number of windows, n·oh·ow.
    public var windowCount: Int { batch * outputHeight * outputWidth }
    var inputShape: [Int] { [batch, channels, height, width] }
}

extension Tensor {
    /// im2col: each window of this `[n, c, h, w]` tensor as a row, shape `[n·oh·ow, c·kh·kw]`;
    /// row (b, oy, ox) holds x[b, ch, oy·s − p + ky, ox·s − p + kx] at column (ch, ky, kx), and
    /// `padValue` where that falls outside the input. Linear in x (padding is constant), with
    /// `windowsAdded` its adjoint.
    public func windows(_ g: ConvolutionGeometry, padValue: Double = 0) -> Tensor {
        precondition(shape == g.inputShape, "windows: input of shape \(shape) does not match the geometry's \(g.inputShape)")
        let (oh, ow, k) = (g.outputHeight, g.outputWidth, g.windowSize)
        let (c, h, w, kh, kw, s, p) = (g.channels, g.height, g.width, g.kernelHeight, g.kernelWidth, g.stride, g.padding)
        let storage = makeStorage(g.windowCount * k) { o in
            scalars.withUnsafeBufferPointer { xb in
                let x = xb.baseAddress!
                var row = o
                for b in 0..<g.batch {
                    for oy in 0..<oh {
                        let y0 = oy * s - p
                        let rowsInside = y0 >= 0 && y0 + kh <= h
                        for ox in 0..<ow {
                            let x0 = ox * s - p
                            var col = row
                            if rowsInside && x0 >= 0 && x0 + kw <= w {
                                // The whole window lies inside the input: plain copies, no tests.
                                for ch in 0..<c {
                                    var line = x + (b * c + ch) * h * w + y0 * w + x0
                                    for _ in 0..<kh {
                                        for kx in 0..<kw { col[kx] = line[kx] }
                                        col += kw
                                        line += w
                                    }
                                }
                                row += k
                                continue
                            }
                            for ch in 0..<c {
                                let plane = x + (b * c + ch) * h * w
                                for ky in 0..<kh {
                                    let iy = y0 + ky
                                    if iy < 0 || iy >= h {
                                        for kx in 0..<kw { col[kx] = padValue }
                                    } else {
                                        let line = plane + iy * w
                                        for kx in 0..<kw {
                                            let ix = x0 + kx
                                            col[kx] = ix >= 0 && ix < w ? line[ix] : padValue
                                        }
                                    }
                                    col += kw
                                }
                            }
                            row += k
                        }
                    }
                }
            }
        }
        let v = Tensor(shape: [g.windowCount, k], storage: storage, node: nil)
        return Tensor.record("windows", v, self) { p in [p.cotangent.windowsAdded(g)] }
    }

    /// col2im, the adjoint of `windows`: rows `[n·oh·ow, c·kh·kw]` added back into a zero
    /// `[n, c, h, w]` tensor at the places they were taken from (overlaps add; padding is dropped).
    public func windowsAdded(_ g: ConvolutionGeometry) -> Tensor {
        precondition(shape == [g.windowCount, g.windowSize],
                     "windowsAdded: rows of shape \(shape) do not match the geometry's [\(g.windowCount), \(g.windowSize)]")
        let (oh, ow, k) = (g.outputHeight, g.outputWidth, g.windowSize)
        let (c, h, w, kh, kw, s, p) = (g.channels, g.height, g.width, g.kernelHeight, g.kernelWidth, g.stride, g.padding)
        var out = [Double](repeating: 0, count: g.batch * c * h * w)
        out.withUnsafeMutableBufferPointer { ob in
            scalars.withUnsafeBufferPointer { rb in
                let o = ob.baseAddress!
                var row = rb.baseAddress!
                for b in 0..<g.batch {
                    for oy in 0..<oh {
                        let y0 = oy * s - p
                        let rowsInside = y0 >= 0 && y0 + kh <= h
                        for ox in 0..<ow {
                            let x0 = ox * s - p
                            var col = row
                            if rowsInside && x0 >= 0 && x0 + kw <= w {
                                for ch in 0..<c {
                                    var line = o + (b * c + ch) * h * w + y0 * w + x0
                                    for _ in 0..<kh {
                                        for kx in 0..<kw { line[kx] += col[kx] }
                                        col += kw
                                        line += w
                                    }
                                }
                                row += k
                                continue
                            }
                            for ch in 0..<c {
                                let plane = o + (b * c + ch) * h * w
                                for ky in 0..<kh {
                                    let iy = y0 + ky
                                    if iy >= 0 && iy < h {
                                        let line = plane + iy * w
                                        for kx in 0..<kw {
                                            let ix = x0 + kx
                                            if ix >= 0 && ix < w { line[ix] += col[kx] }
                                        }
                                    }
                                    col += kw
                                }
                            }
                            row += k
                        }
                    }
                }
            }
        }
        let v = Tensor(shape: g.inputShape, storage: out, node: nil)
        return Tensor.record("windows added", v, self) { p in [p.cotangent.windows(g)] }
    }
}

/// 2-D convolution (cross-correlation, as in PyTorch's `Conv2d`) of `x` `[n, c, h, w]` with
/// `weight` `[out, c, kh, kw]` and an optional `bias` `[out]`:
///     y[b, o, i, j] = bias[o] + Σ_{ch, ky, kx} weight[o, ch, ky, kx] · x[b, ch, i·s − p + ky, j·s − p + kx],
/// zero outside the input. Shape `[n, out, oh, ow]` with oh = ⌊(h + 2p − kh)/s⌋ + 1.
/// Computed as im2col then one product with the weights as a matrix `[out, c·kh·kw]`.
public func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0) -> Tensor {
    precondition(weight.rank == 4 && x.rank == 4 && weight.shape[1] == x.shape[1],
                 "conv2d: input \(x.shape) does not fit a weight of shape \(weight.shape) ([out, in, kh, kw])")
    let out = weight.shape[0]
    let g = ConvolutionGeometry(input: x.shape, kernel: (weight.shape[2], weight.shape[3]), stride: stride, padding: padding)
    var result = ConvolutionProduct.forward(x, weight.reshaped(to: [out, g.windowSize]), g)
    if let bias {
        precondition(bias.shape == [out], "conv2d: bias must have shape [\(out)], got \(bias.shape)")
        result = result + bias.reshaped(to: [out, 1, 1])
    }
    return result
}

/// Convolution one image at a time, as PyTorch's CPU kernel does: the image's windows laid
/// out as a `[c·kh·kw, oh·ow]` matrix (small enough to stay in cache, filled by contiguous
/// copies), then one product with the weights `[out, c·kh·kw]` written straight into the
/// image's `[out, oh, ow]` output — no whole-batch window matrix, no transpose afterwards.
///
/// The three maps are closed under differentiation: the forward map y = W ⋆ x, its adjoint in
/// x (`inputGradient`) and in W (`weightGradient`) are each other's pullbacks, so gradients,
/// Hessian-vector products and higher derivatives pass through them.
enum ConvolutionProduct {
    /// y[b] = W · columns(x[b]): `[n, c, h, w]`, `[out, K]` → `[n, out, oh, ow]`.
    static func forward(_ x: Tensor, _ w: Tensor, _ g: ConvolutionGeometry) -> Tensor {
        let (out, k, l) = (w.shape[0], g.windowSize, g.outputHeight * g.outputWidth)
        let imageSize = g.channels * g.height * g.width
        let storage = makeStorage(g.batch * out * l) { y in
            x.scalars.withUnsafeBufferPointer { xb in
                w.scalars.withUnsafeBufferPointer { wb in
                    let (xp, wp, yp) = (SendablePointer(xb), SendablePointer(wb), SendableMutablePointer(y))
                    inChunks(g, work: out * k * l) { _, images in
                        let columns = UnsafeMutablePointer<Double>.allocate(capacity: k * l)
                        defer { columns.deallocate() }
                        for b in images {
                            g.columns(of: xp.base + b * imageSize, into: columns)
                            BLAS.gemm(transposeA: false, transposeB: false, m: out, n: l, k: k,
                                      a: wp.base, b: columns, c: yp.base + b * out * l)
                        }
                    }
                }
            }
        }
        let v = Tensor(shape: [g.batch, out, g.outputHeight, g.outputWidth], storage: storage, node: nil)
        return Tensor.record("conv2d", v, [x, w]) { p in
            [p.needs(0) ? inputGradient(p.cotangent, p.inputs[1], g) : nil,
             p.needs(1) ? weightGradient(p.inputs[0], p.cotangent, g) : nil]
        }
    }

    /// x̄[b] = col2im(Wᵀ · ȳ[b]), the adjoint of `forward` in x: `[n, out, oh, ow]`, `[out, K]` → `[n, c, h, w]`.
    static func inputGradient(_ dy: Tensor, _ w: Tensor, _ g: ConvolutionGeometry) -> Tensor {
        let (out, k, l) = (w.shape[0], g.windowSize, g.outputHeight * g.outputWidth)
        let imageSize = g.channels * g.height * g.width
        var result = [Double](repeating: 0, count: g.batch * imageSize)
        result.withUnsafeMutableBufferPointer { rb in
            dy.scalars.withUnsafeBufferPointer { db in
                w.scalars.withUnsafeBufferPointer { wb in
                    let (dp, wp, rp) = (SendablePointer(db), SendablePointer(wb), SendableMutablePointer(rb.baseAddress!))
                    inChunks(g, work: out * k * l) { _, images in
                        let columns = UnsafeMutablePointer<Double>.allocate(capacity: k * l)
                        defer { columns.deallocate() }
                        for b in images {
                            BLAS.gemm(transposeA: true, transposeB: false, m: k, n: l, k: out,
                                      a: wp.base, b: dp.base + b * out * l, c: columns)
                            g.addColumns(columns, into: rp.base + b * imageSize)
                        }
                    }
                }
            }
        }
        let v = Tensor(shape: g.inputShape, storage: result, node: nil)
        return Tensor.record("conv2d input gradient", v, [dy, w]) { p in
            [p.needs(0) ? forward(p.cotangent, p.inputs[1], g) : nil,
             p.needs(1) ? weightGradient(p.cotangent, p.inputs[0], g) : nil]
        }
    }

    /// W̄ = Σ_b ȳ[b] · columns(x[b])ᵀ, the adjoint of `forward` in W: `[n, c, h, w]`, `[n, out, oh, ow]` → `[out, K]`.
    static func weightGradient(_ x: Tensor, _ dy: Tensor, _ g: ConvolutionGeometry) -> Tensor {
        let (out, k, l) = (dy.shape[1], g.windowSize, g.outputHeight * g.outputWidth)
        let imageSize = g.channels * g.height * g.width
        let chunks = chunkCount(g, work: out * k * l)
        // One partial sum per chunk of images, added in chunk order: the same bytes every run.
        var partials = [Double](repeating: 0, count: chunks * out * k)
        partials.withUnsafeMutableBufferPointer { pb in
            x.scalars.withUnsafeBufferPointer { xb in
                dy.scalars.withUnsafeBufferPointer { db in
                    let (xp, dp, pp) = (SendablePointer(xb), SendablePointer(db), SendableMutablePointer(pb.baseAddress!))
                    inChunks(g, work: out * k * l) { chunk, images in
                        let columns = UnsafeMutablePointer<Double>.allocate(capacity: k * l)
                        defer { columns.deallocate() }
                        for b in images {
                            g.columns(of: xp.base + b * imageSize, into: columns)
                            BLAS.gemm(transposeA: false, transposeB: true, m: out, n: k, k: l,
                                      a: dp.base + b * out * l, b: columns, beta: b == images.lowerBound ? 0 : 1,
                                      c: pp.base + chunk * out * k)
                        }
                    }
                }
            }
        }
        let storage = makeStorage(out * k) { dw in
            partials.withUnsafeBufferPointer { pb in
                for i in 0..<(out * k) { dw[i] = pb[i] }
                for c in 1..<max(1, chunks) { for i in 0..<(out * k) { dw[i] += pb[c * out * k + i] } }
            }
        }
        let v = Tensor(shape: [out, k], storage: storage, node: nil)
        return Tensor.record("conv2d weight gradient", v, [x, dy]) { p in
            [p.needs(0) ? inputGradient(p.inputs[1], p.cotangent, g) : nil,
             p.needs(1) ? forward(p.inputs[0], p.cotangent, g) : nil]
        }
    }
}

extension ConvolutionProduct {
    /// Products this small per image run on one thread: a hand-off costs more than it saves.
    static let threadingThreshold = 1 << 20

    /// How many chunks of images the batch is cut into: two when the work is large enough,
    /// on every machine — the weight gradient's partial sums are added in the same order
    /// whatever the number of cores, so results are the same bytes everywhere.
    static func chunkCount(_ g: ConvolutionGeometry, work perImage: Int) -> Int {
        perImage * g.batch >= threadingThreshold && g.batch > 1 ? 2 : 1
    }

    /// Calls `body` with each chunk's number and its consecutive range of image indices: the
    /// chunks at once when OpenBLAS may use more than one thread (`OPENBLAS_NUM_THREADS`, else
    /// the machine's cores), one after the other otherwise. An empty batch: no call.
    static func inChunks(_ g: ConvolutionGeometry, work perImage: Int, _ body: @Sendable (Int, Range<Int>) -> Void) {
        let chunks = chunkCount(g, work: perImage)
        let range = { @Sendable (c: Int) in (c * g.batch / chunks)..<((c + 1) * g.batch / chunks) }
        if chunks == 1 || BLAS.defaultThreads < 2 {
            for c in 0..<chunks where !range(c).isEmpty { body(c, range(c)) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: chunks) { c in body(c, range(c)) }
    }
}

extension ConvolutionGeometry {
    /// The output columns `[lo, hi)` whose input column ox·s − p + kx lies inside the image.
    @inline(__always) func insideColumns(_ kx: Int) -> (lo: Int, hi: Int) {
        let lo = max(0, (padding - kx + stride - 1) / stride)
        let top = width - 1 + padding - kx
        let hi = top < 0 ? 0 : min(outputWidth, top / stride + 1)
        return (lo, max(lo, hi))
    }

    /// One image `[c, h, w]` as its windows' matrix `[c·kh·kw, oh·ow]`: row (ch, ky, kx),
    /// column (oy, ox) holds x[ch, oy·s − p + ky, ox·s − p + kx], zero outside the image.
    func columns(of image: UnsafePointer<Double>, into columns: UnsafeMutablePointer<Double>) {
        let (oh, ow) = (outputHeight, outputWidth)
        var row = columns
        for ch in 0..<channels {
            let plane = image + ch * height * width
            for ky in 0..<kernelHeight {
                for kx in 0..<kernelWidth {
                    let (lo, hi) = insideColumns(kx)
                    for oy in 0..<oh {
                        let line = row + oy * ow
                        let iy = oy * stride - padding + ky
                        guard iy >= 0 && iy < height else {
                            line.update(repeating: 0, count: ow)
                            continue
                        }
                        if lo > 0 { line.update(repeating: 0, count: lo) }
                        if hi < ow { (line + hi).update(repeating: 0, count: ow - hi) }
                        let source = plane + iy * width - padding + kx
                        if stride == 1 {
                            if hi > lo { (line + lo).update(from: source + lo, count: hi - lo) }
                        } else {
                            for ox in lo..<hi { line[ox] = source[ox * stride] }
                        }
                    }
                    row += oh * ow
                }
            }
        }
    }

    /// The adjoint of `columns(of:into:)`: each entry of `columns` added to the image at the
    /// place it was taken from.
    func addColumns(_ columns: UnsafePointer<Double>, into image: UnsafeMutablePointer<Double>) {
        let (oh, ow) = (outputHeight, outputWidth)
        var row = columns
        for ch in 0..<channels {
            let plane = image + ch * height * width
            for ky in 0..<kernelHeight {
                for kx in 0..<kernelWidth {
                    let (lo, hi) = insideColumns(kx)
                    for oy in 0..<oh {
                        let iy = oy * stride - padding + ky
                        guard iy >= 0 && iy < height else { continue }
                        let line = row + oy * ow
                        let target = plane + iy * width - padding + kx
                        if stride == 1 {
                            for ox in lo..<hi { target[ox] += line[ox] }
                        } else {
                            for ox in lo..<hi { target[ox * stride] += line[ox] }
                        }
                    }
                    row += oh * ow
                }
            }
        }
    }
}

/// The windows of each channel on its own: `x` `[n, c, h, w]` viewed as n·c one-channel
/// images, one row of kh·kw per window, and the output shape.
func channelWindows(_ x: Tensor, kernel: Int, stride: Int, padding: Int, padValue: Double)
    -> (rows: Tensor, outputShape: [Int]) {
    precondition(x.rank == 4, "pooling: expects an input [batch, channels, height, width], got \(x.shape)")
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let g = ConvolutionGeometry(input: [n * c, 1, h, w], kernel: (kernel, kernel), stride: stride, padding: padding)
    let rows = x.reshaped(to: [n * c, 1, h, w]).windows(g, padValue: padValue)
    return (rows, [n, c, g.outputHeight, g.outputWidth])
}

/// Max pooling over `kernel`×`kernel` windows of each channel (PyTorch's `MaxPool2d`; the
/// stride defaults to the kernel, padding counts as −∞). The derivative goes to the first
/// maximal element of each window.
public func maxPool2d(_ x: Tensor, kernel: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
    precondition(padding <= kernel / 2, "maxPool2d: padding \(padding) is more than half the kernel \(kernel)")
    let (rows, shape) = channelWindows(x, kernel: kernel, stride: stride ?? kernel, padding: padding, padValue: -.infinity)
    return rows.max(axis: 1).reshaped(to: shape)
}

/// Average pooling over `kernel`×`kernel` windows of each channel (PyTorch's `AvgPool2d`,
/// padding counted as zeros in the mean); the stride defaults to the kernel.
public func avgPool2d(_ x: Tensor, kernel: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
    let (rows, shape) = channelWindows(x, kernel: kernel, stride: stride ?? kernel, padding: padding, padValue: 0)
    return rows.mean(axis: 1).reshaped(to: shape)
}

/// The mean of each channel over its whole image: `[n, c, h, w]` → `[n, c]`.
public func globalAvgPool(_ x: Tensor) -> Tensor {
    precondition(x.rank == 4, "globalAvgPool: expects an input [batch, channels, height, width], got \(x.shape)")
    return x.reshaped(to: [x.shape[0], x.shape[1], x.shape[2] * x.shape[3]]).mean(axis: 2)
}

extension Tensor {
    /// All axes after the first joined: `[n, c, h, w]` → `[n, c·h·w]` (PyTorch's `Flatten`).
    public func flattenedBatch() -> Tensor {
        precondition(rank >= 1, "flattenedBatch: a 0-d tensor has no batch axis")
        return reshaped(to: [shape[0], count / Swift.max(shape[0], 1)])
    }
}
