import Testing
@testable import Autodiff

@Suite struct TensorBasicsTests {
    @Test func printsLikeNumPy() {
        #expect(Tensor([1.0, 2.0]).description == "Tensor(shape: [2])\n[1.0, 2.0]")
        #expect(Tensor([[2, 1], [1, -3.5]]).description == "Tensor(shape: [2, 2])\n[[ 2.0,  1.0],\n [ 1.0, -3.5]]")
        #expect(Tensor(0.1).description == "Tensor(0.1)")
        #expect(Tensor(1.0 / 3).description == "Tensor(0.33333333)")
        let cube = Tensor(shape: [2, 1, 2], scalars: [1, 2, 3, 4])
        #expect(cube.description == "Tensor(shape: [2, 1, 2])\n[[[1.0, 2.0]],\n\n [[3.0, 4.0]]]")
        let long = Tensor.range(2000).description
        #expect(long.contains("…") && long.count < 100)
    }

    @Test func literalsAndCreation() {
        let v: Tensor = [1, 2, 3]
        let s: Tensor = 2.5
        #expect(v.shape == [3] && s.shape == [] && s.scalar == 2.5)
        #expect(Tensor.zeros([2, 3]).count == 6)
        #expect(Tensor.ones([2]).scalars == [1, 1])
        #expect(Tensor.identity(2).scalars == [1, 0, 0, 1])
        #expect(Tensor.linspace(from: -1, to: 1, count: 5).scalars == [-1, -0.5, 0, 0.5, 1])
        #expect(Tensor.range(from: 0, to: 1, step: 0.25).scalars == [0, 0.25, 0.5, 0.75])
        var x = Tensor.zeros([3])
        x[1] = 5
        #expect(x.scalars == [0, 5, 0])
    }

    @Test func parameterLayoutRoundTrips() {
        let params = [Tensor([[1, 2, 3], [4, 5, 6]]), Tensor([7, 8]), Tensor(9.0)]
        let layout = ParameterLayout(params)
        #expect(layout.count == 9)
        #expect(layout.offsets == [0, 6, 8])
        let flat = layout.flatten(params)
        #expect(flat.scalars == [1, 2, 3, 4, 5, 6, 7, 8, 9])
        #expect(layout.unflatten(flat) == params)
    }

    @Test func gradientsWithRespectToAParameterSet() {
        let w = Tensor([[1, 2], [3, 4]]), b = Tensor([0.5, -0.5]), x = Tensor([1, -1])
        let (value, grads) = valueWithGradient(at: [w, b]) { p in (matmul(p[0], x) + p[1]).squared().sum() }
        // r = Wx + b = (-0.5, -1.5); ∂/∂W = 2 r xᵀ, ∂/∂b = 2r
        #expect(value == 0.25 + 2.25)
        #expect(grads[0].scalars == [-1, 1, -3, 3])
        #expect(grads[1].scalars == [-1, -3])
    }

    @Test func pullbackOfAVectorFunction() {
        let (y, pullback) = valueWithPullback(at: Tensor([1, 2, 3])) { x in x * x }
        #expect(y.scalars == [1, 4, 9])
        #expect(pullback(Tensor([1, 0, 1])).scalars == [2, 0, 6])
        #expect(pullback(Tensor([0, 1, 0])).scalars == [0, 4, 0])
    }

    @Test func untrackedCodeRecordsNothing() {
        let a = Tensor([1, 2]) * 3 + exp(Tensor([0, 1]))
        #expect(!a.isTracked)
        _ = gradient(at: Tensor([1.0])) { x in
            #expect(x.isTracked)
            #expect(!(Tensor([2.0]) * 2).isTracked)
            #expect((x * 2).isTracked)
            return x.sum()
        }
    }

    /// A long scalar formula in the style of chapter cells must type-check quickly (the
    /// literal conformances avoid overload explosions): this test exists to be compiled.
    @Test func longScalarExpressionTypeChecks() {
        let g = gradient(at: Tensor([0.1, 0.2, 0.3, 0.4])) { x in
            (1 - x[0]) * (1 - x[0]) + 100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0])
                + (1 - x[1]) * (1 - x[1]) + 100 * (x[2] - x[1] * x[1]) * (x[2] - x[1] * x[1])
                + (1 - x[2]) * (1 - x[2]) + 100 * (x[3] - x[2] * x[2]) * (x[3] - x[2] * x[2])
                + 0.5 * x[0] * x[3] - 2.0 * x[1] / (1 + x[2] * x[2]) + exp(-x[3] * x[3]) * 3
        }
        let fd = FiniteDifferences.gradient({ x in
            var s = Tensor(0.0)
            for i in 0..<3 { s = s + (1 - x[i]).squared() + 100 * (x[i + 1] - x[i].squared()).squared() }
            return s + 0.5 * x[0] * x[3] - 2.0 * x[1] / (1 + x[2].squared()) + exp(-x[3].squared()) * 3
        }, at: Tensor([0.1, 0.2, 0.3, 0.4]))
        #expect(relativeError(g, fd) <= 1e-7)
    }
}

@Suite struct NodeIndexTests {
    /// The backward pass's node table finds every node it was given, across growth, and
    /// nothing else.
    @Test func findsEveryInsertedNodeAcrossGrowth() {
        let nodes = (0..<1000).map { _ in Node(name: "test", inputs: [], outputShape: [], output: nil, rule: nil) }
        var index = NodeIndex(expected: 2)
        for (i, n) in nodes.enumerated() where i % 2 == 0 { index[n] = i }
        #expect(index.count == 500)
        for (i, n) in nodes.enumerated() {
            #expect(index[n] == (i % 2 == 0 ? i : nil))
        }
        index[nodes[0]] = 7
        #expect(index[nodes[0]] == 7 && index.count == 500)
    }
}
