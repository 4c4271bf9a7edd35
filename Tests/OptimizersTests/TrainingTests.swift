import Testing
@testable import Optimizers
import Models
import Autodiff

@Suite struct TrainingTests {
    @Test("Schedules: constant, step, cosine, warm-up")
    func schedules() {
        #expect(Schedule.constant(0.1)(7) == 0.1)
        // StepLR: 0.1 for t < 10, 0.05 for 10 ≤ t < 20, 0.025 after.
        let s = Schedule.step(0.1, every: 10, factor: 0.5)
        #expect(s(9) == 0.1 && s(10) == 0.05 && s(25) == 0.025)
        // Cosine from 1 to 0 over 100 steps: 1 at 0, ½ at 50, 0 at 100 and after.
        let c = Schedule.cosine(from: 1, steps: 100)
        #expect(c(0) == 1 && abs(c(50) - 0.5) < 1e-15 && abs(c(100)) < 1e-15 && abs(c(150)) < 1e-15)
        // Warm-up over 4 steps to a constant 0.2: 0.05, 0.1, 0.15, 0.2, then 0.2.
        let w = Schedule.warmup(steps: 4, then: .constant(0.2))
        #expect([0, 1, 2, 3, 4, 9].map { w($0) } == [0.05, 0.1, 0.15000000000000002, 0.2, 0.2, 0.2])
    }

    @Test("A scheduled SGD takes steps of the scheduled length")
    func scheduledSGD() {
        // f = x on a line: g = 1 always, so x moves by −ηₜ: 1 → 0.9 → 0.85 → 0.825 with η = 0.1·½ᵗ.
        let run = SGD(schedule: .step(0.1, every: 1, factor: 0.5)).minimize(from: [1], steps: 3) { x in x[0] }
        #expect(run.xs.enumerated().allSatisfy { i, x in abs(x - [1, 0.9, 0.85, 0.825][i]) < 1e-15 })
        // AdamW's decoupled decay follows the scheduled rate too: −ηₜ(adam + λθ).
        let a = AdamW(weightDecay: 0.5, schedule: .constant(0.1)).minimize(from: [2], steps: 1) { x in 0 * x[0] }
        #expect(abs(a.xs[1] - 2 * (1 - 0.1 * 0.5)) < 1e-15)
    }

    @Test("Adam trains an MLP on two moons to ≥ 97 % training accuracy")
    func fitTwoMoons() {
        let net = MLP(sizes: [2, 16, 16, 2], activation: .tanh)
        let data = Datasets.twoMoons(count: 200, noise: 0.1, seed: 0)
        let (params, history) = Adam(lr: 0.02).fit(net, to: data, steps: 300, seed: 1)
        #expect(history.losses.count == 300 && !history.diverged)
        #expect(history.finalLoss < 0.1 * history.losses[0], "\(history.losses[0]) → \(history.finalLoss)")
        #expect(accuracy(logits: net(data.inputs, params), labels: data.labels) >= 0.97)
        // Same seed, same run.
        #expect(Adam(lr: 0.02).fit(net, to: data, steps: 20, seed: 1).history.losses == Array(history.losses.prefix(20)))
    }

    @Test("Minibatch SGD with momentum also learns two moons; batches are seeded")
    func fitMinibatch() {
        let net = MLP(sizes: [2, 16, 16, 2], activation: .relu)
        let data = Datasets.twoMoons(count: 256, noise: 0.1, seed: 2)
        let (params, history) = SGD(lr: 0.1, momentum: 0.9).fit(net, to: data, steps: 400, batchSize: 32, seed: 3)
        #expect(accuracy(logits: net(data.inputs, params), labels: data.labels) >= 0.95)
        #expect(SGD(lr: 0.1, momentum: 0.9).fit(net, to: data, steps: 10, batchSize: 32, seed: 3).history.losses
                == Array(history.losses.prefix(10)))
    }

    @Test("Sharpness by power iteration matches the exact top eigenvalue of a linear-regression Hessian")
    func sharpnessOfLinearRegression() {
        // One dense layer (no hidden layer) with MSE: L(W, b) = (1/n)‖XWᵀ + b − y‖², so
        // ∇²L = (2/n)·[X 1]ᵀ[X 1] whatever the parameters.
        let data = Datasets.teacherStudent(count: 50, inputDimension: 3, seed: 4)
        let net = MLP(sizes: [3, 1])
        var design = [Double]()
        for row in data.points { design += row + [1] }
        let a = Tensor(shape: [50, 4], scalars: design)
        let exact = symmetricEigenvalues(matmul(a.transposed(), a) * (2.0 / 50)).scalars.max()!
        let estimate = topHessianEigenvalue(of: net.loss(on: data), at: net.initialParameters(seed: 0), iterations: 200)
        #expect(abs(estimate - exact) < 1e-6 * exact, "\(estimate) vs \(exact)")
        let (_, history) = SGD(lr: 0.05).fit(net, to: data, steps: 10, sharpnessEvery: 5, sharpnessIterations: 200)
        #expect(history.sharpness.map(\.step) == [0, 5])
        #expect(history.sharpness.allSatisfy { abs($0.value - exact) < 1e-6 * exact })
    }
}

@Suite struct LogisticRegressionTests {
    @Test("A one-output network is trained with binary cross-entropy (logistic regression)")
    func logisticRegression() {
        let net = MLP(sizes: [2, 1])
        let data = Datasets.linear(count: 200, margin: 0.2, seed: 5)
        let p = net.initialParameters(seed: 0)
        // The loss is the binary one: log 2 at zero logits, not softmax over a single logit (≡ 0).
        let zero = p.map { Tensor.zeros($0.shape) }
        #expect(abs(net.loss(on: data)(zero).scalar - log(2.0)) < 1e-12)
        let (params, _) = Adam(lr: 0.1).fit(net, to: data, steps: 200)
        #expect(accuracy(logits: net(data.inputs, params), labels: data.labels) >= 0.99)
        let (kParams, _) = KFAC(lr: 0.5, statsEvery: 1, inversesEvery: 1).fit(net, to: data, steps: 50)
        #expect(accuracy(logits: net(data.inputs, kParams), labels: data.labels) >= 0.99)
    }
}
