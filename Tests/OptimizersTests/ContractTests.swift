import Testing
@testable import Optimizers
import Models
import Autodiff

/// One contract, run over every optimizer (optax's approach): the same promises hold for
/// all of them, with settings chosen for each where the problem needs it.
@Suite struct ContractTests {
    /// Every optimizer with settings suited to the κ = 10 quadratic below, and the
    /// optimizer-state scalars per parameter it must report.
    static let cases: [(name: String, optimizer: any Optimizer, statePerParameter: Double, stateFor3x4And4: Int)] = [
        ("SGD", SGD(lr: 0.1), 0, 0),
        ("SGD momentum", SGD(lr: 0.05, momentum: 0.9), 1, 16),
        ("SGD Nesterov", SGD(lr: 0.05, momentum: 0.9, nesterov: true), 1, 16),
        ("SGD weight decay", SGD(lr: 0.1, weightDecay: 1e-3), 0, 0),
        ("Adam", Adam(lr: 0.05), 2, 32),
        ("AdamW", AdamW(lr: 0.05, weightDecay: 1e-2), 2, 32),
        ("Lion", Lion(lr: 0.01), 1, 16),
        ("Adagrad", Adagrad(lr: 0.5), 1, 16),
        ("RMSProp", RMSProp(lr: 0.01), 1, 16),
        ("RMSProp centered momentum", RMSProp(lr: 0.01, momentum: 0.5, centered: true), 3, 48),
        ("SAM(SGD momentum)", SAM(SGD(lr: 0.05, momentum: 0.9), rho: 0.05), 2, 32),
        ("SAM(Adam)", SAM(Adam(lr: 0.05), rho: 0.05), 3, 48),
        ("ASAM(SGD)", SAM(SGD(lr: 0.1), rho: 0.5, adaptive: true), 1, 16),
        // Matrix methods. Per parameter of an n×n matrix: Muon keeps its momentum (1), Shampoo
        // L, R and their roots (4n²/n² = 4). Of the [3, 4] and [4] tensors, the matrix gets
        // Muon's momentum (12) and the vector Adam's two moments (8); Shampoo keeps 2(3² + 4²)
        // for the matrix and 2·4² for the vector (full-matrix Adagrad). The 2-D problems here
        // are vectors, so Muon runs its auxiliary Adam on them.
        ("Muon", Muon(adamLR: 0.05), 1, 12 + 2 * 4),
        ("Shampoo", Shampoo(lr: 0.1), 4, 2 * (9 + 16) + 2 * 16),
        ("Sophia", Sophia(lr: 0.05, weightDecay: 0, hessianInterval: 2), 2, 32),
        // SOAP: Adam's m, v (2 per parameter) plus L, R and their eigenbases (4n²/n² for an
        // n×n matrix); the [4] vector gets no preconditioner by default.
        ("SOAP", SOAP(lr: 0.05, weightDecay: 0), 6, 2 * 12 + 2 * (9 + 16) + 2 * 4),
    ]
    static var names: [String] { cases.map(\.name) }
    static func optimizer(_ name: String) -> any Optimizer { cases.first { $0.name == name }!.optimizer }

    static let bowl = Functions.quadratic(eigenvalues: [1, 10], angle: 0.3)
    static let start: [Double] = [1.5, -1]

    @Test("Two runs from the same start are identical", arguments: names)
    func deterministic(name: String) {
        let o = Self.optimizer(name)
        let a = o.minimize(Self.bowl, from: Self.start, steps: 50)
        let b = o.minimize(Self.bowl, from: Self.start, steps: 50)
        #expect(a.points == b.points)
        #expect(a.losses == b.losses)
    }

    @Test("Decreases a convex quadratic (κ = 10) by at least 100× in 300 steps", arguments: names)
    func decreasesConvexQuadratic(name: String) {
        let run = Self.optimizer(name).minimize(Self.bowl, from: Self.start, steps: 300)
        #expect(!run.diverged)
        #expect(run.points.count == 301 && run.losses.count == 301)
        #expect(run.finalLoss < 0.01 * run.losses[0], "\(name): \(run.losses[0]) → \(run.finalLoss)")
    }

    @Test("A zero gradient gives finite, unchanged parameters (no 0/0)", arguments: names)
    func zeroGradient(name: String) {
        // At the minimum of the bowl every gradient is exactly zero.
        let run = Self.optimizer(name).minimize(Self.bowl, from: [0, 0], steps: 5)
        #expect(run.points.allSatisfy { $0 == [0, 0] }, "\(name): \(run.points)")
        #expect(run.losses.allSatisfy { $0 == 0 })
        // A flat objective away from the origin: nothing may become NaN (weight decay may shrink θ).
        let flat = Self.optimizer(name).minimize(from: [1, -2], steps: 5) { x in 0 * x[0] }
        #expect(flat.points.allSatisfy { $0.allSatisfy(\.isFinite) }, "\(name): \(flat.points)")
        #expect(!flat.diverged)
    }

    @Test("Reports its optimizer-state memory per parameter", arguments: names)
    func stateMemory(name: String) {
        let c = Self.cases.first { $0.name == name }!
        #expect(c.optimizer.stateMemoryPerParameter == c.statePerParameter)
        #expect(c.optimizer.stateSize(for: [[3, 4], [4]]) == c.stateFor3x4And4)
    }

    @Test("State tensors are shaped like the parameters")
    func stateShapes() {
        let params = [Tensor.zeros([3, 4]), Tensor.zeros([4])]
        let adam = ScaleByAdam().makeState(for: params)
        #expect(adam.count == 0)
        #expect(adam.mean.map(\.shape) == [[3, 4], [4]] && adam.secondMoment.map(\.shape) == [[3, 4], [4]])
        #expect(ScaleByLion().makeState(for: params).map(\.shape) == [[3, 4], [4]])
        // Momentum keeps no buffer until the first step, then one per parameter tensor.
        let sgd = SGD(lr: 0.1, momentum: 0.9)
        var state = sgd.makeState(for: params)
        #expect(state.0.1 == nil)
        var p = [Tensor.ones([3, 4]), Tensor.ones([4])]
        _ = sgd.step(&p, state: &state, objective: Objective { $0[0].squared().sum() + $0[1].sum() })
        #expect(state.0.1?.map(\.shape) == [[3, 4], [4]])
    }

    /// Rosenbrock from (−1.5, 2) with settings tuned per optimizer: distance to (1, 1) after
    /// `steps` steps must be below `tolerance`.
    static let rosenbrockCases: [(name: String, optimizer: any Optimizer, steps: Int, tolerance: Double)] = [
        ("SGD momentum", SGD(lr: 1e-3, momentum: 0.9), 2000, 1e-3),
        ("SGD Nesterov", SGD(lr: 1e-3, momentum: 0.9, nesterov: true), 2000, 1e-3),
        ("Adam", Adam(lr: 0.05), 2000, 1e-4),
        ("AdamW without decay", AdamW(lr: 0.05, weightDecay: 0), 2000, 1e-4),
        ("Lion", Lion(lr: 1e-3), 5000, 1e-6),
        ("RMSProp momentum", RMSProp(lr: 1e-3, momentum: 0.9), 2000, 1e-3),
        // With a constant ρ SAM hovers within about ρ of a minimum (see `samBias`), so ρ is small here.
        ("SAM(SGD momentum)", SAM(SGD(lr: 1e-3, momentum: 0.9), rho: 1e-4), 2000, 1e-3),
        // Adagrad is absent on purpose: its steps shrink like 1/√t, and from this start it is
        // still 0.23 away after 3000 steps at lr 2.
    ]

    @Test("Reaches Rosenbrock's minimum with tuned settings", arguments: rosenbrockCases.map(\.name))
    func rosenbrock(name: String) {
        let c = Self.rosenbrockCases.first { $0.name == name }!
        let run = c.optimizer.minimize(Functions.rosenbrock, from: [-1.5, 2], steps: c.steps)
        let d = Functions.rosenbrock.distanceToNearestMinimum(from: run.finalPoint)
        #expect(d < c.tolerance, "\(name): ended at \(run.finalPoint), distance \(d)")
    }

    @Test("Divergence stops the run and is reported")
    func divergence() {
        // lr = 0.5 > 2/λmax = 0.2: the stiff direction grows by |1 − 0.5·10| = 4 per step.
        let run = SGD(lr: 0.5).minimize(Self.bowl, from: Self.start, steps: 5000)
        #expect(run.diverged)
        #expect(run.points.count < 5001 && run.points.count == run.losses.count)
    }

    @Test("Named optimizers are their chains of transforms")
    func namedAreChains() {
        let f = Functions.beale, from: [Double] = [1, 1]
        #expect(Adam(lr: 0.01).minimize(f, from: from, steps: 30).points
                == ScaleByAdam().then(ScaleByConstant(-0.01)).minimize(f, from: from, steps: 30).points)
        #expect(SGD(lr: 0.01).minimize(f, from: from, steps: 30).points
                == ScaleByConstant(-0.01).minimize(f, from: from, steps: 30).points)
        #expect(AdamW(lr: 0.01, weightDecay: 0.1).minimize(f, from: from, steps: 30).points
                == ScaleByAdam().then(AddDecayedWeights(0.1)).then(ScaleByConstant(-0.01)).minimize(f, from: from, steps: 30).points)
    }

    @Test("Global-norm clipping caps the step length")
    func clipping() {
        let clipped = ClipByGlobalNorm(1).then(ScaleByConstant(-0.1))
        var state = clipped.makeState(for: [Tensor([0, 0])])
        let u = clipped.update([Tensor([3, 4])], state: &state, parameters: [Tensor([0, 0])])
        // ‖(3, 4)‖ = 5 → (0.6, 0.8) → −0.1·(0.6, 0.8)
        #expect(Tensor(u[0].scalars).isApproximatelyEqual(to: Tensor([-0.06, -0.08]), tolerance: 1e-15))
    }

    @Test("train records loss, gradient, update and parameter norms per step")
    func trainingHistory() {
        var params = [Tensor([[1, 2], [3, 4]]), Tensor([1, -1])]
        // L = ½‖θ‖², ∇L = θ: SGD with lr 0.1 scales θ by 0.9 each step.
        let h = SGD(lr: 0.1).train(&params, steps: 3) { p in 0.5 * (p[0].squared().sum() + p[1].squared().sum()) }
        let n0 = 32.0.squareRoot()  // ‖θ₀‖ = √(1 + 4 + 9 + 16 + 1 + 1)
        #expect(h.losses.count == 3 && h.updateNorms.count == 3)
        #expect(abs(h.losses[0] - 16) < 1e-12)
        #expect(abs(h.gradientNorms[0] - n0) < 1e-12)
        #expect(abs(h.parameterNorms[1] - 0.9 * n0) < 1e-12)
        #expect(abs(h.updateNorms[0] - 0.1 * n0) < 1e-12)
        #expect(abs(h.finalLoss - 16 * 0.729 * 0.729) < 1e-12)
        #expect(abs(params[1].scalars[0] - 0.729) < 1e-15)
    }

    @Test("SAM with a constant ρ settles near, not at, the minimum, closer for smaller ρ")
    func samBias() {
        let bowl = Functions.quadratic(eigenvalues: [1, 10], angle: 0)
        func distance(_ rho: Double) -> Double {
            let run = SAM(SGD(lr: 0.05), rho: rho).minimize(bowl, from: [1, 1], steps: 2000)
            return bowl.distanceToNearestMinimum(from: run.finalPoint)
        }
        // Near the minimum SAM descends L at θ + ρ·ĝ, a point ρ away, so it keeps moving within
        // about ρ of the minimum instead of stopping there.
        let big = distance(0.1), small = distance(0.01)
        #expect(big < 0.1 + 1e-9 && small < 0.01 + 1e-9)
        #expect(small < big)
    }
}
