import Testing
import Autodiff
import Models
import Optimizers
@testable import Landscape

/// Edge-of-stability tracking and the principal plane of an optimizer's path.
@Suite struct DynamicsTests {
    static let a = Fixtures.matrix(eigenvalues: [4, 1, 0.25], seed: 6)
    static func quadratic(_ p: [Tensor]) -> Tensor { 0.5 * dot(p[0], matmul(a, p[0])) }

    /// On a quadratic the sharpness is λmax at every step, and the losses are those of
    /// wₜ = (I − ηA)ᵗ w₀.
    @Test func quadraticSharpnessIsConstantAndLossesFollowGD() {
        let w0 = Tensor([1, -2, 0.5])
        let run = trackEdgeOfStability(of: Self.quadratic, from: [w0], learningRate: 0.1, steps: 20, every: 5)
        #expect(run.threshold == 20)
        #expect(run.sharpnessSteps == [0, 5, 10, 15, 20])
        for s in run.sharpness { #expect(abs(s - 4) <= 1e-10) }
        var w = w0
        for t in 0...20 {
            #expect(abs(run.losses[t] - Self.quadratic([w]).scalar) <= 1e-13)
            w = (w - 0.1 * matmul(Self.a, w)).detached
        }
        #expect(!run.diverged)
    }

    /// Above the threshold, λmax > 2/η, GD on a quadratic diverges and the run says so.
    @Test func gdDivergesAboveTheThreshold() {
        let run = trackEdgeOfStability(of: Self.quadratic, from: [Tensor([1, 1, 1])], learningRate: 0.6,
                                       steps: 3000, every: 1000)
        #expect(run.threshold < 4)
        #expect(run.diverged)
        #expect(run.losses.dropLast().allSatisfy { $0.isFinite })
    }

    /// Cohen et al.'s phenomenon on a small scale: a tanh MLP fitting a teacher with MSE by
    /// full-batch GD at η = 0.4 starts with sharpness below 2/η = 5, sharpens progressively
    /// until it crosses 2/η, and from then on hovers around it (within ±20 %) instead of
    /// growing on or diverging, while the loss keeps falling, non-monotonically.
    @Test func sharpnessRisesToTwoOverEtaAndHovers() {
        let data = Datasets.teacherStudent(count: 128, inputDimension: 4, teacherWidth: 8, seed: 1)
        let net = MLP(sizes: [4, 32, 32, 1], activation: .tanh)
        let run = trackEdgeOfStability(net, on: data, learningRate: 0.4, steps: 600, every: 50)
        #expect(!run.diverged)
        #expect(run.sharpness[0] < 0.95 * run.threshold)
        guard let crossing = run.sharpness.firstIndex(where: { $0 > run.threshold }) else {
            Issue.record("the sharpness never reached 2/η: \(run.sharpness)")
            return
        }
        for s in run.sharpness[crossing...] { #expect(abs(s - run.threshold) <= 0.2 * run.threshold) }
        #expect(zip(run.losses, run.losses.dropFirst()).contains { $1 > $0 })  // not monotone
        #expect(run.losses.last! < 0.1 * run.losses[0])
    }

    /// A path lying in a plane is recovered exactly: the two principal directions explain all
    /// of its variance and the plane's coordinates rebuild every iterate.
    @Test func trajectoryDirectionsRecoverAPlanarPath() {
        let final = [Tensor([1, 2]), Tensor([0.5, -1, 3])]
        let u = [Tensor([1, 0]), Tensor([0, 1, 0])], v = [Tensor([0, 1]), Tensor([1, 0, -1])]
        let coefficients: [(Double, Double)] = [(3, 1), (2, 1.5), (1.2, 0.4), (0.5, -0.2), (0.1, 0.05), (0, 0)]
        let path = coefficients.map { a, b in zip(final.indices, final).map { i, f in f + a * u[i] + b * v[i] } }
        let directions = TrajectoryDirections(of: path)
        #expect(abs(directions.explainedVariance.first + directions.explainedVariance.second - 1) <= 1e-12)
        #expect(directions.explainedVariance.first >= directions.explainedVariance.second)
        let plane = LossPlane(at: final, directions: directions.first, directions.second, resolution: 3) { p in
            p[0].squared().sum() + p[1].squared().sum()
        }
        let flat = path.map { Vectors.flatten($0) }
        for (xy, target) in zip(plane.coordinates(of: path), flat) {
            var rebuilt = Vectors.flatten(final)
            Vectors.addScaled(&rebuilt, xy.alpha, Vectors.flatten(directions.first))
            Vectors.addScaled(&rebuilt, xy.beta, Vectors.flatten(directions.second))
            for (r, t) in zip(rebuilt, target) { #expect(abs(r - t) <= 1e-12) }
        }
    }
}

/// Gradient noise and plateaus.
@Suite struct GradientNoiseTests {
    /// tr Σ and ‖G‖² from per-example gradients, and the noise of a batch matches its
    /// expectation: the average of ‖g_B − G‖² over every batch of size 2 equals
    /// (tr Σ/2)(n − 2)/(n − 1) exactly.
    @Test func noiseScaleAndBatchDeviation() {
        let grads: [[Double]] = [[1, 0], [0, 2], [3, 1], [-1, 1]]
        let noise = GradientNoise(perExampleGradients: grads)
        #expect(abs(noise.gradientNormSquared - 1.5625) <= 1e-15)  // G = (0.75, 1)
        let mean = [0.75, 1.0]
        func squaredDistance(_ g: [Double]) -> Double {
            let (dx, dy) = (g[0] - mean[0], g[1] - mean[1])
            return dx * dx + dy * dy
        }
        let tr = grads.map(squaredDistance).reduce(0.0) { $0 + $1 } / 4.0
        #expect(abs(noise.traceCovariance - tr) <= 1e-15)
        #expect(abs(noise.noiseScale - tr / 1.5625) <= 1e-14)
        var total = 0.0, pairs = 0
        for i in 0..<4 { for j in (i + 1)..<4 {
            let gb = [(grads[i][0] + grads[j][0]) / 2, (grads[i][1] + grads[j][1]) / 2]
            total += squaredDistance(gb)
            pairs += 1
        } }
        #expect(abs(total / Double(pairs) - noise.expectedDeviation(batchSize: 2)) <= 1e-14)
        #expect(noise.expectedDeviation(batchSize: 4) == 0)
    }

    /// On an MLP the mean of the per-example gradients is the full-batch gradient.
    @Test func perExampleGradientsAverageToTheFullGradient() {
        let net = MLP(sizes: [2, 4, 2], activation: .tanh)
        let data = Datasets.twoMoons(count: 16, seed: 1)
        let params = net.initialParameters(seed: 1)
        let noise = GradientNoise(of: net, on: data, at: params)
        let full = Vectors.flatten(gradient(at: params, in: net.loss(on: data)))
        #expect(abs(noise.gradientNormSquared - Vectors.dot(full, full)) <= 1e-12 * Vectors.dot(full, full))
        #expect(noise.traceCovariance > 0 && noise.count == 16)
    }

    /// Plateaus are the long runs of small gradient norms.
    @Test func plateausAreLongRunsOfSmallGradients() {
        let norms = [10.0, 8, 0.1, 0.2, 0.1, 0.3, 5, 0.1, 0.2, 7, 0.1, 0.1, 0.1]
        #expect(plateaus(inGradientNorms: norms, relativeThreshold: 0.05, minimumLength: 3)
                == [Plateau(start: 2, end: 6), Plateau(start: 10, end: 13)])
        #expect(plateaus(inGradientNorms: norms, relativeThreshold: 0.05, minimumLength: 5).isEmpty)
    }
}
