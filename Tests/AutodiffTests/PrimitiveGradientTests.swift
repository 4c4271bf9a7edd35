import Testing
@testable import Autodiff

/// A primitive under test: a name, the input shape and domain, and the operation.
struct Primitive: CustomTestStringConvertible, Sendable {
    let name: String
    let shape: [Int]
    var domain: ClosedRange<Double> = -2...2
    let op: @Sendable (Tensor) -> Tensor
    var testDescription: String { name }
}

let unaryPrimitives: [Primitive] = [
    Primitive(name: "neg", shape: [3, 4]) { -$0 },
    Primitive(name: "exp", shape: [3, 4]) { exp($0) },
    Primitive(name: "log", shape: [3, 4], domain: 0.2...3) { log($0) },
    Primitive(name: "log1p", shape: [3, 4], domain: -0.5...3) { log1p($0) },
    Primitive(name: "tanh", shape: [3, 4], domain: -3...3) { tanh($0) },
    Primitive(name: "sigmoid", shape: [3, 4], domain: -4...4) { sigmoid($0) },
    Primitive(name: "relu", shape: [3, 4], domain: 0.1...2) { relu($0) - relu(-$0) * 2 },
    Primitive(name: "gelu", shape: [3, 4], domain: -3...3) { gelu($0) },
    Primitive(name: "softplus", shape: [3, 4], domain: -4...4) { softplus($0) },
    Primitive(name: "sqrt", shape: [3, 4], domain: 0.2...3) { sqrt($0) },
    Primitive(name: "abs", shape: [3, 4], domain: 0.1...2) { abs($0) + abs(-2 * $0) },
    Primitive(name: "sin", shape: [3, 4]) { sin($0) },
    Primitive(name: "cos", shape: [3, 4]) { cos($0) },
    Primitive(name: "erf", shape: [3, 4]) { erf($0) },
    Primitive(name: "squared", shape: [3, 4]) { $0.squared() },
    Primitive(name: "pow 3", shape: [3, 4]) { pow($0, 3) },
    Primitive(name: "pow 0.5", shape: [3, 4], domain: 0.2...3) { pow($0, 0.5) },
    Primitive(name: "tensor + double, double + tensor", shape: [3, 4]) { ($0 + 2.5) * (1.5 + $0) },
    Primitive(name: "tensor - double, double - tensor", shape: [3, 4]) { ($0 - 2.5) * (1.5 - $0) },
    Primitive(name: "tensor * double, double * tensor", shape: [3, 4]) { ($0 * 2.5).squared() * (1.5 * $0) },
    Primitive(name: "tensor / double, double / tensor", shape: [3, 4], domain: 0.5...2) { ($0 / 2.5) * (1.5 / $0) },
    Primitive(name: "x / x", shape: [3, 4], domain: 0.5...2) { exp($0) / ($0 * $0) },
    Primitive(name: "maximum/minimum", shape: [3, 4]) { maximum($0, $0.squared() * 0.5 - 0.3) + minimum($0, sin($0 * 3)) },
    // reductions along each axis
    Primitive(name: "sum", shape: [3, 4]) { ($0 * $0).sum() },
    Primitive(name: "sum axis 0", shape: [3, 4]) { $0.sum(axis: 0) },
    Primitive(name: "sum axis 1 keepingDims", shape: [3, 4]) { $0.sum(axis: 1, keepingDims: true) },
    Primitive(name: "sum axis -1 of rank 3", shape: [2, 3, 4]) { $0.sum(axis: -1) },
    Primitive(name: "sum axis 1 of rank 3", shape: [2, 3, 4]) { $0.sum(axis: 1) },
    Primitive(name: "mean", shape: [3, 4]) { exp($0).mean() },
    Primitive(name: "mean axis 0", shape: [3, 4]) { exp($0).mean(axis: 0) },
    Primitive(name: "mean axis 1", shape: [3, 4]) { exp($0).mean(axis: 1) },
    Primitive(name: "max", shape: [3, 4]) { $0.max() + $0.min() },
    Primitive(name: "max axis 0", shape: [3, 4]) { $0.max(axis: 0) },
    Primitive(name: "max axis 1", shape: [3, 4]) { $0.max(axis: 1, keepingDims: true) },
    Primitive(name: "min axis 1", shape: [3, 4]) { $0.min(axis: 1) },
    Primitive(name: "logSumExp", shape: [3, 4]) { $0.logSumExp() },
    Primitive(name: "logSumExp axis 0", shape: [3, 4]) { $0.logSumExp(axis: 0) },
    Primitive(name: "logSumExp axis 1", shape: [3, 4]) { $0.logSumExp(axis: 1, keepingDims: true) },
    Primitive(name: "norm", shape: [3, 4]) { $0.norm() },
    Primitive(name: "norm axis 1", shape: [3, 4]) { $0.norm(axis: 1) },
    Primitive(name: "softmax axis 1", shape: [3, 4]) { softmax($0) },
    Primitive(name: "softmax axis 0", shape: [3, 4]) { softmax($0, axis: 0) },
    Primitive(name: "logSoftmax", shape: [3, 4]) { logSoftmax($0) },
    Primitive(name: "softmaxCrossEntropy", shape: [3, 4]) { softmaxCrossEntropy(logits: $0 * 2, labels: [2, 0, 3]) },
    Primitive(name: "dot", shape: [5]) { dot($0, exp($0)) },
    // shapes
    Primitive(name: "reshaped", shape: [3, 4]) { $0.reshaped(to: [2, -1]) * Tensor.range(12).reshaped(to: [2, 6]) },
    Primitive(name: "transposed", shape: [3, 4]) { $0.transposed() * Tensor.range(12).reshaped(to: [4, 3]) },
    Primitive(name: "permuted", shape: [2, 3, 4]) { $0.permuted([2, 0, 1]) },
    Primitive(name: "slice axis 1", shape: [3, 4]) { $0.slice(axis: 1, 1..<3) },
    Primitive(name: "rows subscript", shape: [4, 3]) { $0[1..<3] },
    Primitive(name: "subscript x[i]", shape: [5]) { $0[1] * $0[3] + $0[1] },
    Primitive(name: "subscript x[i, j]", shape: [3, 4]) { $0[1, 2] * $0[2, 3] },
    Primitive(name: "concatenating axis 0", shape: [2, 3]) { Tensor(concatenating: [$0, $0.squared()], axis: 0) },
    Primitive(name: "concatenating axis 1", shape: [2, 3]) { Tensor(concatenating: [$0, exp($0)], axis: 1) },
    Primitive(name: "stacking", shape: [3]) { Tensor(stacking: [$0, $0 * $0]) },
    Primitive(name: "gathering rows (repeats)", shape: [4, 3]) { $0.gathering(atIndices: [3, 0, 3]) },
    Primitive(name: "gathering axis 1", shape: [3, 4]) { $0.gathering(atIndices: [1, 1, 2], alongAxis: 1) },
    Primitive(name: "picking per row", shape: [3, 4]) { $0.picking(perRow: [3, 0, 1]) * 2 },
    Primitive(name: "broadcast(to:)", shape: [1, 4]) { $0.broadcast(to: [3, 4]) },
    Primitive(name: "sum(toShape:)", shape: [3, 4]) { $0.sum(toShape: [4]) },
    Primitive(name: "flatten/unflatten", shape: [10]) { x in
        let layout = ParameterLayout(shapes: [[2, 3], [4]])
        let parts = layout.unflatten(x)
        return layout.flatten([exp(parts[0]), parts[1] * parts[1]])
    },
    // products
    Primitive(name: "matmul matrix·matrix", shape: [3, 4]) { matmul($0, Tensor.range(8).reshaped(to: [4, 2]) * 0.1) },
    Primitive(name: "matmul matrix·matrix (same)", shape: [3, 3]) { matmul($0, $0) },
    Primitive(name: "matmul matrix·vector", shape: [3, 4]) { matmul($0, $0[0]) },
    Primitive(name: "matmul vector·matrix", shape: [4]) { matmul($0, Tensor.range(8).reshaped(to: [4, 2])) },
    Primitive(name: "matmul vector·vector", shape: [4]) { matmul($0, exp($0)) },
    Primitive(name: "matmul batched", shape: [2, 3, 3]) { matmul($0, $0) },
    Primitive(name: "matmul batched·matrix", shape: [2, 3, 4]) { matmul($0, Tensor.range(8).reshaped(to: [4, 2])) },
    Primitive(name: "matmul matrix·matrixᵀ (transposed:)", shape: [3, 4]) { matmul($0, transposed: Tensor.range(8).reshaped(to: [2, 4]) * 0.1) },
    Primitive(name: "matmul matrix·matrixᵀ (same)", shape: [3, 4]) { matmul($0, transposed: $0) },
    Primitive(name: "matmul batched·matrixᵀ", shape: [2, 3, 4]) { matmul($0, transposed: Tensor.range(8).reshaped(to: [2, 4])) },
    Primitive(name: "matmul + bias, in a", shape: [3, 4]) {
        matmul($0, transposed: Tensor.range(8).reshaped(to: [2, 4]) * 0.1, adding: Tensor([0.3, -0.2]))
    },
    Primitive(name: "matmul + bias, in b", shape: [2, 4]) {
        matmul(Tensor.range(12).reshaped(to: [3, 4]) * 0.1, transposed: $0, adding: Tensor([0.3, -0.2]))
    },
    Primitive(name: "matmul + bias, in bias", shape: [2]) {
        matmul(Tensor.range(12).reshaped(to: [3, 4]) * 0.1, transposed: Tensor.range(8).reshaped(to: [2, 4]) * 0.1, adding: $0) * $0
    },
    Primitive(name: "matmul + bias, all three", shape: [2, 4]) { matmul(exp($0), transposed: $0, adding: $0.sum(axis: 1)) },
    Primitive(name: "matrixProduct AᵀB", shape: [3, 3]) { matrixProduct($0, exp($0), transposeA: true, transposeB: false) },
    Primitive(name: "matrixProduct ABᵀ", shape: [3, 3]) { matrixProduct($0, exp($0), transposeA: false, transposeB: true) },
    Primitive(name: "matrixProduct AᵀBᵀ", shape: [3, 3]) { matrixProduct($0, exp($0), transposeA: true, transposeB: true) },
    Primitive(name: "batched AᵀB, ABᵀ, AᵀBᵀ", shape: [2, 3, 3]) {
        batchedProduct($0, exp($0), transposeA: true, transposeB: false)
            + batchedProduct($0, sin($0), transposeA: false, transposeB: true)
            + batchedProduct($0, $0, transposeA: true, transposeB: true)
    },
    Primitive(name: "solve", shape: [3, 3]) { a in
        try! solve(a + Tensor.identity(3) * 3, Tensor([1, 2, 3]) + a[0])
    },
    Primitive(name: "solve with matrix right-hand side", shape: [3, 3]) { a in
        try! solve(a + Tensor.identity(3) * 3, a.squared())
    },
]

/// Binary operators with broadcasting, differentiated with respect to both operands.
let broadcastShapes: [([Int], [Int])] = [
    ([3, 4], [3, 4]), ([3, 4], [4]), ([3, 4], [1, 4]), ([3, 4], [3, 1]), ([3, 4], []), ([4], [3, 4]),
    ([3, 1], [1, 4]), ([2, 3, 4], [3, 1]), ([], [2, 3]),
]

@Suite struct PrimitiveGradientTests {
    /// ∇ of ⟨W, op(x)⟩ for a fixed random W (so every output element gets its own cotangent)
    /// matches central differences to 1e-7 relative.
    @Test(arguments: unaryPrimitives)
    func gradientMatchesFiniteDifferences(_ p: Primitive) {
        let x = randomTensor(p.shape, in: p.domain, seed: 11)
        let outShape = p.op(x).shape
        let w = randomTensor(outShape, seed: 12)
        let f = { (x: Tensor) -> Tensor in (p.op(x) * w).sum() }
        let g = gradient(at: x, in: f)
        let fd = FiniteDifferences.gradient(f, at: x)
        #expect(relativeError(g, fd) <= 1e-7, "\(p.name): gradient \(g) vs finite differences \(fd)")
    }

    /// The recorded backward pass is itself correct: H·v of ⟨W, op(x)²⟩ matches finite
    /// differences of exact gradients (1e-5 relative).
    @Test(arguments: unaryPrimitives)
    func hessianVectorProductMatchesFiniteDifferences(_ p: Primitive) {
        let x = randomTensor(p.shape, in: p.domain, seed: 21)
        let outShape = p.op(x).shape
        let w = randomTensor(outShape, seed: 22)
        let v = randomTensor(p.shape, seed: 23) * 0.5
        let f = { (x: Tensor) -> Tensor in (p.op(x).squared() * w).sum() }
        let hv = hessianVectorProduct(at: x, along: v, in: f)
        let fd = FiniteDifferences.hessianVectorProduct(f, at: x, along: v)
        #expect(relativeError(hv, fd) <= 1e-5, "\(p.name): HVP \(hv) vs finite differences \(fd)")
    }

    @Test(arguments: broadcastShapes)
    func broadcastingArithmeticGradients(_ shapes: ([Int], [Int])) {
        let a = randomTensor(shapes.0, in: 0.5...2, seed: 31), b = randomTensor(shapes.1, in: 0.5...2, seed: 32)
        let out = broadcastShape(shapes.0, shapes.1)!
        let w = randomTensor(out, seed: 33)
        let f = { (a: Tensor, b: Tensor) -> Tensor in ((a + b) * (a - b) + a * b + a / b - b / a) * w }
        let (ga, gb) = gradient(at: a, b) { a, b in f(a, b).sum() }
        let fda = FiniteDifferences.gradient({ f($0, b).sum() }, at: a)
        let fdb = FiniteDifferences.gradient({ f(a, $0).sum() }, at: b)
        #expect(ga.shape == a.shape && gb.shape == b.shape)
        #expect(relativeError(ga, fda) <= 1e-7)
        #expect(relativeError(gb, fdb) <= 1e-7)
    }

    @Test func broadcastingFollowsNumPy() {
        let m = Tensor([[1, 2, 3], [4, 5, 6]])
        #expect((m + Tensor([10, 20, 30])).scalars == [11, 22, 33, 14, 25, 36])
        #expect((m + Tensor(shape: [2, 1], scalars: [10, 20])).scalars == [11, 12, 13, 24, 25, 26])
        #expect((m * 2).scalars == [2, 4, 6, 8, 10, 12])
        #expect((1 - m).scalars == [0, -1, -2, -3, -4, -5])
        #expect(broadcastShape([3, 1], [1, 4]) == [3, 4])
        #expect(broadcastShape([3, 2], [3]) == nil)
    }

    @Test func reductionsAlongEachAxis() {
        let m = Tensor([[1, 5, 3], [4, 2, 6]])
        #expect(m.sum().scalar == 21)
        #expect(m.sum(axis: 0).scalars == [5, 7, 9])
        #expect(m.sum(axis: 1).scalars == [9, 12])
        #expect(m.sum(axis: 1, keepingDims: true).shape == [2, 1])
        #expect(m.mean(axis: 0).scalars == [2.5, 3.5, 4.5])
        #expect(m.max(axis: 0).scalars == [4, 5, 6])
        #expect(m.max(axis: 1).scalars == [5, 6])
        #expect(m.argmax(axis: 1) == [1, 2])
        #expect(m.argmax(axis: 0) == [1, 0, 1])
        #expect(m.argmax() == 5)
        #expect(m.max().scalar == 6 && m.min().scalar == 1)
        let lse = Tensor([0.0, log(3.0)]).logSumExp().scalar
        #expect(abs(lse - log(4.0)) < 1e-15)
        #expect(Tensor([1000.0, 1000.0]).logSumExp().scalar == 1000 + log(2.0))
    }

    @Test func shapeOperations() {
        let m = Tensor([[1, 2, 3], [4, 5, 6]])
        #expect(m.transposed().scalars == [1, 4, 2, 5, 3, 6])
        #expect(m.T.shape == [3, 2])
        #expect(m.reshaped(to: [3, -1]).shape == [3, 2])
        #expect(m.slice(axis: 1, 1..<3).scalars == [2, 3, 5, 6])
        #expect(Tensor(concatenating: [m, m], axis: 1).scalars == [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6])
        #expect(Tensor(stacking: [Tensor([1, 2]), Tensor([3, 4])]).shape == [2, 2])
        #expect(m.gathering(atIndices: [1, 1, 0]).scalars == [4, 5, 6, 4, 5, 6, 1, 2, 3])
        #expect(m.picking(perRow: [2, 0]).scalars == [3, 4])
        let cube = Tensor(shape: [2, 3, 4], scalars: (0..<24).map(Double.init))
        let p = cube.permuted([2, 0, 1])
        #expect(p.shape == [4, 2, 3])
        #expect(p[3][1][2].scalar == cube[1][2][3].scalar)
    }

    @Test func matmulShapes() {
        let a = Tensor([[1, 2], [3, 4]])
        #expect(matmul(a, a).scalars == [7, 10, 15, 22])
        #expect(matmul(a, Tensor([1, 1])).scalars == [3, 7])
        #expect(matmul(Tensor([1, 1]), a).scalars == [4, 6])
        #expect(matmul(Tensor([1, 2]), Tensor([3, 4])).scalar == 11)
        #expect(matmul(a, transposed: a).scalars == matmul(a, a.transposed()).scalars)
        let batch = Tensor(stacking: [a, a * 2])
        #expect(matmul(batch, a).scalars == [7, 10, 15, 22, 14, 20, 30, 44])
        #expect(matmul(batch, batch).scalars == [7, 10, 15, 22, 28, 40, 60, 88])
    }

    @Test func fastExpIsAccurate() {
        var rng = RNG(seed: 6)
        var xs = (0..<20000).map { _ in rng.uniform(in: -30...30) }
        xs += (0..<20000).map { _ in rng.uniform(in: -1e-3...1e-3) }
        xs += (0..<2000).map { _ in rng.uniform(in: -760...720) }
        xs += [0, -0.0, 1, -1, 708.9, 709, 709.5, 710, -708, -708.5, -745, -745.2, -746, -1e30, 1e-300,
               .infinity, -.infinity]
        let e = exp(Tensor(xs))
        var worst = 0.0
        for (x, y) in zip(xs, e.scalars) {
            let exact = Glibc.exp(x)
            if exact == 0 || exact.isInfinite || exact < Double.leastNormalMagnitude {
                #expect(y == exact, "exp(\(x)) = \(y), C library \(exact)")
            } else {
                worst = max(worst, abs(y - exact) / exact)
            }
        }
        #expect(worst < 5e-16, "worst relative error \(worst)")
        #expect(exp(Tensor(Double.nan)).scalar.isNaN)
        #expect(abs(Tensor([0, 1, 2]).logSumExp().scalar - (Glibc.log(1 + Glibc.exp(-1) + Glibc.exp(-2)) + 2)) <= 1e-15)
    }

    @Test func fastTanhIsAccurate() {
        var rng = RNG(seed: 5)
        var worst = 0.0
        var xs = (0..<20000).map { _ in rng.uniform(in: -25...25) }
        xs += (0..<20000).map { _ in rng.uniform(in: -0.3...0.3) }
        xs += [0, -0.0, 0.2, -0.2, 19.1, -19.1, 1e-300, 5e-324, 710, -710]
        let t = tanh(Tensor(xs))
        for (x, y) in zip(xs, t.scalars) {
            let exact = Glibc.tanh(x)
            worst = max(worst, abs(y - exact) / max(abs(exact), Double.leastNormalMagnitude))
        }
        #expect(worst < 1e-15, "worst relative error \(worst)")
        #expect(tanh(Tensor(Double.nan)).scalar.isNaN)
        // The portable SSE2 loop (what runs without AVX2/FMA) to the same accuracy, and the
        // dispatching kernel on lengths that leave a tail.
        var portable = [Double](repeating: 0, count: xs.count)
        xs.withUnsafeBufferPointer { tanhKernelPortable($0.baseAddress!, &portable, xs.count) }
        worst = 0
        for (x, y) in zip(xs, portable) {
            worst = max(worst, abs(y - Glibc.tanh(x)) / max(abs(Glibc.tanh(x)), Double.leastNormalMagnitude))
        }
        #expect(worst < 1e-15, "portable kernel: worst relative error \(worst)")
        for n in [1, 7, 8, 9, 17] {
            let part = Array(xs.prefix(n))
            #expect(tanh(Tensor(part)).scalars == Array(t.scalars.prefix(n)))
        }
    }
}
