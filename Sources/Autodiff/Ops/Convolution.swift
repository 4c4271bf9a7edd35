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
                        for ox in 0..<ow {
                            var col = row
                            for ch in 0..<c {
                                let plane = x + (b * c + ch) * h * w
                                for ky in 0..<kh {
                                    let iy = oy * s - p + ky
                                    if iy < 0 || iy >= h {
                                        for kx in 0..<kw { col[kx] = padValue }
                                    } else {
                                        let line = plane + iy * w
                                        for kx in 0..<kw {
                                            let ix = ox * s - p + kx
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
                        for ox in 0..<ow {
                            var col = row
                            for ch in 0..<c {
                                let plane = o + (b * c + ch) * h * w
                                for ky in 0..<kh {
                                    let iy = oy * s - p + ky
                                    if iy >= 0 && iy < h {
                                        let line = plane + iy * w
                                        for kx in 0..<kw {
                                            let ix = ox * s - p + kx
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
    let cols = x.windows(g)
    let y = matmul(cols, transposed: weight.reshaped(to: [out, g.windowSize]))  // [n·oh·ow, out]
    let l = g.outputHeight * g.outputWidth
    var result = y.reshaped(to: [g.batch, l, out]).permuted([0, 2, 1]).reshaped(to: [g.batch, out, g.outputHeight, g.outputWidth])
    if let bias {
        precondition(bias.shape == [out], "conv2d: bias must have shape [\(out)], got \(bias.shape)")
        result = result + bias.reshaped(to: [out, 1, 1])
    }
    return result
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
