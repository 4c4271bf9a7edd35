import Testing
import LitOpt

/// The claims of chapters 3 (second-order methods) and 4 (Lion and Sophia), checked at
/// reduced size: the experiments the chapters run live must keep showing what their prose
/// says they show.
@Suite struct Part1NewtonTests {
    /// Newton's method on a two-variable test function: Δ = H⁻¹∇f by an exact solve, then the
    /// longest step t ∈ {1, ½, ¼, …} that lowers f by at least 10⁻⁴·t·∇fᵀΔ (as chapter 3 does).
    static func newtonPath(_ f: TestFunction, from start: [Double], steps: Int) -> [[Double]] {
        var w = start, path = [start]
        for _ in 0..<steps {
            let g = f.gradient(at: w)
            if (g[0] * g[0] + g[1] * g[1]).squareRoot() < 1e-14 { break }
            guard let delta = try? solve(Tensor(f.hessian(at: w)), Tensor(g)).scalars else { break }
            let slope = g[0] * delta[0] + g[1] * delta[1]
            var t = 1.0
            while t > 1e-8 && f.value(at: [w[0] - t * delta[0], w[1] - t * delta[1]]) > f.value(at: w) - 1e-4 * t * slope {
                t /= 2
            }
            w = [w[0] - t * delta[0], w[1] - t * delta[1]]
            path.append(w)
        }
        return path
    }

    /// The first index at which a path is within `tolerance` of `target`, nil if never.
    static func stepsToReach(_ path: [[Double]], _ target: [Double], tolerance: Double) -> Int? {
        path.firstIndex { p in
            ((p[0] - target[0]) * (p[0] - target[0]) + (p[1] - target[1]) * (p[1] - target[1])).squareRoot() < tolerance
        }
    }

    /// Chapter 3, @fig-ravine, at reduced size (κ = 20 instead of 50): on a rotated quadratic
    /// ravine Newton reaches the minimum in one step, gradient descent with its best constant
    /// step 2/(λmin + λmax) needs many, and its path zigzags (the component across the ravine
    /// flips sign every step).
    @Test func newtonCutsAcrossTheQuadraticRavine() throws {
        let kappa = 20.0, angle = 0.6
        let ravine = Functions.quadratic(eigenvalues: [1, kappa], angle: angle)
        let across = [-sin(angle), cos(angle)]
        let start = [-2 * cos(angle) + 0.35 * across[0], -2 * sin(angle) + 0.35 * across[1]]
        let gd = SGD(lr: 2 / (1 + kappa)).minimize(ravine, from: start, steps: 500).points
        let newton = Self.newtonPath(ravine, from: start, steps: 5)

        let gdSteps = try #require(Self.stepsToReach(gd, [0, 0], tolerance: 1e-6))
        let newtonSteps = try #require(Self.stepsToReach(newton, [0, 0], tolerance: 1e-6))
        #expect(newtonSteps == 1)
        // GD contracts by (κ − 1)/(κ + 1) per step: from distance ≈ 2 to 1e-6 takes ≈ 145 steps.
        #expect(gdSteps > 100, "gradient descent reached the minimum in \(gdSteps) steps")
        #expect(newtonSteps < gdSteps)

        // The zigzag: the coordinate across the ravine alternates in sign along GD's path.
        let acrossCoordinates = gd.prefix(20).map { $0[0] * across[0] + $0[1] * across[1] }
        let flips = zip(acrossCoordinates, acrossCoordinates.dropFirst()).filter { $0 * $1 < 0 }.count
        #expect(flips == 19, "the across-ravine coordinate changed sign \(flips) times in 19 steps")
    }

    /// Chapter 3, the steps table: on Rosenbrock's valley, backtracking Newton reaches (1, 1)
    /// within 10⁻⁶ in a few dozen steps; gradient descent with η = 10⁻³ is still far from it
    /// after a thousand times as many.
    @Test func newtonReachesRosenbrocksMinimumInFarFewerSteps() throws {
        let f = Functions.rosenbrock
        let newton = Self.newtonPath(f, from: [-1.2, 1], steps: 60)
        let newtonSteps = try #require(Self.stepsToReach(newton, [1, 1], tolerance: 1e-6))
        #expect(newtonSteps < 40, "Newton needed \(newtonSteps) steps")

        let gd = SGD(lr: 1e-3).minimize(f, from: [-1.2, 1], steps: 20 * newtonSteps).points
        #expect(Self.stepsToReach(gd, [1, 1], tolerance: 1e-6) == nil)
        #expect(f.distanceToNearestMinimum(from: gd.last!) > 1e-3)
    }

    /// Chapter 4, @fig-lr-sweep, at reduced size: in the same grid of learning rates, Lion's
    /// best rate is smaller than AdamW's, because every coordinate of a Lion step has the full
    /// size lr while AdamW's steps are mostly shorter. A small MLP on two moons with minibatches
    /// stands in for the transformer; the grid doubles from 10⁻³.
    @Test func lionsBestLearningRateIsSmallerThanAdamWs() {
        let net = MLP(sizes: [2, 16, 16, 2], activation: .tanh)
        let data = Datasets.twoMoons(count: 200, noise: 0.2, seed: 0)
        let grid = (0..<9).map { 1e-3 * pow(2, Double($0)) }
        func bestRate(_ make: (Double) -> any Optimizer) -> Double {
            let losses = grid.map { lr in make(lr).fit(net, to: data, steps: 300, batchSize: 16, seed: 1).history.finalLoss }
            return grid[losses.indices.min { losses[$0] < losses[$1] }!]
        }
        let adamW = bestRate { AdamW(lr: $0, weightDecay: 0) }
        let lion = bestRate { Lion(lr: $0) }
        #expect(lion < adamW, "best Lion lr \(lion), best AdamW lr \(adamW)")
    }
}
