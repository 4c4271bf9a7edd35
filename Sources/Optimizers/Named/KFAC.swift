import Autodiff
import Models

/// K-FAC, Kronecker-factored approximate curvature (Martens & Grosse 2015), for the dense
/// layers of an MLP, with exact Kronecker damping through eigendecompositions as in
/// alecwangcq/KFAC-Pytorch:
///
///     ā = [a; 1] (layer input with a 1 for the bias),  g = ∂ℓᵢ/∂s (output-gradient per example)
///     A ← ω A + (1 − ω)·E[ā āᵀ],   G ← ω G + (1 − ω)·E[g gᵀ]        (every `statsEvery` steps; A₀ = G₀ = I)
///     A = Q_A diag(d_A) Q_Aᵀ,  G = Q_G diag(d_G) Q_Gᵀ                 (every `inversesEvery` steps)
///     V = Q_G [ (Q_Gᵀ ∇W̄ Q_A) / (d_G d_Aᵀ + λ) ] Q_Aᵀ  ≈ (G ⊗ A + λI)⁻¹ ∇W̄,   W̄ = [W  b]
///     θ ← θ − lr·V
///
/// With `.sampled` Fisher (the default, the true Fisher) g is computed with labels drawn from
/// the model's own softmax (regression: targets f(x) + N(0, I)); `.empirical` uses the data's
/// labels. Defaults (the reference's): λ = 1e-3, ω = 0.95, statistics every 10 steps,
/// eigendecompositions every 100; lr 1e-2 here (the reference's 1e-3 sits under momentum 0.9,
/// and its KL-based step clipping is left out). Needs an objective made from a network and
/// a batch (`Objective(net, on:)`, which `fit` uses).
/// State per layer with fan-in m and fan-out n: A and Q_A ((m+1)² each) with A's m+1 eigenvalues, G and Q_G (n² each) with its n eigenvalues.
public struct KFAC: Optimizer {
    public enum Fisher: Sendable { case sampled, empirical }

    public struct State {
        public var a: [Tensor]
        public var g: [Tensor]
        public var eigenA: [(values: [Double], vectors: Tensor)]
        public var eigenG: [(values: [Double], vectors: Tensor)]
        public var count: Int
        public var rng: RNG
    }

    public let lr: Double
    public let damping: Double
    public let statDecay: Double
    public let statsEvery: Int
    public let inversesEvery: Int
    public let fisher: Fisher
    public let seed: UInt64

    public init(lr: Double = 1e-2, damping: Double = 1e-3, statDecay: Double = 0.95, statsEvery: Int = 10,
                inversesEvery: Int = 100, fisher: Fisher = .sampled, seed: UInt64 = 0) {
        precondition(statsEvery >= 1 && inversesEvery >= 1, "KFAC: statsEvery and inversesEvery must be ≥ 1")
        self.lr = lr
        self.damping = damping
        self.statDecay = statDecay
        self.statsEvery = statsEvery
        self.inversesEvery = inversesEvery
        self.fisher = fisher
        self.seed = seed
    }

    public var name: String { "K-FAC(lr: \(label(lr)), damping: \(label(damping)))" }
    public var reference: String { "Martens & Grosse 2015; alecwangcq/KFAC-Pytorch" }

    /// Parameters come in (weight [out, in], bias [out]) pairs, as `MLP` lays them out.
    public func makeState(for parameters: [Tensor]) -> State {
        precondition(parameters.count % 2 == 0, "KFAC: expects (weight, bias) pairs of dense layers")
        let layers = stride(from: 0, to: parameters.count, by: 2).map { parameters[$0].shape }
        let a = layers.map { Tensor.identity($0[1] + 1) }, g = layers.map { Tensor.identity($0[0]) }
        return State(a: a, g: g,
                     eigenA: a.map { ([Double](repeating: 1, count: $0.shape[0]), Tensor.identity($0.shape[0])) },
                     eigenG: g.map { ([Double](repeating: 1, count: $0.shape[0]), Tensor.identity($0.shape[0])) },
                     count: 0, rng: RNG(seed: seed))
    }

    /// E[ā āᵀ] and E[g gᵀ] per layer on the batch, at `parameters`.
    func factors(net: MLP, batch: Dataset, parameters: [Tensor], rng: inout RNG) -> (a: [Tensor], g: [Tensor]) {
        let n = batch.count
        let forward = net.forward(batch.inputs, parameters: parameters.map(\.detached))
        let ones = Tensor.ones([n, 1])
        let a = forward.layerInputs.map { input -> Tensor in
            let bar = Tensor(concatenating: [input.detached, ones], axis: 1)
            return (matmul(bar.transposed(), bar) / Double(n)).detached
        }
        // Per-example output-gradients: ∂(Σᵢ ℓᵢ)/∂δ at δ = 0, δ added to each pre-activation.
        let output = forward.output.detached
        let offsets = forward.preActivations.map { Tensor.zeros($0.shape) }
        let labelled = fisher == .empirical ? batch : sampledFromModel(batch, output: output, rng: &rng)
        // The same per-example loss as `MLP.loss(on:)`, summed instead of averaged.
        let summedLoss: ([Tensor]) -> Tensor
        if let targets = labelled.targets {
            summedLoss = { d in
                0.5 * (net.forward(batch.inputs, parameters: parameters, preActivationOffsets: d).output - targets).squared().sum()
            }
        } else {
            let labels = labelled.labels
            summedLoss = { d in
                let logits = net.forward(batch.inputs, parameters: parameters, preActivationOffsets: d).output
                return (output.shape[1] == 1 ? binaryCrossEntropy(logits: logits, labels: labels)
                                             : softmaxCrossEntropy(logits: logits, labels: labels)) * Double(n)
            }
        }
        let perExample = gradient(at: offsets, in: summedLoss)
        let g = perExample.map { (matmul($0.transposed(), $0) / Double(n)).detached }
        return (a, g)
    }

    public func step(_ parameters: inout [Tensor], state: inout State, objective: Objective) -> StepResult {
        guard let (net, batch) = objective.model else {
            preconditionFailure("KFAC: the objective must come from a network and a batch: Objective(net, on: data), as fit(_:to:) makes")
        }
        let (loss, grads) = objective.valueWithGradient(at: parameters)
        let t = state.count
        state.count += 1
        let layers = parameters.count / 2
        if t % statsEvery == 0 {
            let (a, g) = factors(net: net, batch: batch, parameters: parameters, rng: &state.rng)
            for l in 0..<layers {
                state.a[l] = elementwise(state.a[l], a[l]) { m, x in statDecay * m + (1 - statDecay) * x }
                state.g[l] = elementwise(state.g[l], g[l]) { m, x in statDecay * m + (1 - statDecay) * x }
            }
        }
        if t % inversesEvery == 0 {
            for l in 0..<layers {
                for (factor, isA) in [(state.a[l], true), (state.g[l], false)] {
                    let (values, vectors) = symmetricEigen(factor)
                    // Eigenvalues below 1e-10 are set to 0, as the reference does.
                    let d = values.scalars.map { $0 > 1e-10 ? $0 : 0 }
                    if isA { state.eigenA[l] = (d, vectors) } else { state.eigenG[l] = (d, vectors) }
                }
            }
        }
        for l in 0..<layers {
            let w = parameters[2 * l], (out, fanIn) = (w.shape[0], w.shape[1])
            let gradBar = Tensor(concatenating: [grads[2 * l], grads[2 * l + 1].reshaped(to: [out, 1])], axis: 1)
            let (dA, qA) = state.eigenA[l], (dG, qG) = state.eigenG[l]
            var v1 = matmul(matmul(qG.transposed(), gradBar), qA).detached
            v1.withUnsafeMutableScalars { s in
                for i in 0..<out { for j in 0...fanIn { s[i * (fanIn + 1) + j] /= dG[i] * dA[j] + damping } }
            }
            let v = matmul(matmul(qG, v1), qA.transposed())
            let vw = v.slice(axis: 1, 0..<fanIn), vb = v.slice(axis: 1, fanIn..<(fanIn + 1)).reshaped(to: [out])
            parameters[2 * l] = elementwise(w, vw.detached) { $0 - lr * $1 }
            parameters[2 * l + 1] = elementwise(parameters[2 * l + 1], vb.detached) { $0 - lr * $1 }
        }
        return StepResult(loss: loss, gradient: grads)
    }

    public func stateSize(for shapes: [[Int]]) -> Int {
        stride(from: 0, to: shapes.count, by: 2).map { i -> Int in
            let (out, fanIn) = (shapes[i][0], shapes[i].count > 1 ? shapes[i][1] : 1)
            // A and G, their eigenvectors, and their eigenvalues.
            return 2 * (fanIn + 1) * (fanIn + 1) + (fanIn + 1) + 2 * out * out + out
        }.reduce(0, +)
    }
}
