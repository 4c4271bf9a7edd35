import Testing
@testable import Optimizers
import Models
import Autodiff

/// The first two steps of each optimizer on f(x, y) = x² + 2y² from (1, −1), computed by hand
/// from the update rule (∇f = (2x, 4y), so g₀ = (2, −4)). Each test spells the arithmetic out
/// so the rule can be checked against the paper / reference code line by line.
@Suite struct FirstStepsTests {
    static let start: [Double] = [1, -1]
    static func f(_ p: Tensor) -> Tensor { p[0].squared() + 2 * p[1].squared() }
    static func grad(_ p: [Double]) -> [Double] { [2 * p[0], 4 * p[1]] }

    /// θ₁ and θ₂ of `optimizer` on the tiny problem.
    static func twoSteps<O: Optimizer>(_ optimizer: O) -> [[Double]] {
        optimizer.minimize(from: start, steps: 2) { f($0) }.points
    }

    static func expectClose(_ a: [Double], _ b: [Double], tolerance: Double = 1e-12,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.count == b.count, sourceLocation: sourceLocation)
        for (x, y) in zip(a, b) {
            #expect(abs(x - y) <= tolerance * Swift.max(1, abs(y)), "\(a) vs \(b)", sourceLocation: sourceLocation)
        }
    }

    @Test("SGD: θ ← θ − lr·g")
    func sgd() {
        let p = Self.twoSteps(SGD(lr: 0.1))
        // θ₁ = (1 − 0.1·2, −1 + 0.1·4) = (0.8, −0.6); g₁ = (1.6, −2.4)
        // θ₂ = (0.8 − 0.16, −0.6 + 0.24) = (0.64, −0.36)
        Self.expectClose(p[1], [0.8, -0.6])
        Self.expectClose(p[2], [0.64, -0.36])
    }

    @Test("SGD with momentum: b₁ = g₀, b₂ = μb₁ + g₁")
    func sgdMomentum() {
        let p = Self.twoSteps(SGD(lr: 0.1, momentum: 0.9))
        // b₁ = (2, −4); θ₁ = (0.8, −0.6); g₁ = (1.6, −2.4)
        // b₂ = 0.9·(2, −4) + (1.6, −2.4) = (3.4, −6.0); θ₂ = (0.8 − 0.34, −0.6 + 0.6) = (0.46, 0)
        Self.expectClose(p[1], [0.8, -0.6])
        Self.expectClose(p[2], [0.46, 0])
    }

    @Test("SGD with Nesterov momentum: d = g + μb")
    func sgdNesterov() {
        let p = Self.twoSteps(SGD(lr: 0.1, momentum: 0.9, nesterov: true))
        // b₁ = (2, −4); d = (2 + 1.8, −4 − 3.6) = (3.8, −7.6); θ₁ = (0.62, −0.24); g₁ = (1.24, −0.96)
        // b₂ = 0.9·(2, −4) + (1.24, −0.96) = (3.04, −4.56); d = (1.24 + 2.736, −0.96 − 4.104) = (3.976, −5.064)
        // θ₂ = (0.62 − 0.3976, −0.24 + 0.5064) = (0.2224, 0.2664)
        Self.expectClose(p[1], [0.62, -0.24])
        Self.expectClose(p[2], [0.2224, 0.2664])
    }

    @Test("SGD with dampening: the first buffer is g, later ones add (1 − τ)g (PyTorch)")
    func sgdDampening() {
        let p = Self.twoSteps(SGD(lr: 0.1, momentum: 0.9, dampening: 0.5))
        // b₁ = (2, −4) (no dampening on the first step); θ₁ = (0.8, −0.6); g₁ = (1.6, −2.4)
        // b₂ = 0.9·(2, −4) + 0.5·(1.6, −2.4) = (2.6, −4.8); θ₂ = (0.8 − 0.26, −0.6 + 0.48) = (0.54, −0.12)
        Self.expectClose(p[2], [0.54, -0.12])
    }

    @Test("SGD with weight decay: d = g + λθ")
    func sgdWeightDecay() {
        let p = Self.twoSteps(SGD(lr: 0.1, weightDecay: 0.5))
        // d₀ = (2 + 0.5, −4 − 0.5) = (2.5, −4.5); θ₁ = (0.75, −0.55); g₁ = (1.5, −2.2)
        // d₁ = (1.5 + 0.375, −2.2 − 0.275) = (1.875, −2.475); θ₂ = (0.5625, −0.3025)
        Self.expectClose(p[1], [0.75, -0.55])
        Self.expectClose(p[2], [0.5625, -0.3025])
    }

    @Test("Adam: bias-corrected moments, ε outside the square root")
    func adam() {
        let lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8
        let p = Self.twoSteps(Adam(lr: lr))
        // Step 1: m = 0.1g, v = 0.001g², m̂ = g, √v̂ = |g|, so θ₁ = θ₀ − lr·g/(|g| + ε) ≈ (0.9, −0.9).
        let x1 = 1 - lr * 2 / (2 + eps), y1 = -1 + lr * 4 / (4 + eps)
        Self.expectClose(p[1], [x1, y1])
        // Step 2 for each coordinate with g₀ and g₁ = ∇f(θ₁):
        //   m = β₁(1 − β₁)g₀ + (1 − β₁)g₁,  v = β₂(1 − β₂)g₀² + (1 − β₂)g₁²
        //   θ₂ = θ₁ − (lr/(1 − β₁²)) · m/(√v/√(1 − β₂²) + ε)
        //   x: g₀ = 2, g₁ ≈ 1.8: m = 0.36, v = 0.007236, m̂ = 1.8947, √v̂ = 1.9026 → θ₂ ≈ 0.80041
        func second(_ th1: Double, _ g0: Double, _ g1: Double) -> Double {
            let m = b1 * (1 - b1) * g0 + (1 - b1) * g1
            let v = b2 * (1 - b2) * g0 * g0 + (1 - b2) * g1 * g1
            return th1 - (lr / (1 - b1 * b1)) * m / (v.squareRoot() / (1 - b2 * b2).squareRoot() + eps)
        }
        let g1 = Self.grad([x1, y1])
        Self.expectClose(p[2], [second(x1, 2, g1[0]), second(y1, -4, g1[1])])
        #expect(abs(p[2][0] - 0.80041) < 1e-5)
    }

    @Test("Adam's weight decay is L2 (enters the moments); AdamW's is decoupled (does not)")
    func adamWeightDecay() {
        let lr = 0.1, wd = 0.5, eps = 1e-8
        // Adam(λ): d₀ = g₀ + λθ₀ = (2.5, −4.5); step 1 is still ≈ lr·sign(d): θ₁ = θ₀ − lr·d/(|d| + ε).
        let adam = Self.twoSteps(Adam(lr: lr, weightDecay: wd))
        Self.expectClose(adam[1], [1 - lr * 2.5 / (2.5 + eps), -1 + lr * 4.5 / (4.5 + eps)])
        // AdamW(λ): θ₁ = θ₀(1 − lr·λ) − lr·g/(|g| + ε) = (0.95 − 0.1, −0.95 + 0.1) ≈ (0.85, −0.85).
        let adamW = Self.twoSteps(AdamW(lr: lr, weightDecay: wd))
        let x1 = 1 * (1 - lr * wd) - lr * 2 / (2 + eps), y1 = -1 * (1 - lr * wd) + lr * 4 / (4 + eps)
        Self.expectClose(adamW[1], [x1, y1])
        // Step 2 (AdamW): θ₂ = θ₁(1 − lr·λ) − (lr/(1 − 0.81))·m/(√v/√(1 − 0.999²) + ε), moments from g only.
        let g1 = Self.grad([x1, y1])
        func second(_ th1: Double, _ g0: Double, _ g1: Double) -> Double {
            let m = 0.9 * 0.1 * g0 + 0.1 * g1
            let v = 0.999 * 0.001 * g0 * g0 + 0.001 * g1 * g1
            return th1 * (1 - lr * wd) - (lr / (1 - 0.81)) * m / (v.squareRoot() / (1 - 0.999 * 0.999).squareRoot() + eps)
        }
        Self.expectClose(adamW[2], [second(x1, 2, g1[0]), second(y1, -4, g1[1])])
    }

    @Test("Lion: sign of the β₁-interpolation, memory with β₂")
    func lion() {
        let p = Self.twoSteps(Lion(lr: 0.1))
        // c₀ = 0.1·g₀ → sign (1, −1); θ₁ = (0.9, −0.9); m₁ = 0.01·g₀ = (0.02, −0.04)
        // g₁ = (1.8, −3.6); c₁ = 0.9·(0.02, −0.04) + 0.1·(1.8, −3.6) = (0.198, −0.396) → θ₂ = (0.8, −0.8)
        Self.expectClose(p[1], [0.9, -0.9])
        Self.expectClose(p[2], [0.8, -0.8])
        // With decoupled decay λ = 0.5: θ₁ = 0.95·θ₀ − 0.1·sign = (0.85, −0.85); θ₂ = 0.95·0.85 − 0.1 = 0.7075.
        let d = Self.twoSteps(Lion(lr: 0.1, weightDecay: 0.5))
        Self.expectClose(d[2], [0.7075, -0.7075])
    }

    @Test("Lion follows the interpolation c, not the gradient, when they disagree")
    func lionSignFlip() {
        // f = x·s(t)… simplest: a linear f = −x (g = −1 everywhere) after a memory built the other way.
        // β₁ = 0.9, β₂ = 0.99 from m = 0: step 1 moves +lr. Use the chain directly with a stored m = 5:
        var state: ScaleByLion.State = [Tensor([5.0])]
        let u = ScaleByLion().update([Tensor([-1.0])], state: &state, parameters: [Tensor([0.0])])
        // c = 0.9·5 + 0.1·(−1) = 4.4 > 0 → u = +1 although g < 0; m ← 0.99·5 + 0.01·(−1) = 4.94
        #expect(u[0].scalars == [1])
        #expect(abs(state[0].scalars[0] - 4.94) < 1e-15)
    }

    @Test("Adagrad: s ← s + g², step g/(√s + ε)")
    func adagrad() {
        let lr = 0.1, eps = 1e-10
        let p = Self.twoSteps(Adagrad(lr: lr))
        // s₁ = g₀² = (4, 16); θ₁ = θ₀ − lr·g₀/(|g₀| + ε) ≈ (0.9, −0.9)
        let x1 = 1 - lr * 2 / (2 + eps), y1 = -1 + lr * 4 / (4 + eps)
        Self.expectClose(p[1], [x1, y1])
        // s₂ = g₀² + g₁² (x: 4 + 3.24 = 7.24); θ₂ = θ₁ − lr·g₁/(√s₂ + ε) (x: 0.9 − 0.18/2.6907 ≈ 0.83310)
        let g1 = Self.grad([x1, y1])
        let x2 = x1 - lr * g1[0] / ((4 + g1[0] * g1[0]).squareRoot() + eps)
        let y2 = y1 - lr * g1[1] / ((16 + g1[1] * g1[1]).squareRoot() + eps)
        Self.expectClose(p[2], [x2, y2])
        #expect(abs(p[2][0] - 0.83310) < 1e-5)
    }

    @Test("RMSProp: v ← αv + (1 − α)g², step g/(√v + ε), no bias correction")
    func rmsprop() {
        let lr = 0.01, a = 0.99, eps = 1e-8
        let p = Self.twoSteps(RMSProp(lr: lr))
        // v₁ = 0.01·g₀² → √v₁ = 0.1|g₀|; θ₁ = θ₀ − lr·g₀/(0.1|g₀| + ε) ≈ θ₀ − 0.1·sign(g₀) = (0.9, −0.9)
        let x1 = 1 - lr * 2 / ((0.01 * 4).squareRoot() + eps), y1 = -1 + lr * 4 / ((0.01 * 16).squareRoot() + eps)
        Self.expectClose(p[1], [x1, y1])
        // v₂ = α(1 − α)g₀² + (1 − α)g₁²; θ₂ = θ₁ − lr·g₁/(√v₂ + ε)
        let g1 = Self.grad([x1, y1])
        let x2 = x1 - lr * g1[0] / ((a * (1 - a) * 4 + (1 - a) * g1[0] * g1[0]).squareRoot() + eps)
        let y2 = y1 - lr * g1[1] / ((a * (1 - a) * 16 + (1 - a) * g1[1] * g1[1]).squareRoot() + eps)
        Self.expectClose(p[2], [x2, y2])
    }

    @Test("SAM: the base step from θ uses the gradient at θ + ρ·g/‖g‖")
    func sam() {
        let lr = 0.1, rho = 0.05
        let p = Self.twoSteps(SAM(SGD(lr: lr), rho: rho))
        // ‖g₀‖ = √20; ε̂ = 0.05·(2, −4)/√20 ≈ (0.02236, −0.04472); g_SAM = ∇f(θ₀ + ε̂) ≈ (2.04472, −4.17889)
        // θ₁ = θ₀ − 0.1·g_SAM ≈ (0.795528, −0.582111)
        func samStep(_ th: [Double]) -> [Double] {
            let g = Self.grad(th)
            let n = (g[0] * g[0] + g[1] * g[1]).squareRoot() + 1e-12
            let gs = Self.grad([th[0] + rho * g[0] / n, th[1] + rho * g[1] / n])
            return [th[0] - lr * gs[0], th[1] - lr * gs[1]]
        }
        let th1 = samStep(Self.start)
        Self.expectClose(p[1], th1)
        #expect(abs(p[1][0] - 0.795528) < 1e-6 && abs(p[1][1] + 0.582111) < 1e-6)
        Self.expectClose(p[2], samStep(th1))
    }

    @Test("ASAM (adaptive SAM): ε̂ = ρ·θ²⊙g/‖|θ|⊙g‖")
    func asam() {
        let lr = 0.1, rho = 0.5
        let run = SAM(SGD(lr: lr), rho: rho, adaptive: true).minimize(from: [1, -0.5], steps: 1) { Self.f($0) }
        // θ₀ = (1, −0.5), g = (2, −2); |θ|⊙g = (2, 1), norm √5; ε̂ = 0.5·(1·2, 0.25·(−2))/√5 = (1, −0.25)/√5
        let s5 = 5.0.squareRoot() + 1e-12
        let gs = Self.grad([1 + 1 / s5, -0.5 - 0.25 / s5])
        Self.expectClose(run.points[1], [1 - lr * gs[0], -0.5 - lr * gs[1]])
    }

    @Test("ASAM with η (SamsungLabs form): T = |θ| + η, ε̂ = ρ·T²⊙g/‖T⊙g‖")
    func asamEta() {
        let lr = 0.1, rho = 0.5, eta = 0.01
        let run = SAM(SGD(lr: lr), rho: rho, adaptive: true, eta: eta).minimize(from: [0, -0.5], steps: 1) { Self.f($0) }
        // θ₀ = (0, −0.5), g = (0, −2); T = (0.01, 0.51); T⊙g = (0, −1.02), norm 1.02;
        // ε̂ = 0.5·(0, 0.51²·(−2))/1.02 = (0, −0.255): only y moves, to −0.755, where g_SAM = (0, −3.02).
        let n = 1.02 + 1e-12
        let ey = rho * 0.51 * 0.51 * -2 / n
        let gs = Self.grad([0, -0.5 + ey])
        Self.expectClose(run.points[1], [0, -0.5 - lr * gs[1]])
        #expect(abs(ey + 0.255) < 1e-12)
    }

    @Test("The cell-facing forms read as the course writes them")
    func cellFacing() {
        let run = Adam(lr: 0.01).minimize(Functions.rosenbrock, from: [-1.5, 2.0], steps: 500)
        #expect(run.points.count == 501 && run.losses.count == 501)
        #expect(run.points[0] == [-1.5, 2.0] && run.losses[0] == 12.5)
        let run2 = SGD(lr: 0.1, momentum: 0.9).minimize(from: [1.0, 1.0], steps: 50) { x in x[0] * x[0] + 10 * x[1] * x[1] }
        #expect(run2.points.count == 51 && run2.losses.count == 51)
        #expect(run2.losses[0] == 11)
        #expect(run2.finalLoss < run2.losses[0])
    }
}
