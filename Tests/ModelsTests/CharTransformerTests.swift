import Testing
@testable import Models
import Autodiff

@Suite struct CharTransformerTests {
    static let text = """
    The loss landscape of a neural network is the graph of its training loss over the space of \
    its parameters. Gradient descent walks downhill on it; momentum carries it through narrow \
    valleys; adaptive methods rescale each direction by the curvature they have seen.
    """

    @Test("Corpus: sorted alphabet, encode and decode round-trip, seeded windows")
    func corpus() {
        let c = CharacterCorpus(Self.text)
        #expect(c.alphabet == c.alphabet.sorted() && Set(c.alphabet).count == c.vocabularySize)
        #expect(c.decode(c.tokens) == Self.text)
        #expect(c.decode(c.encode("the loss")) == "the loss")
        var r1 = RNG(seed: 4), r2 = RNG(seed: 4)
        let w = c.windows(count: 3, length: 10, using: &r1)
        #expect(w == c.windows(count: 3, length: 10, using: &r2))
        #expect(w.allSatisfy { $0.count == 11 })
    }

    @Test("Names, shapes and GPT-2 initialization")
    func parameters() {
        let m = CharTransformer(vocabularySize: 20, contextLength: 8, width: 16, heads: 2, layers: 2)
        // 20·16 + 8·16 + 2·(4·16 + 4·16² + 2·(4·16·16) + 4·16 + 16) + 2·16 + 20·16
        let perBlock = 2 * 16 + 4 * 256 + 2 * 16 + (64 * 16 + 64) + (16 * 64 + 16)
        #expect(m.parameterCount == 320 + 128 + 2 * perBlock + 32 + 320)
        #expect(m.parameterNames.first == "tokenEmbedding" && m.parameterNames.last == "head")
        let p = m.initialParameters(seed: 0)
        #expect(zip(m.parameterNames, p).allSatisfy { name, t in !name.hasSuffix(".gain") || t == Tensor.ones(t.shape) })
        #expect(p == m.initialParameters(seed: 0))
    }

    @Test("Logits at position t do not depend on later characters")
    func causal() {
        let m = CharTransformer(vocabularySize: 10, contextLength: 6, width: 8, heads: 2)
        let p = m.initialParameters(seed: 1).map { $0 * 10 }  // larger weights: attention not uniform
        let a = m.logits([1, 2, 3, 4, 5, 6], p), b = m.logits([1, 2, 3, 9, 0, 7], p)
        #expect(Array(a.scalars[0..<30]) == Array(b.scalars[0..<30]))
        #expect(Array(a.scalars[30...]) != Array(b.scalars[30...]))
    }

    @Test("A batch of sequences gives each sequence's own logits; the batched loss is the per-window mean")
    func batched() {
        let m = CharTransformer(vocabularySize: 10, contextLength: 6, width: 8, heads: 2, layers: 2)
        let p = m.initialParameters(seed: 3).map { $0 * 10 }
        let seqs = [[1, 2, 3, 4, 5], [9, 0, 7, 7, 1], [3, 3, 3, 2, 8]]
        let z = m.logits(batch: seqs, p)
        #expect(z.shape == [3, 5, 10])
        for (i, s) in seqs.enumerated() {
            let one = m.logits(s, p).scalars
            let part = Array(z.scalars[(i * 50)..<((i + 1) * 50)])
            #expect(zip(one, part).allSatisfy { abs($0 - $1) <= 1e-12 * Swift.max(1, abs($0)) })
        }
        let windows = seqs.map { $0 + [4] }
        var mean = 0.0
        for w in windows { mean += softmaxCrossEntropy(logits: m.logits(Array(w.dropLast()), p), labels: Array(w.dropFirst())).scalar }
        mean /= Double(windows.count)
        #expect(abs(m.loss(on: windows)(p).scalar - mean) <= 1e-12)
    }

    @Test("Gradients through the whole model match finite differences")
    func gradients() {
        let m = CharTransformer(vocabularySize: 7, contextLength: 5, width: 8, heads: 2)
        let p = m.initialParameters(seed: 2).map { $0 * 20 }
        let windows = [[0, 1, 2, 3, 4, 5], [6, 5, 4, 3, 2, 1]]
        let loss = m.loss(on: windows)
        let theta = m.layout.flatten(p)
        let g = m.layout.flatten(gradient(at: p, in: loss))
        let h = 1e-6
        for i in stride(from: 0, to: theta.count, by: 37) {
            var plus = theta.scalars, minus = theta.scalars
            plus[i] += h; minus[i] -= h
            let fd = (loss(m.layout.unflatten(Tensor(plus))).scalar - loss(m.layout.unflatten(Tensor(minus))).scalar) / (2 * h)
            #expect(abs(fd - g.scalars[i]) < 1e-6 * Swift.max(1, abs(fd)), "θ[\(i)] (\(m.layout.shapes.count) tensors): \(g.scalars[i]) vs \(fd)")
        }
    }
}
