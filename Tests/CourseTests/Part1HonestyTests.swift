import Foundation
import Testing
import LitOpt

/// Claims added to Part I with issue 22, checked at reduced size: the written-out SAM step of
/// chapter 2, the Muon/Shampoo identity and the SOAP-over-Adam result of chapter 3, and the
/// clipping demonstration of chapter 4.
struct Part1HonestyTests {
    /// Chapter 2, the two-pass cell: ascending to w + ρ·g/‖g‖, taking the gradient there and
    /// stepping from w is exactly what the engine's `SAM` over plain SGD does in one step.
    @Test func writtenOutSAMStepMatchesTheEngine() {
        let net = MLP(sizes: [2, 16, 2], activation: .relu)
        let data = Datasets.twoMoons(count: 60, noise: 0.1, seed: 3)
        let loss = net.loss(on: data)
        let w = net.initialParameters(seed: 1)
        let g = gradient(at: w, in: loss)
        let length = globalNorm(g)
        let ascended = zip(w, g).map { wi, gi in wi + (0.05 / (length + 1e-12)) * gi }
        let gSAM = gradient(at: ascended, in: loss)
        let byHand = zip(w, gSAM).map { wi, gi in (wi - 0.1 * gi).detached }
        var byEngine = w
        let sam = SAM(SGD(lr: 0.1), rho: 0.05)
        var state = sam.makeState(for: byEngine)
        _ = sam.step(&byEngine, state: &state, objective: Objective(loss))
        let gap = zip(byHand, byEngine).map { abs($0 - $1).max().scalar }.max()!
        #expect(gap < 1e-12, "largest difference \(gap)")
        // And the step is not trivially zero.
        #expect(globalNorm(zip(byHand, w).map { $0 - $1 }) > 1e-4)
    }

    /// Chapter 3, @sec-muon: with one step of statistics, Shampoo's L^{-1/4} M R^{-1/4} is the
    /// orthogonal factor UVᵀ of M (checked: (UVᵀ)ᵀ(UVᵀ) = I), and Muon's five Newton–Schulz
    /// steps land near it, with singular values within [0.5, 1.3] (the quintic is tuned to put
    /// them roughly in [0.7, 1.2], not to converge).
    @Test func shampooWithoutMemoryIsTheOrthogonalFactorAndMuonApproximatesIt() {
        var rng = RNG(seed: 4)
        let m = Tensor.randomNormal([6, 4], using: &rng)
        func inverseFourthRoot(_ s: Tensor) -> Tensor {
            let (values, vectors) = symmetricEigen(s)
            let d = Tensor(values.scalars.map { $0 > 1e-12 ? pow($0, -0.25) : 0 })
            return matmul(vectors * d.reshaped(to: [1, d.count]), vectors.transposed())
        }
        let polar = matmul(matmul(inverseFourthRoot(matmul(m, m.transposed())), m), inverseFourthRoot(matmul(m.transposed(), m)))
        #expect((matmul(polar.transposed(), polar) - Tensor.identity(4)).norm().scalar < 1e-10)
        let ns = Muon.orthogonalize(m)
        let singular = symmetricEigenvalues(matmul(ns.transposed(), ns)).scalars.map { $0.squareRoot() }
        #expect(singular.allSatisfy { $0 > 0.5 && $0 < 1.3 }, "singular values \(singular)")
    }

    /// Chapter 3, the race: on the ill-conditioned regression network, SOAP at the rate the
    /// chapter's search chose (0.03) ends below Adam at its chosen rate (0.1). Reduced: 150
    /// steps (the chapter: 300), one seed (three).
    @Test func soapEndsBelowAdamOnTheIllConditionedNetwork() {
        let dimension = 8
        var rng = RNG(seed: 2)
        let q = Tensor.randomNormal([dimension, dimension], using: &rng)
        let rotation = symmetricEigen(q + q.transposed()).vectors
        let scales = (0..<dimension).map { pow(0.03, Double($0) / Double(dimension - 1)) }
        let z = Tensor.randomNormal([256, dimension], using: &rng)
        let x = matmul(z * Tensor(scales).reshaped(to: [1, dimension]), rotation).detached
        let w1 = Tensor.randomNormal([dimension, 8], standardDeviation: 3, using: &rng)
        let w2 = Tensor.randomNormal([8, 1], standardDeviation: 0.5, using: &rng)
        let data = Dataset(inputs: x, targets: matmul(tanh(matmul(x, w1)), w2).detached)
        let net = MLP(sizes: [8, 32, 32, 1], activation: .tanh)
        func endLoss(_ optimizer: some Optimizer) -> Double {
            var p = net.initialParameters(seed: 0)
            var state = optimizer.makeState(for: p)
            let objective = Objective(net, on: data)
            var losses: [Double] = []
            for _ in 0..<150 { losses.append(optimizer.step(&p, state: &state, objective: objective).loss) }
            return losses.suffix(15).reduce(0, +) / 15
        }
        let adam = endLoss(Adam(lr: 0.1)), soap = endLoss(SOAP(lr: 0.03))
        #expect(soap < adam, "SOAP \(soap), Adam \(adam)")
    }

    /// Chapter 4, @sec-sophia-clip: Sophia's update with the exact Hessian diagonal, against
    /// the same update without the clip, on 50x² + ¼(y² − 1)². Near the saddle (negative
    /// curvature), with a cold estimate (h starts at 0) and after a gradient spike, every
    /// clipped step stays within η per coordinate and the clipped run ends lower.
    @Test func sophiasClipBoundsTheStepAndBeatsUnclippedDiagonalNewton() {
        let f = { (w: [Double]) in 50 * w[0] * w[0] + 0.25 * (w[1] * w[1] - 1) * (w[1] * w[1] - 1) }
        let grad = { (w: [Double]) in [100 * w[0], w[1] * (w[1] * w[1] - 1)] }
        let diag = { (w: [Double]) in [100.0, 3 * w[1] * w[1] - 1] }
        func run(clipped: Bool, from start: [Double], warm: Bool, spikeAt: Int?) -> (end: Double, largest: Double) {
            let (lr, rho, beta1, beta2, eps) = (0.02, 0.02, 0.965, 0.99, 1e-12)
            var w = start, m = [0.0, 0.0], h = [0.0, 0.0], largest = 0.0
            for t in 0..<300 {
                var g = grad(w)
                if t == spikeAt { g = [g[0] + 200, g[1] + 200] }
                m = zip(m, g).map { beta1 * $0 + (1 - beta1) * $1 }
                if t % 10 == 0 { h = warm && t == 0 ? diag(w) : zip(h, diag(w)).map { beta2 * $0 + (1 - beta2) * $1 } }
                let step = (0..<2).map { i -> Double in
                    if clipped { return lr * (m[i] > 0 ? 1 : -1) * min(abs(m[i]) / max(rho * h[i], eps), 1) }
                    return lr * m[i] / (abs(rho * h[i]) < eps ? eps : rho * h[i])
                }
                w = [w[0] - step[0], w[1] - step[1]]
                largest = max(largest, abs(step[0]), abs(step[1]))
                if !f(w).isFinite { return (.infinity, largest) }
            }
            return (f(w), largest)
        }
        for (start, warm, spike) in [([0.8, 0.1], true, nil), ([0.8, 0.1], false, nil), ([0.01, 0.95], true, 50)] as [([Double], Bool, Int?)] {
            let clipped = run(clipped: true, from: start, warm: warm, spikeAt: spike)
            let free = run(clipped: false, from: start, warm: warm, spikeAt: spike)
            #expect(clipped.largest <= 0.02 + 1e-15)
            #expect(clipped.end < free.end, "start \(start), warm \(warm): clipped \(clipped.end), unclipped \(free.end)")
        }
    }
}
