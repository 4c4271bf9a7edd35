import Testing
@testable import Models
import Autodiff

/// The test landscapes: their two forms agree, and their answer keys are right.
@Suite struct FunctionsTests {
    @Test("Rosenbrock at hand-computed points")
    func rosenbrockValues() {
        let f = Functions.rosenbrock
        // (1 − 0.5)² + 100 (0.5 − 0.25)² = 0.25 + 6.25 = 6.5
        #expect(f(0.5, 0.5) == 6.5)
        // (1 + 1.5)² + 100 (2 − 2.25)² = 6.25 + 6.25 = 12.5
        #expect(abs(f(-1.5, 2.0) - 12.5) < 1e-12)
        #expect(f(1, 1) == 0)
        // ∇f = (−2(1 − x) − 400x(y − x²), 200(y − x²)); at (0.5, 0.5): (−1 − 50, 50).
        let g = f.gradient(at: [0.5, 0.5])
        #expect(abs(g[0] - -51) < 1e-12 && abs(g[1] - 50) < 1e-12)
        // Hessian at (1, 1): [[2 + 1200 − 400, −400], [−400, 200]] = [[802, −400], [−400, 200]].
        let h = f.hessian(at: [1, 1])
        #expect(abs(h[0][0] - 802) < 1e-9 && abs(h[0][1] + 400) < 1e-9 && abs(h[1][1] - 200) < 1e-9)
    }

    @Test("The Double and Tensor forms agree", arguments: Functions.all.map(\.name))
    func formsAgree(name: String) {
        let f = Functions.all.first { $0.name == name }!
        var rng = RNG(seed: 11)
        for _ in 0..<50 {
            let x = rng.uniform(in: f.domain.x), y = rng.uniform(in: f.domain.y)
            let a = f(x, y), b = f(Tensor([x, y])).scalar
            #expect(abs(a - b) <= 1e-12 * Swift.max(1, abs(a)), "\(name) at (\(x), \(y)): \(a) vs \(b)")
        }
    }

    @Test("Every listed critical point has zero gradient and the listed value", arguments: Functions.all.map(\.name))
    func criticalPointsAreCritical(name: String) {
        let f = Functions.all.first { $0.name == name }!
        #expect(!f.criticalPoints.isEmpty)
        for p in f.criticalPoints {
            let g = f.gradient(at: p.location)
            let gradNorm = (g[0] * g[0] + g[1] * g[1]).squareRoot()
            #expect(gradNorm < 1e-9, "\(name) at \(p.location): ‖∇f‖ = \(gradNorm)")
            #expect(abs(f.value(at: p.location) - p.value) < 1e-10, "\(name) at \(p.location)")
        }
    }

    @Test("Kinds match the Hessian's eigenvalues", arguments: Functions.all.map(\.name))
    func kindsMatchHessian(name: String) {
        let f = Functions.all.first { $0.name == name }!
        for p in f.criticalPoints {
            let h = f.hessian(at: p.location)
            // Eigenvalues of a symmetric 2×2: mean ± √(((a − d)/2)² + b²).
            let mean = (h[0][0] + h[1][1]) / 2
            let r = (((h[0][0] - h[1][1]) / 2) * ((h[0][0] - h[1][1]) / 2) + h[0][1] * h[0][1]).squareRoot()
            let lo = mean - r, hi = mean + r
            switch p.kind {
            case .globalMinimum, .localMinimum: #expect(lo > 0, "\(name) \(p.location): λ = \(lo), \(hi)")
            case .maximum: #expect(hi < 0, "\(name) \(p.location): λ = \(lo), \(hi)")
            case .saddle: #expect(lo < 0 && hi > 0, "\(name) \(p.location): λ = \(lo), \(hi)")
            case .degenerate: #expect(abs(lo) < 1e-12 || abs(hi) < 1e-12)
            }
        }
    }

    @Test("Global minima are the lowest values seen on a grid over the domain", arguments: Functions.all.map(\.name))
    func globalMinimaAreLowest(name: String) {
        let f = Functions.all.first { $0.name == name }!
        guard let best = f.minimumValue else { return }  // saddles: no minimum
        for i in 0...60 {
            for j in 0...60 {
                let x = f.domain.x.lowerBound + (f.domain.x.upperBound - f.domain.x.lowerBound) * Double(i) / 60
                let y = f.domain.y.lowerBound + (f.domain.y.upperBound - f.domain.y.lowerBound) * Double(j) / 60
                #expect(f(x, y) >= best - 1e-12, "\(name) at (\(x), \(y)) = \(f(x, y)) < \(best)")
            }
        }
    }

    @Test("Himmelblau has four global minima, all with f = 0")
    func himmelblauMinima() {
        #expect(Functions.himmelblau.globalMinima.count == 4)
        #expect(Functions.himmelblau.globalMinima.allSatisfy { $0.value == 0 })
    }

    @Test("A quadratic's Hessian has the chosen eigenvalues along the rotated axes")
    func quadraticConditioning() {
        let angle = 0.3
        let q = Functions.quadratic(eigenvalues: [1, 10], angle: angle)
        let h = q.hessian(at: [0.7, -0.2])
        // A·(cos θ, sin θ) = 1·(cos θ, sin θ) and A·(−sin θ, cos θ) = 10·(−sin θ, cos θ).
        let c = cos(angle), s = sin(angle)
        #expect(abs(h[0][0] * c + h[0][1] * s - c) < 1e-12 && abs(h[1][0] * c + h[1][1] * s - s) < 1e-12)
        #expect(abs(h[0][0] * -s + h[0][1] * c + 10 * s) < 1e-12 && abs(h[1][0] * -s + h[1][1] * c - 10 * c) < 1e-12)
        #expect(Functions.quadratic(conditionNumber: 100).hessian(at: [0, 0]) == [[1, 0], [0, 100]])
        #expect(Functions.quadratic(eigenvalues: [2, -1]).criticalPoints[0].kind == .saddle)
    }

    @Test("The double well's barrier is the saddle's height")
    func doubleWellBarrier() {
        let f = Functions.doubleWell(barrier: 2.5, curvature: 3)
        #expect(f(0, 0) == 2.5)
        #expect(f(1, 0) == 0 && f(-1, 0) == 0)
        // Curvature 8h along x at the minima: d²/dx² h(x² − 1)² = h(12x² − 4) = 8h at x = ±1.
        #expect(abs(f.hessian(at: [1, 0])[0][0] - 20) < 1e-12)
        #expect(abs(f.hessian(at: [1, 0])[1][1] - 3) < 1e-12)
    }

    @Test("The monkey saddle's Hessian vanishes at the origin; the ordinary saddle's is diag(2, −2)")
    func saddles() {
        #expect(Functions.monkeySaddle.hessian(at: [0, 0]) == [[0, 0], [0, 0]])
        #expect(Functions.saddle.hessian(at: [0, 0]) == [[2, 0], [0, -2]])
    }

    @Test("Distance to the nearest minimum")
    func distance() {
        #expect(abs(Functions.himmelblau.distanceToNearestMinimum(from: [3, 2.5]) - 0.5) < 1e-12)
    }
}
