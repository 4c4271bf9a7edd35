import Autodiff

/// A tiny decoder-only character transformer (GPT-style, pre-norm) that trains on a CPU in
/// seconds:
///
///     h₀ = E[tokens] + P[0..<T]
///     for each block:  h ← h + Attention(LN₁(h)),  h ← h + W₂ GELU(W₁ LN₂(h) + b₁) + b₂
///     logits = LN_f(h) W_headᵀ                                    ([T, vocabulary])
///
/// Causal multi-head attention (`causalSelfAttention`), MLP width 4d. Parameters are an
/// explicit, named list (`parameterNames`), initialized as GPT-2 does: N(0, 0.02²) weights
/// and embeddings, zero biases, unit layer-norm gains.
public struct CharTransformer: Sendable {
    public let vocabularySize: Int
    public let contextLength: Int
    public let width: Int
    public let heads: Int
    public let layers: Int

    public init(vocabularySize: Int, contextLength: Int = 32, width: Int = 32, heads: Int = 4, layers: Int = 1) {
        precondition(width % heads == 0, "CharTransformer: width \(width) is not divisible by \(heads) heads")
        self.vocabularySize = vocabularySize
        self.contextLength = contextLength
        self.width = width
        self.heads = heads
        self.layers = layers
    }

    /// Names and shapes, in the order of the parameter list.
    public var parameterSpecs: [(name: String, shape: [Int])] {
        let d = width
        var specs: [(String, [Int])] = [("tokenEmbedding", [vocabularySize, d]), ("positionEmbedding", [contextLength, d])]
        for l in 0..<layers {
            let p = "block\(l)."
            specs += [(p + "ln1.gain", [d]), (p + "ln1.bias", [d]),
                      (p + "attention.query", [d, d]), (p + "attention.key", [d, d]),
                      (p + "attention.value", [d, d]), (p + "attention.output", [d, d]),
                      (p + "ln2.gain", [d]), (p + "ln2.bias", [d]),
                      (p + "mlp.fc.weight", [4 * d, d]), (p + "mlp.fc.bias", [4 * d]),
                      (p + "mlp.proj.weight", [d, 4 * d]), (p + "mlp.proj.bias", [d])]
        }
        specs += [("lnFinal.gain", [d]), ("lnFinal.bias", [d]), ("head", [vocabularySize, d])]
        return specs.map { (name: $0.0, shape: $0.1) }
    }

    public var parameterNames: [String] { parameterSpecs.map(\.name) }
    public var layout: ParameterLayout { ParameterLayout(shapes: parameterSpecs.map(\.shape)) }
    public var parameterCount: Int { layout.count }

    /// GPT-2's initialization from `seed`.
    public func initialParameters(seed: UInt64 = 0) -> [Tensor] {
        var rng = RNG(seed: seed)
        return parameterSpecs.map { spec in
            if spec.name.hasSuffix(".gain") { return Tensor.ones(spec.shape) }
            if spec.name.hasSuffix(".bias") { return Tensor.zeros(spec.shape) }
            return Tensor.randomNormal(spec.shape, standardDeviation: 0.02, using: &rng)
        }
    }

    /// Next-token logits [T, vocabulary] for a sequence of T ≤ contextLength tokens.
    public func logits(_ tokens: [Int], _ p: [Tensor]) -> Tensor {
        let t = tokens.count
        precondition(t >= 1 && t <= contextLength, "CharTransformer: sequence length \(t) outside 1...\(contextLength)")
        precondition(p.count == parameterSpecs.count, "CharTransformer: expected \(parameterSpecs.count) parameter tensors")
        return blocksAndHead(embedding(tokens, table: p[0]) + p[1].slice(axis: 0, 0..<t), p)
    }

    /// Next-token logits [B, T, vocabulary] for B sequences of the same length T, computed
    /// together (each dense layer is one matrix product over all B·T positions, attention a
    /// batched product); the same values as `logits(_:_:)` on each sequence.
    public func logits(batch: [[Int]], _ p: [Tensor]) -> Tensor {
        let b = batch.count, t = batch.first?.count ?? 0
        precondition(b >= 1 && batch.allSatisfy { $0.count == t }, "CharTransformer: a batch needs sequences of one length")
        precondition(t >= 1 && t <= contextLength, "CharTransformer: sequence length \(t) outside 1...\(contextLength)")
        precondition(p.count == parameterSpecs.count, "CharTransformer: expected \(parameterSpecs.count) parameter tensors")
        let d = width
        return blocksAndHead(embedding(batch.flatMap { $0 }, table: p[0]).reshaped(to: [b, t, d]) + p[1].slice(axis: 0, 0..<t), p)
    }

    /// The transformer blocks (pre-norm attention and MLP, each with a residual) and the
    /// output head, on embedded positions [T, d] or [B, T, d].
    func blocksAndHead(_ embedded: Tensor, _ p: [Tensor]) -> Tensor {
        var h = embedded
        for l in 0..<layers {
            let o = 2 + 12 * l
            let a = layerNorm(h, gain: p[o], bias: p[o + 1])
            h = h + causalSelfAttention(a, query: p[o + 2], key: p[o + 3], value: p[o + 4], output: p[o + 5], heads: heads)
            let m = layerNorm(h, gain: p[o + 6], bias: p[o + 7])
            h = h + dense(gelu(dense(m, weight: p[o + 8], bias: p[o + 9])), weight: p[o + 10], bias: p[o + 11])
        }
        let f = 2 + 12 * layers
        return dense(layerNorm(h, gain: p[f], bias: p[f + 1]), weight: p[f + 2])
    }

    /// Mean next-character cross-entropy over windows of `length + 1` tokens (as
    /// `CharacterCorpus.windows` makes them), as a function of the parameters: the mean over
    /// windows of each window's mean over positions. Windows of one length (the usual case)
    /// go through the model as one batch; that is the mean over all B·T positions at once.
    public func loss(on windows: [[Int]]) -> ([Tensor]) -> Tensor {
        let model = self
        if let first = windows.first, first.count >= 2, windows.allSatisfy({ $0.count == first.count }) {
            let inputs = windows.map { Array($0.dropLast()) }
            let labels = windows.flatMap { $0.dropFirst() }
            return { p in
                let z = model.logits(batch: inputs, p)
                return softmaxCrossEntropy(logits: z.reshaped(to: [labels.count, model.vocabularySize]), labels: labels)
            }
        }
        return { p in
            var total = Tensor(0)
            for w in windows {
                total = total + softmaxCrossEntropy(logits: model.logits(Array(w.dropLast()), p), labels: Array(w.dropFirst()))
            }
            return total / Double(windows.count)
        }
    }
}
