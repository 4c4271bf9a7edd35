import Testing
import Autodiff
import Models
import Optimizers
@testable import Landscape

/// Sharpness probes on quadratics, where the answers are closed forms, and their behaviour
/// under Dinh et al.'s rescaling.
@Suite struct SharpnessTests {
    static let a = Fixtures.matrix(eigenvalues: [4, 1, 0.25], seed: 6)
    static func quadratic(_ p: [Tensor]) -> Tensor { 0.5 * dot(p[0], matmul(a, p[0])) }
    static func exact(_ w: [Double]) -> Double { quadratic([Tensor(w)]).scalar }

    /// SAM's one step: ε = ρ g/‖g‖, so for ½wᵀAw the increase is ρ‖g‖ + ½ρ² ĝᵀAĝ.
    @Test func samFirstStepMatchesClosedForm() {
        let w = [0.3, -0.2, 0.5], rho = 0.1
        let probe = Sharpness(of: Self.quadratic, at: [Tensor(w)])
        let g = matmul(Self.a, Tensor(w)).scalars
        let gn = Vectors.norm(g), u = Vectors.scaled(g, 1 / gn)
        let au = matmul(Self.a, Tensor(u)).scalars
        let expected = rho * gn + 0.5 * rho * rho * Vectors.dot(u, au)
        let sam = probe.sam(radius: rho)
        #expect(abs(sam.increase - expected) <= 1e-12)
        #expect(abs(Vectors.norm(sam.perturbation) - rho) <= 1e-14)
    }

    /// More ascent steps find at least as much, never more than the bound ρ‖g‖ + ½ρ²λmax, and
    /// near the minimum they reach the top-eigenvector value ½ρ²λmax.
    @Test func projectedAscentApproachesTheBallMaximum() {
        let rho = 0.1
        let w = [1e-7, 2e-7, -1e-7]
        let probe = Sharpness(of: Self.quadratic, at: [Tensor(w)])
        let one = probe.sam(radius: rho), many = probe.sam(radius: rho, steps: 60)
        let gn = Vectors.norm(matmul(Self.a, Tensor(w)).scalars)
        #expect(many.increase >= one.increase)
        #expect(many.increase <= rho * gn + 0.5 * rho * rho * 4 + 1e-15)
        #expect(abs(many.increase - 0.5 * rho * rho * 4) <= 1e-6)
    }

    /// Random probes: each tensor moved by a fraction ρ of its own norm; at a minimum of a
    /// convex loss every increase is ≥ 0; seeded, so repeatable.
    @Test func randomPerturbationIsScaledPerTensor() {
        let net = MLP(sizes: [2, 5, 2], activation: .tanh)
        let data = Datasets.twoMoons(count: 30, seed: 1)
        let params = net.initialParameters(seed: 3)
        let probe = Sharpness(of: net, on: data, at: params)
        let r = probe.randomPerturbation(radius: 0.05, samples: 5, seed: 2)
        #expect(r.increases.count == 5 && r.increase == r.increases.max())
        let pieces = Vectors.split(r.perturbation, shapes: params.map(\.shape))
        for (u, p) in zip(pieces, params) {
            #expect(abs(Vectors.norm(u.scalars) - 0.05 * Vectors.norm(p.scalars)) <= 1e-12)
        }
        #expect(probe.randomPerturbation(radius: 0.05, samples: 5, seed: 2) == r)
        let atMinimum = Sharpness(of: Self.quadratic, at: [Tensor([0, 0, 0])])
        let absolute = atMinimum.randomPerturbation(radius: 0.2, relativeToParameters: false)
        #expect(absolute.increases.allSatisfy { $0 >= 0 && $0 <= 0.5 * 0.04 * 4 + 1e-15 })
        #expect(abs(Vectors.norm(absolute.perturbation) - 0.2) <= 1e-14)
    }

    /// Keskar's box: the first step is the box corner bound ⊙ sign(g), every iterate stays in
    /// the box, and the score is 100·increase/(1 + L).
    @Test func keskarSharpnessStaysInTheBox() {
        let w = [0.3, -0.2, 0.5], eps = 1e-2
        let probe = Sharpness(of: Self.quadratic, at: [Tensor(w)])
        let k = probe.keskar(epsilon: eps)
        let g = matmul(Self.a, Tensor(w)).scalars
        let corner = zip(w, g).map { wi, gi in eps * (abs(wi) + 1) * (gi > 0 ? 1 : -1) }
        let cornerIncrease = Self.exact(zip(w, corner).map { $0 + $1 }) - Self.exact(w)
        #expect(abs(k.increases[0] - cornerIncrease) <= 1e-14)
        #expect(k.increase >= cornerIncrease)
        for (z, wi) in zip(k.perturbation, w) { #expect(abs(z) <= eps * (abs(wi) + 1) + 1e-18) }
        #expect(abs(k.keskarScore - 100 * k.increase / (1 + Self.exact(w))) <= 1e-12)
    }

    /// Dinh et al.: rescaling a ReLU layer leaves the outputs unchanged (to 1e-12) while the
    /// curvature of the outgoing weights scales by exactly α², so the top eigenvalue grows
    /// without bound; ASAM's adaptive sharpness (η = 0) does not change, SAM's does.
    @Test func dinhRescalingChangesSharpnessNotTheFunction() {
        let net = MLP(sizes: [2, 6, 2], activation: .relu)
        let data = Datasets.twoMoons(count: 40, seed: 6)
        let (params, _) = Adam(lr: 0.05).fit(net, to: data, steps: 40, seed: 1)
        let loss = net.loss(on: data)
        func outgoing(_ p: [Tensor]) -> Hessian {
            Hessian(of: { w in loss([p[0], p[1], w, p[3]]) }, at: p[2])
        }
        // α large enough that α²·λmax(outgoing block) exceeds the original top eigenvalue.
        let sharpness0 = Hessian(of: net, on: data, at: params).topEigenvalues(1)[0]
        let alpha = max(5, 2 * (sharpness0 / outgoing(params).topEigenvalues(1)[0]).squareRoot())
        let scaled = net.rescaled(params, hiddenLayer: 0, by: alpha)
        let (y0, y1) = (net(data.inputs, params), net(data.inputs, scaled))
        for (u, v) in zip(y0.scalars, y1.scalars) { #expect(abs(u - v) <= 1e-12 * max(1, abs(u))) }

        // The Hessian with respect to the outgoing weights alone scales by α².
        let before = outgoing(params).topEigenvalues(1)[0], after = outgoing(scaled).topEigenvalues(1)[0]
        #expect(abs(after - alpha * alpha * before) <= 1e-8 * after)
        // The full Hessian's top eigenvalue is at least that block's.
        let full = Hessian(of: net, on: data, at: scaled).topEigenvalues(1)[0]
        #expect(full >= after * (1 - 1e-10))
        #expect(full >= 4 * sharpness0 * (1 - 1e-10))  // same function, sharper minimum

        // Adaptive sharpness is invariant under the rescaling (with η = 0); plain SAM's is not.
        let adaptive0 = Sharpness(of: net, on: data, at: params).sam(radius: 0.05, adaptive: true, eta: 0)
        let adaptive1 = Sharpness(of: net, on: data, at: scaled).sam(radius: 0.05, adaptive: true, eta: 0)
        #expect(abs(adaptive0.increase - adaptive1.increase) <= 1e-10 * max(1e-12, abs(adaptive0.increase)) + 1e-14)
        let plain0 = Sharpness(of: net, on: data, at: params).sam(radius: 0.05)
        let plain1 = Sharpness(of: net, on: data, at: scaled).sam(radius: 0.05)
        #expect(abs(plain0.increase - plain1.increase) > 1e-6)
    }

    /// Permuting hidden units leaves the loss unchanged (to rounding) for any activation.
    @Test func permutingHiddenUnitsLeavesTheLossUnchanged() {
        let net = MLP(sizes: [2, 5, 4, 2], activation: .tanh)
        let data = Datasets.twoMoons(count: 30, seed: 2)
        let params = net.initialParameters(seed: 7)
        let loss = net.loss(on: data)
        let permuted = net.permutingHiddenUnits(params, hiddenLayer: 1, permutation: [2, 0, 3, 1])
        #expect(permuted != params)
        #expect(abs(loss(permuted).scalar - loss(params).scalar) <= 1e-14)
        let again = net.permutingHiddenUnits(params, hiddenLayer: 0, permutation: [4, 3, 2, 1, 0])
        #expect(abs(loss(again).scalar - loss(params).scalar) <= 1e-14)
    }
}
