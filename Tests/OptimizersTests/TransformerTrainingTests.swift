import Testing
@testable import Optimizers
import Models
import Autodiff

@Suite struct TransformerTrainingTests {
    @Test("Adam lowers the tiny transformer's loss on a character corpus")
    func lossFalls() {
        let text = String(repeating: "gradient descent walks downhill; momentum carries it through valleys. ", count: 4)
        let corpus = CharacterCorpus(text)
        let model = CharTransformer(vocabularySize: corpus.vocabularySize, contextLength: 16, width: 32, heads: 4)
        var params = model.initialParameters(seed: 0)
        var rng = RNG(seed: 1)
        let batches = (0..<61).map { _ in corpus.windows(count: 4, length: 16, using: &rng) }
        let history = Adam(lr: 3e-3).train(&params, steps: 60) { t in model.loss(on: batches[t]) }
        // Starts near log(vocabulary) (uniform predictions) and must fall well below it.
        let uniform = log(Double(corpus.vocabularySize))
        #expect(abs(history.losses[0] - uniform) < 0.1, "\(history.losses[0]) vs log V = \(uniform)")
        #expect(history.finalLoss < 0.75 * uniform, "\(history.losses[0]) → \(history.finalLoss)")
        #expect(!history.diverged && history.losses.count == 60)
    }
}
