import Testing
@testable import Optimizers
import Models
import Autodiff

@Suite struct MSharpnessTests {
    @Test("m-sharpness: the step uses the mean of per-chunk SAM gradients; m ≥ n is plain SAM")
    func chunks() {
        let net = MLP(sizes: [2, 4, 3], activation: .tanh)  // three blobs, three classes
        let data = Datasets.blobs(count: 12, seed: 3)
        let p0 = net.initialParameters(seed: 1)
        let lr = 0.1, rho = 0.05
        func stepped<O: Optimizer>(_ o: O) -> [Tensor] {
            var p = p0
            var s = o.makeState(for: p)
            _ = o.step(&p, state: &s, objective: Objective(net, on: data))
            return p
        }
        // By hand: chunks of 4 (three of them), each ε̂ₖ = ρ gₖ/‖gₖ‖, averaged g_SAM, then SGD.
        var expected = p0
        var sum = p0.map { Tensor.zeros($0.shape) }
        for k in 0..<3 {
            let loss = net.loss(on: data.subset(Array((4 * k)..<(4 * k + 4))))
            let g = gradient(at: p0, in: loss)
            let norm = globalNorm(g) + 1e-12
            let gs = gradient(at: zip(p0, g).map { $0 + (rho / norm) * $1 }, in: loss)
            sum = zip(sum, gs).map { $0 + $1 / 3.0 }
        }
        expected = zip(expected, sum).map { $0 - lr * $1 }
        let got = stepped(SAM(SGD(lr: lr), rho: rho, mSharpness: 4))
        for (a, b) in zip(got, expected) { #expect(a.isApproximatelyEqual(to: b, tolerance: 1e-12)) }
        // m = n (or more) is SAM itself.
        #expect(stepped(SAM(SGD(lr: lr), rho: rho, mSharpness: 12)) == stepped(SAM(SGD(lr: lr), rho: rho)))
        #expect(stepped(SAM(SGD(lr: lr), rho: rho, mSharpness: 4)) != stepped(SAM(SGD(lr: lr), rho: rho)))
    }
}
