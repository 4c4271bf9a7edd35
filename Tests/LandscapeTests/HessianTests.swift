import Testing
import Autodiff
import Models
import Optimizers
@testable import Landscape

/// The curvature instruments against the dense eigendecomposition of Hessians small enough to form.
@Suite struct HessianTests {
    /// Lanczos's top eigenvalues of an MLP's loss equal the largest eigenvalues of the dense
    /// Hessian, formed independently by Autodiff's `hessian` on the flat-parameter loss.
    @Test func lanczosTopEigenvaluesMatchDenseEigendecomposition() {
        let (net, data, parameters) = Fixtures.smallNetwork()
        let layout = net.layout
        let flatLoss = { (theta: Tensor) -> Tensor in softmaxCrossEntropy(logits: net(data.inputs, flat: theta), labels: data.labels) }
        let dense = symmetricEigenvalues(hessian(at: layout.flatten(parameters), in: flatLoss)).scalars
        let exact = Array(dense.reversed().prefix(3))

        let H = Hessian(of: net, on: data, at: parameters)
        #expect(H.dimension == 74)
        let pairs = H.topEigenpairs(3)
        let scale = max(1, abs(exact[0]))
        for (pair, lambda) in zip(pairs, exact) {
            #expect(abs(pair.value - lambda) <= 1e-8 * scale)
            #expect(abs(Vectors.norm(pair.vector) - 1) <= 1e-12)
            #expect(pair.residual <= 1e-6 * scale)
        }
        #expect(pairs[0].products < 74)  // converged before spanning the whole space
        // The same Hessian through the flat-vector entry point.
        let flat = Hessian(of: flatLoss, at: layout.flatten(parameters)).topEigenvalues(1)
        #expect(abs(flat[0] - exact[0]) <= 1e-8 * scale)
        // And the dense spectrum of the Hessian value agrees with the independent one.
        let spectrum = H.spectrum().eigenvalues
        for (a, b) in zip(spectrum, dense) { #expect(abs(a - b) <= 1e-10 * scale) }
    }

    /// The low end: the most negative eigenvalues and the negative-curvature directions of a
    /// matrix with known eigenvalues.
    @Test func bottomEigenpairsAndNegativeCurvature() {
        let h = Hessian(matrix: Fixtures.matrix(eigenvalues: [7, 3, 1, 0.5, -2, -5], seed: 1))
        let bottom = h.bottomEigenpairs(2)
        #expect(abs(bottom[0].value - (-5)) <= 1e-10)
        #expect(abs(bottom[1].value - (-2)) <= 1e-10)
        let negative = h.negativeCurvatureDirections(4)
        #expect(negative.map(\.value).count == 2)
        for d in negative {
            let curvature = Vectors.dot(d.vector, h(d.vector))
            #expect(curvature < 0)
        }
    }

    /// A repeated top eigenvalue is found with its multiplicity: the Krylov space of one start
    /// vector holds only one copy, so Lanczos restarts orthogonally on breakdown.
    @Test func lanczosFindsRepeatedEigenvalues() {
        let h = Hessian(matrix: Fixtures.matrix(eigenvalues: [5, 5, 1, 0, -1], seed: 4))
        let top = h.topEigenvalues(2)
        #expect(top.count == 2)
        for lambda in top { #expect(abs(lambda - 5) <= 1e-12) }
    }

    /// Power iteration with deflation (PyHessian) reaches the same eigenvalues when run to a
    /// tight tolerance; with its default 1e-3 it is close but needs more products than Lanczos.
    @Test func powerIterationAgreesWithLanczos() {
        let h = Hessian(matrix: Fixtures.matrix(eigenvalues: [10, 6, 3, 1, 0.5, 0.1, -0.2, -0.4], seed: 2))
        let tight = h.powerIteration(3, tolerance: 1e-14, maxIterations: 5000)
        for (pair, lambda) in zip(tight, [10.0, 6, 3]) { #expect(abs(pair.value - lambda) <= 1e-8) }
        let rough = h.powerIteration(1)
        #expect(abs(rough[0].value - 10) <= 1e-2)
        let lanczos = h.topEigenpairs(1)
        #expect(abs(lanczos[0].value - 10) <= 1e-12)
        #expect(lanczos[0].products <= 8)
    }

    /// For a diagonal Hessian every Rademacher sample zᵀHz = Σ Hᵢᵢ zᵢ² is the trace itself.
    @Test func hutchinsonIsExactForDiagonalHessians() {
        let h = Hessian(matrix: Tensor.diagonal(Tensor([4, -1, 0.5, 2, 3])))
        let t = h.trace(probes: 10, seed: 7)
        #expect(abs(t.value - 8.5) <= 1e-12)
        #expect(t.standardError <= 1e-12)
    }

    /// On an MLP the estimate lies within 4 standard deviations of the exact trace, the
    /// deviation computed exactly from the dense Hessian: Var(zᵀHz) = 2 Σ_{i≠j} Hᵢⱼ².
    /// (A false failure has probability below 1e-4; the seed is fixed, so the run is repeatable.)
    @Test func hutchinsonWithinStatisticalToleranceOfExactTrace() {
        let (net, data, parameters) = Fixtures.tinyNetwork()
        let H = Hessian(of: net, on: data, at: parameters)
        let dense = H.matrix()
        let exact = (0..<H.dimension).reduce(0.0) { $0 + dense.scalars[$1 * H.dimension + $1] }
        let probes = 400
        let sigma = (Fixtures.rademacherVariance(dense) / Double(probes)).squareRoot()
        let estimate = H.trace(probes: probes, seed: 11)
        #expect(abs(estimate.value - exact) <= 4 * sigma)
        #expect(abs(estimate.standardError - sigma) <= 0.5 * sigma)  // the reported error is honest
        #expect(abs(H.spectrum().trace - exact) <= 1e-10 * max(1, abs(exact)))
    }

    /// Stochastic Lanczos quadrature: the density is normalized, its nodes are eigenvalues
    /// when the Krylov space is the whole space, and its mean is tr H / n on average.
    @Test func spectralDensityIntegratesToOneAndHasTheRightMean() {
        let (net, data, parameters) = Fixtures.tinyNetwork()
        let H = Hessian(of: net, on: data, at: parameters)
        let n = Double(H.dimension)
        let spectrum = H.spectrum()
        let density = H.spectralDensity(runs: 30, seed: 4)
        #expect(abs(density.integral - 1) <= 1e-12)
        #expect(density.density.allSatisfy { $0 >= 0 })
        for w in density.weights { #expect(abs(w.reduce(0, +) - 1) <= 1e-10) }
        // 100 steps > n = 22: each run spans the Krylov space, so each node is an eigenvalue.
        let scale = max(1, abs(spectrum.largest), abs(spectrum.smallest))
        for theta in density.nodes.flatMap({ $0 }) {
            #expect(spectrum.eigenvalues.contains { abs($0 - theta) <= 1e-8 * scale })
        }
        // The curve keeps the quadrature's mean (no mass lost at the edges)…
        #expect(abs(density.mean - density.quadratureMean) <= 1e-6 * scale)
        // …and that is 30 Hutchinson samples of tr H / n: within 4σ of the exact value.
        let sigma = (Fixtures.rademacherVariance(H.matrix()) / 30).squareRoot() / n
        #expect(abs(density.quadratureMean - spectrum.trace / n) <= 4 * sigma)
    }

    /// With a diagonal Hessian each Rademacher run gives the mean tr H / n exactly, and the
    /// density has its peaks at the eigenvalues with weights their multiplicities / n.
    @Test func spectralDensityOfADiagonalHessian() {
        let h = Hessian(matrix: Tensor.diagonal(Tensor([1, 1, 1, 4])))
        let density = h.spectralDensity(seed: 3)
        #expect(abs(density.quadratureMean - 7.0 / 4) <= 1e-12)
        #expect(abs(density.mean - 7.0 / 4) <= 1e-9)
        #expect(density.nodes[0].count == 2)  // two distinct eigenvalues: the run stops at the invariant space
        let sorted = zip(density.nodes[0], density.weights[0]).sorted { $0.0 < $1.0 }
        #expect(abs(sorted[0].0 - 1) <= 1e-12 && abs(sorted[0].1 - 0.75) <= 1e-12)
        #expect(abs(sorted[1].0 - 4) <= 1e-12 && abs(sorted[1].1 - 0.25) <= 1e-12)
    }

    /// The dense spectrum counts flat directions: least squares with a duplicated feature has
    /// an exactly zero eigenvalue.
    @Test func spectrumCountsNearZeroEigenvalues() {
        let s = HessianSpectrum(eigenvalues: [3, -1, 1e-14, 0, 2])
        #expect(s.nearZeroCount() == 2)
        #expect(s.negativeCount() == 1)
        #expect(s.positiveCount() == 2)
        #expect(s.eigenvalues == [-1, 0, 1e-14, 2, 3])
        // Least squares on inputs (x, x): H = 2/N XᵀX has rank 1, so one of two eigenvalues is 0.
        let x = Tensor([[1, 1], [2, 2], [-1, -1]]), y = Tensor([1, 0, 2])
        let H = Hessian(of: { w in meanSquaredError(matmul(x, w), y) }, at: Tensor([0.3, -0.2]))
        let spectrum = H.spectrum()
        #expect(spectrum.nearZeroCount() == 1)
        #expect(abs(spectrum.largest - 2 * 2 * 6 / 3.0) <= 1e-12)  // 2/N · ‖(1,1)‖² · Σx² 
    }
}
