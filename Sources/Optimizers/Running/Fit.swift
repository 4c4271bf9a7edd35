import Autodiff
import Models

extension Optimizer {
    /// Trains an MLP on a dataset and returns the final parameters with the per-step history.
    ///
    ///     let net = MLP(sizes: [2, 16, 16, 2], activation: .tanh)
    ///     let data = Datasets.twoMoons(count: 200, seed: 0)
    ///     let (params, history) = Adam(lr: 0.01).fit(net, to: data, steps: 300)
    ///
    /// The loss is softmax cross-entropy for a dataset with labels, MSE for one with targets.
    /// `batchSize` nil means full batch; otherwise each epoch visits the examples in an order
    /// shuffled by a generator seeded with `seed` (so the run is reproducible), one minibatch
    /// per step, and the recorded losses are the minibatch losses. Parameters start from
    /// `net.initialParameters(seed:)` unless given. With `sharpnessEvery: k`, every k steps
    /// (and at step 0) the largest Hessian eigenvalue of the *full-batch* loss is estimated by
    /// `sharpnessIterations` power iterations with exact Hessian-vector products.
    public func fit(_ net: MLP, to data: Dataset, parameters initial: [Tensor]? = nil, steps: Int,
                    batchSize: Int? = nil, seed: UInt64 = 0, sharpnessEvery: Int? = nil,
                    sharpnessIterations: Int = 20) -> (parameters: [Tensor], history: TrainingHistory) {
        precondition(steps >= 0, "fit: steps must be ≥ 0")
        var parameters = initial ?? net.initialParameters(seed: seed)
        var state = makeState(for: parameters)
        var history = TrainingHistory(optimizer: name)
        var rng = RNG(seed: seed)
        var queue: [Dataset] = []
        for t in 0..<steps {
            if let k = sharpnessEvery, t % k == 0 {
                history.sharpness.append((t, topHessianEigenvalue(of: net.loss(on: data), at: parameters,
                                                                      iterations: sharpnessIterations, seed: seed &+ UInt64(t))))
            }
            let batch: Dataset
            if let size = batchSize {
                if queue.isEmpty { queue = data.batches(size: size, using: &rng).reversed() }
                batch = queue.removeLast()
            } else {
                batch = data
            }
            let before = parameters
            let result = step(&parameters, state: &state, objective: Objective(net, on: batch))
            guard history.record(result, from: before, to: parameters) else { break }
        }
        history.finish(finalLoss: net.loss(on: data)(parameters).scalar)
        return (parameters, history)
    }
}

/// The largest-magnitude eigenvalue of ∇²L(θ) by power iteration from a seeded random
/// start: v ← Hv/‖Hv‖, λ = vᵀHv. For the losses of training this is the top (positive)
/// curvature, the "sharpness" that edge-of-stability plots compare with 2/η.
public func topHessianEigenvalue(of loss:  ([Tensor]) -> Tensor, at parameters: [Tensor],
                                 iterations: Int = 20, seed: UInt64 = 0) -> Double {
    let hessian = HessianOperator(at: parameters, in: loss)
    var rng = RNG(seed: seed)
    var v = parameters.map { Tensor.randomNormal($0.shape, using: &rng) }
    var lambda = 0.0
    for _ in 0..<Swift.max(iterations, 1) {
        let n = globalNorm(v)
        guard n > 0 else { return 0 }
        v = v.map { $0 / n }
        let hv = hessian(v)
        lambda = zip(v, hv).map { a, b in zip(a.scalars, b.scalars).map { $0 * $1 }.reduce(0.0) { $0 + $1 } }.reduce(0.0) { $0 + $1 }
        v = hv.map(\.detached)
    }
    return lambda
}
