import Testing
import Autodiff
import Models
import Optimizers
@testable import Landscape

/// 1-D interpolations, 2-D planes with filter-normalized directions, and linear barriers.
@Suite struct SlicesTests {
    /// Each filter (row of a dense weight) of a filter-normalized direction has exactly the
    /// norm of the matching weight row; biases get zero, or the bias itself when asked.
    @Test func filterNormalizedRowsHaveTheWeightRowNorms() {
        let net = MLP(sizes: [3, 8, 5, 2], activation: .relu)
        let w = net.initialParameters(seed: 4)
        let d = filterNormalizedDirection(like: w, seed: 9)
        #expect(d.map(\.shape) == w.map(\.shape))
        for (dt, wt) in zip(d, w) {
            if wt.rank == 1 {
                #expect(dt.scalars.allSatisfy { $0 == 0 })
                continue
            }
            let width = wt.shape[1]
            for r in 0..<wt.shape[0] {
                let dr = Array(dt.scalars[(r * width)..<((r + 1) * width)])
                let wr = Array(wt.scalars[(r * width)..<((r + 1) * width)])
                #expect(abs(Vectors.norm(dr) - Vectors.norm(wr)) <= 1e-14 * Vectors.norm(wr))
            }
        }
        let withBiases = filterNormalizedDirection(like: w, seed: 9, includeBiases: true)
        #expect(withBiases[1] == w[1] && withBiases[3] == w[3])
        #expect(filterNormalizedDirection(like: w, seed: 9) == d)  // seeded: repeatable
        #expect(filterNormalizedDirection(like: w, seed: 10) != d)
    }

    /// The plane of a quadratic ½ wᵀAw equals its closed form at every grid point, has the
    /// centre's loss at (0, 0), and places a point of the plane at its coordinates.
    @Test func planeMatchesDirectEvaluationAndProjects() {
        let a = Fixtures.matrix(eigenvalues: [3, 1, 0.5], seed: 5)
        let loss = { (w: Tensor) -> Tensor in 0.5 * dot(w, matmul(a, w)) }
        let w = Tensor([0.5, -1, 2]), d1 = Tensor([1, 0, 1]), d2 = Tensor([0, 2, -1])
        let plane = LossPlane(at: w, directions: d1, d2, alpha: -2...2, beta: -1...1, resolution: 21, in: loss)
        #expect(plane.values.count == 21 * 21 && plane.grid.count == 21 && plane.grid[0].count == 21)
        #expect(plane[10, 10] == loss(w).scalar)
        for (i, j) in [(0, 0), (3, 17), (20, 20), (14, 2)] {
            let p = w + plane.alphas[i] * d1 + plane.betas[j] * d2
            #expect(abs(plane[i, j] - loss(p).scalar) <= 1e-12)
            #expect(plane.grid[j][i] == plane[i, j])
        }
        let on = plane.coordinates(of: [[w + 0.3 * d1 - 0.7 * d2], [w]])
        #expect(abs(on[0].alpha - 0.3) <= 1e-12 && abs(on[0].beta + 0.7) <= 1e-12)
        #expect(abs(on[1].alpha) <= 1e-15 && abs(on[1].beta) <= 1e-15)
    }

    /// Li et al.'s MLP plane: filter-normalized directions, the trained point at the centre.
    @Test func mlpPlaneIsCentredOnTheTrainedLoss() {
        let net = MLP(sizes: [2, 8, 2], activation: .relu)
        let data = Datasets.twoMoons(count: 64, seed: 2)
        let (trained, _) = Adam(lr: 0.05).fit(net, to: data, steps: 60, seed: 3)
        let plane = LossPlane(of: net, on: data, at: trained, resolution: 9, seed: 1)
        let centre = net.loss(on: data)(trained).scalar
        #expect(abs(plane[4, 4] - centre) <= 1e-12)
        #expect(plane.values.allSatisfy { $0.isFinite })
        // The trained point is low on the plane: most of the grid lies above it.
        #expect(plane.values.filter { $0 >= centre - 1e-12 }.count >= plane.values.count * 3 / 4)
        // The MLP plane is evaluated on several threads; the one-thread generic plane through
        // the same directions gives exactly the same numbers.
        let serial = LossPlane(at: trained, directions: filterNormalizedDirection(like: trained, seed: 1),
                               filterNormalizedDirection(like: trained, seed: 2), resolution: 9, in: net.loss(on: data))
        #expect(serial.values == plane.values)
    }

    /// Goodfellow et al.'s interpolation: the ends are the endpoint losses, the middle is the
    /// midpoint's loss.
    @Test func interpolationHitsTheEndpoints() {
        let f = Functions.himmelblau
        let a = Tensor([3, 2]), b = Tensor([-2.805118086952745, 3.131312518250573])
        let slice = LossSlice(from: a, to: b, over: -0.5...1.5, count: 9) { f($0) }
        #expect(slice.alphas == [-0.5, -0.25, 0, 0.25, 0.5, 0.75, 1, 1.25, 1.5])
        #expect(slice.losses[2] == f(3, 2))
        #expect(abs(slice.losses[4] - f(0.5 * (3 - 2.805118086952745), 0.5 * (2 + 3.131312518250573))) <= 1e-12)
        let along = LossSlice(at: a, along: Tensor([1, 0]), over: -1...1, count: 3) { f($0) }
        #expect(along.losses == [f(2, 2), f(3, 2), f(4, 2)])
    }

    /// Inside one convex basin there is no barrier: the loss stays under its chord.
    @Test func noBarrierInAConvexBasin() {
        let q = Functions.quadratic(eigenvalues: [1, 10], angle: 0.4)
        let b = barrier(from: [0.8, -0.3], to: [-1.1, 0.9], in: q)
        #expect(abs(b.height) <= 1e-12)
        // Logistic regression is convex in its weights too.
        var rng = RNG(seed: 8)
        let x = Tensor.randomNormal([30, 3], using: &rng)
        let y = (0..<30).map { $0 % 2 }
        let loss = { (w: Tensor) -> Tensor in binaryCrossEntropy(logits: matmul(x, w), labels: y) }
        let convex = barrier(from: Tensor([1, -2, 0.5]), to: Tensor([-0.5, 1, 2]), in: loss)
        #expect(abs(convex.height) <= 1e-12)
    }

    /// Between two of Himmelblau's minima the loss rises: the barrier is positive, equals the
    /// excess evaluated directly at the reported α, and is at least every excess on a fine grid.
    @Test func himmelblauMinimaAreSeparatedByABarrier() {
        let f = Functions.himmelblau
        let a = [3.0, 2.0], b = [3.5844283403304917, -1.8481265269644036]
        let result = barrier(from: a, to: b, in: f)
        #expect(result.height > 1)
        let t = result.alpha
        let direct = f((1 - t) * a[0] + t * b[0], (1 - t) * a[1] + t * b[1]) - ((1 - t) * f(3, 2) + t * f(b[0], b[1]))
        #expect(abs(result.height - direct) <= 1e-9)
        let fine = (0...10_000).map { Double($0) / 10_000 }.map { s in
            f((1 - s) * a[0] + s * b[0], (1 - s) * a[1] + s * b[1]) - ((1 - s) * f(3, 2) + s * f(b[0], b[1]))
        }
        #expect(result.height >= fine.max()! - 1e-9)
        // Equal endpoint losses (both 0): Frankle's variant agrees.
        #expect(abs(result.heightAboveMeanEndpoint - result.height) <= 1e-9)
    }
}
