import Testing
@testable import Models
import Autodiff

@Suite struct MLPTests {
    @Test("Names, shapes and the flat layout")
    func layout() {
        let net = MLP(sizes: [2, 64, 64, 2])
        #expect(net.parameterNames == ["layer0.weight", "layer0.bias", "layer1.weight", "layer1.bias", "layer2.weight", "layer2.bias"])
        #expect(net.parameterShapes == [[64, 2], [64], [64, 64], [64], [2, 64], [2]])
        // 2·64 + 64 + 64·64 + 64 + 64·2 + 2 = 4482
        #expect(net.parameterCount == 4482)
        let p = net.initialParameters(seed: 0)
        #expect(net.layout.unflatten(net.layout.flatten(p)) == p)
        #expect(net.named(p)[2].name == "layer1.weight" && net.named(p)[2].value.shape == [64, 64])
    }

    @Test("PyTorch's Linear initialization bounds ±1/√fan_in, seeded")
    func initialization() {
        let net = MLP(sizes: [4, 16, 3])
        let p = net.initialParameters(seed: 7)
        #expect(p[0].scalars.allSatisfy { abs($0) <= 0.5 } && p[2].scalars.allSatisfy { abs($0) <= 0.25 })
        #expect(p == net.initialParameters(seed: 7) && p != net.initialParameters(seed: 8))
    }

    @Test("Forward pass by hand on a 1→1→1 network, with and without a skip")
    func forwardByHand() {
        let params = [Tensor(shape: [1, 1], scalars: [2]), Tensor([-1]), Tensor(shape: [1, 1], scalars: [3]), Tensor([0.5])]
        let x = Tensor(shape: [2, 1], scalars: [1, -1])
        // h = relu(2x − 1) = (1, 0); y = 3h + 0.5 = (3.5, 0.5)
        #expect(MLP(sizes: [1, 1, 1], activation: .relu)(x, params).scalars == [3.5, 0.5])
        // tanh: h = tanh(2x − 1) = (tanh 1, tanh −3)
        let y = MLP(sizes: [1, 1, 1], activation: .tanh)(x, params).scalars
        #expect(abs(y[0] - (3 * Foundation_tanh(1) + 0.5)) < 1e-14 && abs(y[1] - (3 * Foundation_tanh(-3) + 0.5)) < 1e-14)
        // A skip needs a hidden layer whose input and output widths agree: 1→1→1→1 with skips
        // adds h back in the middle layer: h₂ = h₁ + relu(w h₁ + b).
        let deep = [params[0], params[1], Tensor(shape: [1, 1], scalars: [1]), Tensor([1]), params[2], params[3]]
        // h₁ = (1, 0); h₂ = h₁ + relu(h₁ + 1) = (3, 1); y = 3h₂ + 0.5 = (9.5, 3.5)
        #expect(MLP(sizes: [1, 1, 1, 1], activation: .relu, skips: true)(x, deep).scalars == [9.5, 3.5])
        // without the skip: h₂ = relu(h₁ + 1) = (2, 1); y = (6.5, 3.5)
        #expect(MLP(sizes: [1, 1, 1, 1], activation: .relu)(x, deep).scalars == [6.5, 3.5])
    }

    @Test("Parameter gradients through autodiff match central finite differences", arguments: Activation.allCases)
    func gradientsMatchFiniteDifferences(activation: Activation) {
        let net = MLP(sizes: [2, 5, 5, 3], activation: activation, skips: true)
        let data = Datasets.blobs(count: 12, seed: 1)
        let theta = net.layout.flatten(net.initialParameters(seed: 2))
        let loss = { (t: Tensor) -> Tensor in softmaxCrossEntropy(logits: net(data.inputs, flat: t), labels: data.labels) }
        let g = gradient(at: theta, in: loss)
        let h = 1e-6
        for i in stride(from: 0, to: theta.count, by: 7) {
            var plus = theta.scalars, minus = theta.scalars
            plus[i] += h; minus[i] -= h
            let fd = (loss(Tensor(plus)).scalar - loss(Tensor(minus)).scalar) / (2 * h)
            #expect(abs(fd - g.scalars[i]) < 1e-7, "\(activation) θ[\(i)]: autodiff \(g.scalars[i]) vs FD \(fd)")
        }
    }

    @Test("forward exposes each layer's input and pre-activation (for K-FAC)")
    func layerQuantities() {
        let net = MLP(sizes: [2, 3, 2])
        let p = net.initialParameters(seed: 0)
        let x = Datasets.twoMoons(count: 4, seed: 0).inputs
        let f = net.forward(x, parameters: p)
        #expect(f.layerInputs.map(\.shape) == [[4, 2], [4, 3]] && f.preActivations.map(\.shape) == [[4, 3], [4, 2]])
        #expect(f.output == f.preActivations[1])
    }
}

private func Foundation_tanh(_ x: Double) -> Double { tanh(x) }
