import Testing
@testable import Autodiff

/// Direct convolution by the definition (no im2col), the independent reference.
func directConvolution(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride s: Int, padding p: Int) -> Tensor {
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (o, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
    let oh = (h + 2 * p - kh) / s + 1, ow = (wd + 2 * p - kw) / s + 1
    var out = [Double](repeating: 0, count: n * o * oh * ow)
    for bi in 0..<n { for oi in 0..<o { for i in 0..<oh { for j in 0..<ow {
        var acc = b?.scalars[oi] ?? 0
        for ch in 0..<c { for ky in 0..<kh { for kx in 0..<kw {
            let iy = i * s - p + ky, ix = j * s - p + kx
            if iy >= 0 && iy < h && ix >= 0 && ix < wd {
                acc += w.scalars[((oi * c + ch) * kh + ky) * kw + kx] * x.scalars[((bi * c + ch) * h + iy) * wd + ix]
            }
        }}}
        out[((bi * o + oi) * oh + i) * ow + j] = acc
    }}}}
    return Tensor(shape: [n, o, oh, ow], scalars: out)
}

@Suite struct ConvolutionTests {
    let x3 = Tensor(shape: [1, 1, 3, 3], scalars: (1...9).map(Double.init))

    @Test("Hand-computed convolutions: a difference kernel, and ones with stride 2 and padding 1")
    func handComputed() {
        let diff = Tensor(shape: [1, 1, 2, 2], scalars: [1, 0, 0, -1])
        #expect(conv2d(x3, weight: diff, bias: Tensor([0.5])) == Tensor(shape: [1, 1, 2, 2], scalars: [-3.5, -3.5, -3.5, -3.5]))
        let ones = Tensor(repeating: 1, shape: [1, 1, 2, 2])
        // windows at (−1,−1), (−1,1), (1,−1), (1,1): {1}, {2,3}, {4,7}, {5,6,8,9}
        #expect(conv2d(x3, weight: ones, stride: 2, padding: 1) == Tensor(shape: [1, 1, 2, 2], scalars: [1, 5, 11, 28]))
        // ∂Σy/∂x: how many windows cover each pixel
        #expect(gradient(at: x3) { conv2d($0, weight: ones).sum() }
                == Tensor(shape: [1, 1, 3, 3], scalars: [1, 2, 1, 2, 4, 2, 1, 2, 1]))
        #expect(gradient(at: x3) { conv2d($0, weight: ones, stride: 2, padding: 1).sum() } == Tensor(repeating: 1, shape: [1, 1, 3, 3]))
        // ∂Σy/∂w[ky, kx] = Σ of the pixels that kernel entry meets: 1+2+4+5, 2+3+5+6, 4+5+7+8, 5+6+8+9
        #expect(gradient(at: ones) { conv2d(x3, weight: $0).sum() } == Tensor(shape: [1, 1, 2, 2], scalars: [12, 16, 24, 28]))
    }

    @Test("im2col + GEMM equals the direct definition over channels, strides and paddings",
          arguments: [(1, 0), (1, 1), (2, 0), (2, 1), (3, 2)])
    func matchesDirect(_ sp: (Int, Int)) {
        let x = randomTensor([2, 3, 7, 6], seed: 1), w = randomTensor([4, 3, 3, 2], seed: 2), b = randomTensor([4], seed: 3)
        let y = conv2d(x, weight: w, bias: b, stride: sp.0, padding: sp.1)
        #expect(relativeError(y, directConvolution(x, w, b, stride: sp.0, padding: sp.1)) <= 1e-14)
    }

    @Test("col2im is the adjoint of im2col: ⟨windows(x), r⟩ = ⟨x, windowsAdded(r)⟩")
    func adjoint() {
        let g = ConvolutionGeometry(input: [2, 2, 5, 4], kernel: (3, 2), stride: 2, padding: 1)
        let x = randomTensor([2, 2, 5, 4], seed: 4), r = randomTensor([g.windowCount, g.windowSize], seed: 5)
        #expect(abs(dot(x.windows(g), r).scalar - dot(x, r.windowsAdded(g)).scalar) <= 1e-12)
    }

    @Test("The per-image products are each other's adjoints: ⟨W ⋆ x, Y⟩ = ⟨x, inputGradient(Y, W)⟩ = ⟨W, weightGradient(x, Y)⟩",
          arguments: [(1, 0), (1, 1), (2, 1), (3, 2), (1, 3)])
    func productAdjoints(_ sp: (Int, Int)) {
        // (1, 3): padding wider than the kernel, so some kernel columns meet no input column.
        let g = ConvolutionGeometry(input: [3, 2, 6, 5], kernel: (3, 2), stride: sp.0, padding: sp.1)
        let x = randomTensor([3, 2, 6, 5], seed: 11), w = randomTensor([4, g.windowSize], seed: 12)
        let y = randomTensor([3, 4, g.outputHeight, g.outputWidth], seed: 13)
        let forward = dot(ConvolutionProduct.forward(x, w, g).flattened(), y.flattened()).scalar
        #expect(abs(forward - dot(x.flattened(), ConvolutionProduct.inputGradient(y, w, g).flattened()).scalar) <= 1e-12 * abs(forward))
        #expect(abs(forward - dot(w.flattened(), ConvolutionProduct.weightGradient(x, y, g).flattened()).scalar) <= 1e-12 * abs(forward))
        // And the whole-batch im2col route gives the same numbers.
        let rows = matmul(x.windows(g), transposed: w)
        let l = g.outputHeight * g.outputWidth
        let reference = rows.reshaped(to: [3, l, 4]).permuted([0, 2, 1]).reshaped(to: [3, 4, g.outputHeight, g.outputWidth])
        #expect(relativeError(ConvolutionProduct.forward(x, w, g), reference) <= 1e-14)
    }

    @Test("A batch big enough to be cut in two chunks gives the whole-batch im2col route's numbers, in every map")
    func chunkedBatchesMatchTheWholeBatchRoute() {
        let g = ConvolutionGeometry(input: [21, 4, 16, 16], kernel: (3, 3), stride: 1, padding: 1)
        let (out, l) = (8, g.outputHeight * g.outputWidth)
        #expect(ConvolutionProduct.chunkCount(g, work: out * g.windowSize * l) == 2, "the case exercises two chunks")
        let x = randomTensor([21, 4, 16, 16], seed: 21), w = randomTensor([out, g.windowSize], seed: 22)
        let y = randomTensor([21, out, 16, 16], seed: 23)
        let rows = matmul(x.windows(g), transposed: w)
        let forward = rows.reshaped(to: [21, l, out]).permuted([0, 2, 1]).reshaped(to: [21, out, 16, 16])
        #expect(relativeError(ConvolutionProduct.forward(x, w, g), forward) <= 1e-14)
        let yRows = y.reshaped(to: [21, out, l]).permuted([0, 2, 1]).reshaped(to: [21 * l, out])
        #expect(relativeError(ConvolutionProduct.inputGradient(y, w, g), matmul(yRows, w).windowsAdded(g)) <= 1e-13)
        #expect(relativeError(ConvolutionProduct.weightGradient(x, y, g), matmul(yRows.transposed(), x.windows(g))) <= 1e-13)
    }

    @Test("Convolution gradients and HVPs (input, weight, bias) against finite differences")
    func derivatives() {
        let x = randomTensor([2, 2, 5, 5], seed: 6), w = randomTensor([3, 2, 3, 3], seed: 7), b = randomTensor([3], seed: 8)
        let r = randomTensor([2, 3, 3, 3], seed: 9)
        // one vector θ = (x, w, b) so the HVP has the cross terms of the bilinear map
        let sizes = [x.count, w.count, b.count]
        let f = { (t: Tensor) -> Tensor in
            let xi = t[0..<sizes[0]].reshaped(to: x.shape)
            let wi = t[sizes[0]..<(sizes[0] + sizes[1])].reshaped(to: w.shape)
            let bi = t[(sizes[0] + sizes[1])..<t.count]
            return (tanh(conv2d(xi, weight: wi, bias: bi, stride: 2, padding: 1)) * r).sum()
        }
        let theta = Tensor(concatenating: [x.flattened(), w.flattened(), b])
        #expect(relativeError(gradient(at: theta, in: f), FiniteDifferences.gradient(f, at: theta)) <= 1e-8)
        let v = randomTensor([theta.count], seed: 10)
        #expect(relativeError(hessianVectorProduct(at: theta, along: v, in: f),
                              FiniteDifferences.hessianVectorProduct(f, at: theta, along: v)) <= 1e-6)
    }

    @Test("Pooling by hand: max, average (with zero padding), global average, and their gradients")
    func poolingByHand() {
        let x = Tensor(shape: [1, 1, 4, 4], scalars: [1, 5, 2, 0,
                                                      3, 4, 8, 1,
                                                      0, 2, 1, 1,
                                                      9, 1, 3, 6])
        #expect(maxPool2d(x, kernel: 2) == Tensor(shape: [1, 1, 2, 2], scalars: [5, 8, 9, 6]))
        #expect(gradient(at: x) { maxPool2d($0, kernel: 2).sum() }
                == Tensor(shape: [1, 1, 4, 4], scalars: [0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1]))
        #expect(avgPool2d(x, kernel: 2) == Tensor(shape: [1, 1, 2, 2], scalars: [13.0 / 4, 11.0 / 4, 12.0 / 4, 11.0 / 4]))
        #expect(gradient(at: x) { avgPool2d($0, kernel: 2).sum() } == Tensor(repeating: 0.25, shape: [1, 1, 4, 4]))
        // 3×3 windows, stride 2, padding 1: the corner window sees 1,5,3,4 and five zeros
        let padded = avgPool2d(x, kernel: 3, stride: 2, padding: 1)
        #expect(padded.shape == [1, 1, 2, 2] && padded.scalars[0] == 13.0 / 9)
        // max pooling pads with −∞: a negative image keeps its own maxima
        #expect(maxPool2d(-x, kernel: 3, stride: 2, padding: 1).scalars[0] == -1)
        #expect(globalAvgPool(x) == Tensor(shape: [1, 1], scalars: [47.0 / 16]))
        #expect(gradient(at: x) { globalAvgPool($0).sum() } == Tensor(repeating: 1.0 / 16, shape: [1, 1, 4, 4]))
        #expect(x.flattenedBatch().shape == [1, 16])
    }

    @Test("Pooling gradients and HVPs against finite differences", arguments: ["max", "avg", "global"])
    func poolingDerivatives(_ kind: String) {
        let x = randomTensor([2, 3, 6, 6], seed: 11), v = randomTensor([2, 3, 6, 6], seed: 12)
        let pool = { (x: Tensor) -> Tensor in
            switch kind {
            case "max": maxPool2d(x, kernel: 3, stride: 2, padding: 1)
            case "avg": avgPool2d(x, kernel: 2, stride: 1)
            default: globalAvgPool(x)
            }
        }
        let f = { (x: Tensor) -> Tensor in sin(pool(x) * 3).sum() + pool(x.squared()).sum() }
        #expect(relativeError(gradient(at: x, in: f), FiniteDifferences.gradient(f, at: x)) <= 1e-8)
        #expect(relativeError(hessianVectorProduct(at: x, along: v, in: f),
                              FiniteDifferences.hessianVectorProduct(f, at: x, along: v)) <= 1e-6)
    }
}
