import Testing
import Autodiff
import Models
@testable import Landscape

/// Critical points found from many starts and classified by the Hessian's eigenvalue signs.
@Suite struct CriticalPointsTests {
    /// Himmelblau's function has exactly nine critical points in [−5, 5]²: four minima (f = 0),
    /// four saddles of index 1 and one maximum; each is found where the answer key (SymPy,
    /// 30 digits) puts it, with the right kind.
    @Test func himmelblauMinimaSaddlesAndMaximum() {
        let f = Functions.himmelblau
        let points = CriticalPoints.find(in: f, x: -5...5, y: -5...5)
        #expect(points.count == 9)
        #expect(points.filter { $0.kind == .minimum }.count == 4)
        #expect(points.filter { $0.kind == .saddle(index: 1) }.count == 4)
        #expect(points.filter { $0.kind == .maximum }.count == 1)
        for known in f.criticalPoints {
            let match = points.first { CriticalPoints.distance($0.location, known.location) <= 1e-8 }
            #expect(match != nil, "no critical point found near \(known.location)")
            guard let match else { continue }
            #expect(abs(match.value - known.value) <= 1e-8)
            switch known.kind {
            case .globalMinimum, .localMinimum: #expect(match.kind == .minimum)
            case .saddle: #expect(match.kind == .saddle(index: 1))
            case .maximum: #expect(match.kind == .maximum)
            case .degenerate: #expect(match.kind == .degenerate)
            }
        }
        // Sorted by value: the four minima first, the maximum last.
        #expect(points.prefix(4).allSatisfy { $0.kind == .minimum })
        #expect(points.last?.kind == .maximum)
    }

    /// The monkey saddle's only critical point is the origin, where the Hessian vanishes:
    /// reported degenerate, not as a saddle. The ordinary saddle x² − y² is a saddle of index 1.
    @Test func monkeySaddleIsDegenerate() {
        let monkey = CriticalPoints.find(in: Functions.monkeySaddle, x: -1...1, y: -1...1, starts: 8)
        #expect(monkey.count == 1)
        #expect(monkey.first.map { CriticalPoints.distance($0.location, [0, 0]) <= 1e-6 } == true)
        #expect(monkey.first?.kind == .degenerate)
        #expect(CriticalPoints.classify(Functions.monkeySaddle, at: [0, 0]).kind == .degenerate)

        let saddle = CriticalPoints.find(in: Functions.saddle, x: -1...1, y: -1...1, starts: 8)
        #expect(saddle.count == 1)
        #expect(saddle.first?.kind == .saddle(index: 1))
        #expect(saddle.first?.hessianEigenvalues == [-2, 2])
    }

    /// The classification rule itself, on eigenvalues.
    @Test func classificationBySigns() {
        #expect(CriticalKind(eigenvalues: [1, 2, 3], zeroTolerance: 1e-9) == .minimum)
        #expect(CriticalKind(eigenvalues: [-3, -1], zeroTolerance: 1e-9) == .maximum)
        #expect(CriticalKind(eigenvalues: [-3, -1, 2], zeroTolerance: 1e-9) == .saddle(index: 2))
        #expect(CriticalKind(eigenvalues: [-3, 1e-12, 2], zeroTolerance: 1e-9) == .degenerate)
        #expect(CriticalKind(eigenvalues: [0, 0], zeroTolerance: 0) == .degenerate)
        #expect(CriticalKind.saddle(index: 1).description == "saddle (index 1)")
    }

    /// The double well's barrier saddle sits at the origin with value h, between minima at ±1.
    @Test func doubleWellHasTwoMinimaAndASaddle() {
        let points = CriticalPoints.find(in: Functions.doubleWell(barrier: 2, curvature: 1), x: -2...2, y: -1...1, starts: 10)
        #expect(points.map(\.kind) == [.minimum, .minimum, .saddle(index: 1)])
        #expect(abs(points[2].value - 2) <= 1e-12)
    }
}

/// Basins of attraction of gradient descent.
@Suite struct BasinMapTests {
    /// Himmelblau's four minima each attract part of [−5, 5]²; a start at a minimum stays
    /// there with zero steps; every start is accounted for.
    @Test func himmelblauHasFourBasins() {
        let f = Functions.himmelblau
        let map = BasinMap(f, x: -5...5, y: -5...5, resolution: 11, learningRate: 0.01)
        #expect(map.basins.count == 121 && map.steps.count == 121)
        #expect(map.basinSizes.allSatisfy { $0 > 0 })
        #expect(map.basinSizes.reduce(0, +) + map.basins.filter { $0 == -1 }.count == 121)
        // (3, 2) is grid point (8, 7) of the 11-point grid: GD starts converged.
        let i = 8, j = 7
        #expect(map.xs[i] == 3 && map.ys[j] == 2)
        #expect(map.steps[j * 11 + i] == 0)
        #expect(map.minima[map.basins[j * 11 + i]] == [3, 2])
        #expect(map.basinGrid.count == 11 && map.basinGrid[0].count == 11)
    }

    /// With η·λmax > 2 GD diverges from every start with a component along the sharp
    /// eigenvector (on a rotated quadratic: every start but the minimum itself): no basin.
    @Test func unstableStepSizeHasNoBasin() {
        let map = BasinMap(Functions.quadratic(eigenvalues: [1, 10], angle: 0.3), x: -1...1, y: -1...1, resolution: 3,
                           learningRate: 0.25, maxSteps: 200)
        #expect(map.basins == [-1, -1, -1, -1, 0, -1, -1, -1, -1])
        #expect(map.steps[4] == 0)
    }
}
