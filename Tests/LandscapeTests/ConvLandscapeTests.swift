import Foundation
import Testing
import Autodiff
import Models
import Optimizers
@testable import Landscape

/// The landscape instruments on convolutional networks: Li et al.'s `ignore='biasbn'`
/// directions, the loss plane, exact Hessian-vector products through convolutions and batch
/// normalization, and the curvature estimates against the dense Hessian.
@Suite struct ConvLandscapeTests {
    /// A small tanh ConvNet (smooth, so finite differences are clean) on 8 random 6×6 images,
    /// with batch-norm running statistics from one training pass.
    static func smallConvNet(normalization: Normalization = .batch)
        -> (net: ConvNet, images: Tensor, labels: [Int], parameters: [Tensor], statistics: [BatchNormStatistics]) {
        let net = ConvNet(inputChannels: 1, widths: [2, 3], blocksPerStage: 1, classes: 3,
                          normalization: normalization, activation: .tanh)
        var rng = RNG(seed: 21)
        let images = Tensor.randomNormal([8, 1, 6, 6], using: &rng)
        let labels = [0, 1, 2, 1, 0, 2, 2, 1]
        let parameters = net.initialParameters(seed: 3)
        let statistics = net.forward(images, parameters: parameters, statistics: net.initialStatistics(),
                                     mode: .training).statistics
        return (net, images, labels, parameters, statistics)
    }

    /// Hand-computed: a conv weight [2, 1, 1, 2] has filters (3, 4) (norm 5) and (0, 2)
    /// (norm 2); direction filters (1, 0) and (1, 1) become (5, 0) and (√2, √2). A 1-D gain
    /// gets 0 (or itself with `includeBiases`); an excluded rank-4 tensor gets 0 either way.
    @Test func filterNormalizationByHand() {
        let w = Tensor(shape: [2, 1, 1, 2], scalars: [3, 4, 0, 2])
        let d = Tensor(shape: [2, 1, 1, 2], scalars: [1, 0, 1, 1])
        let gain = Tensor([2, -1])
        let out = filterNormalize([d, d, Tensor([7, 7])], to: [w, w, gain], excluded: [false, true, false])
        let r = 2.0.squareRoot()
        #expect(out[0].shape == [2, 1, 1, 2])
        #expect(zip(out[0].scalars, [5, 0, r, r]).allSatisfy { abs($0 - $1) <= 1e-15 })
        #expect(out[1].scalars == [0, 0, 0, 0])
        #expect(out[2].scalars == [0, 0])
        let kept = filterNormalize([d, d, Tensor([7, 7])], to: [w, w, gain], includeBiases: true, excluded: [false, true, false])
        #expect(kept[2] == gain && kept[1].scalars == [0, 0, 0, 0])
        // A zero direction filter stays zero instead of dividing by zero.
        let z = filterNormalize([Tensor(shape: [2, 1, 1, 2], scalars: [0, 0, 1, 0])], to: [w])
        #expect(z[0].scalars == [0, 0, 2, 0])
    }

    /// The ConvNet rule: biases and every normalization gain and bias are masked; each conv
    /// filter [in, k, k] and each head row gets the norm of its weights; seeded.
    @Test(arguments: [Normalization.batch, .layer, .none]) func convNetDirections(normalization: Normalization) {
        let net = ConvNet(inputChannels: 1, widths: [2, 3], blocksPerStage: 1, classes: 3, normalization: normalization)
        let w = net.initialParameters(seed: 5)
        let mask = net.biasAndNormalizationMask
        for (name, flag) in zip(net.parameterNames, mask) {
            #expect(flag == (name.hasSuffix("bias") || name.hasSuffix("gain")), "\(name)")
        }
        #expect(mask.filter { $0 }.count == net.parameterNames.filter { !$0.hasSuffix("weight") }.count)
        let d = net.filterNormalizedDirection(like: w, seed: 9)
        #expect(d == net.filterNormalizedDirection(like: w, seed: 9) && d != net.filterNormalizedDirection(like: w, seed: 10))
        for (k, (dt, wt)) in zip(d, w).enumerated() {
            if mask[k] { #expect(dt.scalars.allSatisfy { $0 == 0 }); continue }
            let width = wt.count / wt.shape[0]
            for f in 0..<wt.shape[0] {
                let df = Array(dt.scalars[(f * width)..<((f + 1) * width)]), wf = Array(wt.scalars[(f * width)..<((f + 1) * width)])
                #expect(abs(Vectors.norm(df) - Vectors.norm(wf)) <= 1e-13 * Vectors.norm(wf))
            }
        }
        let withBiases = net.filterNormalizedDirection(like: w, seed: 9, includeBiases: true)
        for k in mask.indices where mask[k] { #expect(withBiases[k] == w[k]) }
    }

    /// The ConvNet plane is centred on the evaluation loss and every point is the loss at
    /// w + α d₁ + β d₂ (normalization parameters held still).
    @Test func convNetPlane() {
        let (net, images, labels, w, stats) = Self.smallConvNet()
        let plane = LossPlane(of: net, images: images, labels: labels, statistics: stats, at: w, resolution: 5, seed: 2)
        let loss = net.loss(images: images, labels: labels, statistics: stats)
        #expect(abs(plane[2, 2] - loss(w).scalar) <= 1e-12)
        let d1 = net.filterNormalizedDirection(like: w, seed: 2), d2 = net.filterNormalizedDirection(like: w, seed: 3)
        for (i, j) in [(0, 0), (4, 1), (3, 4)] {
            let p = zip(w, zip(d1, d2)).map { $0 + plane.alphas[i] * $1.0 + plane.betas[j] * $1.1 }
            #expect(abs(plane[i, j] - loss(p).scalar) <= 1e-11)
        }
        #expect(plane.values.allSatisfy { $0.isFinite })
    }

    /// H·v through convolutions, batch norm (evaluation) and the residual skip against the
    /// central difference of gradients, (∇L(w + εv) − ∇L(w − εv)) / 2ε, for three directions.
    @Test(arguments: [Normalization.batch, .layer, .none]) func hessianVectorProductMatchesFiniteDifferences(normalization: Normalization) {
        let (net, images, labels, w, stats) = Self.smallConvNet(normalization: normalization)
        let layout = net.layout, theta = layout.flatten(w)
        let loss = net.loss(images: images, labels: labels, statistics: stats)
        let H = Hessian(of: net, images: images, labels: labels, statistics: stats, at: w)
        #expect(H.dimension == net.parameterCount)
        func grad(_ t: Tensor) -> [Double] { Vectors.flatten(gradient(at: layout.unflatten(t), in: loss)) }
        for seed: UInt64 in 0..<3 {
            var rng = RNG(seed: 40 + seed)
            let v = Tensor.randomNormal([theta.count], using: &rng)
            let hv = H(v.scalars)
            let e = 1e-5
            let fd = zip(grad(theta + e * v), grad(theta - e * v)).map { ($0 - $1) / (2 * e) }
            let err = Vectors.norm(zip(hv, fd).map { $0 - $1 }) / max(Vectors.norm(hv), 1e-12)
            #expect(err <= 1e-6, "\(normalization) seed \(seed): relative error \(err)")
        }
    }

    /// Lanczos, Hutchinson and SLQ on the ConvNet's loss against its dense Hessian.
    @Test func curvatureEstimatesMatchTheDenseHessian() {
        let (net, images, labels, w, stats) = Self.smallConvNet()
        let H = Hessian(of: net, images: images, labels: labels, statistics: stats, at: w)
        let dense = H.spectrum()
        let exact = Array(dense.eigenvalues.reversed().prefix(3))
        let scale = max(1, abs(dense.largest), abs(dense.smallest))
        let top = H.topEigenvalues(3)
        for (a, b) in zip(top, exact) { #expect(abs(a - b) <= 1e-8 * scale, "Lanczos \(a) vs dense \(b)") }
        #expect(abs(H.bottomEigenpairs(1)[0].value - dense.smallest) <= 1e-8 * scale)
        let trace = H.trace(probes: 200, seed: 1)
        #expect(abs(trace.value - dense.trace) <= 4 * trace.standardError + 1e-9, "Hutchinson \(trace.value) ± \(trace.standardError) vs \(dense.trace)")
        // SLQ: a probability density whose outermost Ritz nodes are the extreme eigenvalues.
        let density = H.spectralDensity(steps: 60, runs: 2)
        #expect(abs(density.integral - 1) <= 1e-3)
        for run in density.nodes {
            #expect(abs(run.max()! - dense.largest) <= 1e-6 * scale && abs(run.min()! - dense.smallest) <= 1e-6 * scale,
                    "SLQ nodes [\(run.min()!), \(run.max()!)] vs [\(dense.smallest), \(dense.largest)]")
        }
    }

    /// The class-outlier structure (Papyan 2019/2020; Sagun et al. 2017): an MLP 49→24→10 on
    /// 500 Fashion-MNIST training images pooled to 7×7, trained briefly; its dense Hessian
    /// (1 450 parameters) eigendecomposed; Lanczos's top ten eigenvalues agree with the dense
    /// ones, and the top of the spectrum stands clear of the bulk.
    @Test(.enabled(if: FashionMNIST.isAvailable())) func classOutliersOnFashionMNIST() throws {
        let (net, data) = try Self.pooledFashionMNIST(count: 500)
        let (trained, _) = Adam(lr: 0.01).fit(net, to: data, steps: 150, batchSize: 100, seed: 1)
        let H = Hessian(of: net, on: data, at: trained)
        #expect(H.dimension == 49 * 24 + 24 + 24 * 10 + 10)
        let dense = H.spectrum().eigenvalues.reversed().map { $0 }
        let top = H.topEigenvalues(10)
        for (k, (a, b)) in zip(top, dense).enumerated() {
            #expect(abs(a - b) <= 1e-7 * dense[0], "λ\(k + 1): Lanczos \(a) vs dense \(b)")
        }
        let gap = zip(top, dense).map { abs($0 - $1) }.max()!
        print("class outliers: dense top 12 \(dense.prefix(12).map { ($0 * 1e4).rounded() / 1e4 }), "
              + "max |Lanczos − dense| over the top 10 = \(gap)")
        // Outliers: the largest eigenvalue is many times the median positive one.
        let positive = dense.filter { $0 > 1e-8 * dense[0] }
        let median = positive.sorted()[positive.count / 2]
        #expect(dense[0] > 50 * median, "λ1 \(dense[0]), median positive \(median)")
    }

    /// The first `count` training images pooled 4×4 → 7×7 (49 inputs), standardized, and an MLP for them.
    static func pooledFashionMNIST(count: Int) throws -> (net: MLP, data: Dataset) {
        let train: ImageDataset
        do throws(DataFileError) { train = try FashionMNIST.load(.train) } catch { throw error }
        let subset = train.prefix(count).standardized()
        let pooled = avgPool2d(subset.images, kernel: 4).reshaped(to: [count, 49])
        return (MLP(sizes: [49, 24, 10], activation: .tanh), Dataset(inputs: pooled, labels: subset.labels))
    }
}
