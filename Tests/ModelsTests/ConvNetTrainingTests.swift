import Testing
@testable import Models
import Autodiff

@Suite struct ConvNetTrainingTests {
    /// Minibatch SGD with heavy-ball momentum on the strokes task, batch norm in training mode
    /// (running statistics carried from batch to batch); test accuracy in evaluation mode.
    static func train(seed: UInt64, epochs: Int = 12, normalization: Normalization = .batch)
        -> (parameters: [Tensor], statistics: [BatchNormStatistics], losses: [Double], testAccuracy: Double) {
        let data = Datasets.strokes(count: 450, size: 8, noise: 0.2, seed: 1)
        let split = data.stratifiedSplit(testFraction: 1.0 / 3, seed: 2)
        let train = split.train.standardized(), test = split.test.normalized(like: train)
        let net = ConvNet(inputChannels: 1, widths: [4, 8], blocksPerStage: 1, classes: 3, normalization: normalization)
        var params = net.initialParameters(seed: seed), stats = net.initialStatistics()
        var velocity = params.map { Tensor.zeros($0.shape) }
        var rng = RNG(seed: seed)
        var losses: [Double] = []
        for _ in 0..<epochs {
            for batch in train.batches(size: 25, using: &rng) {
                var next = stats
                let (loss, grads) = valueWithGradient(at: params) { p in
                    let r = net.forward(batch.images, parameters: p, statistics: stats, mode: .training)
                    next = r.statistics
                    return softmaxCrossEntropy(logits: r.output, labels: batch.labels)
                }
                stats = next
                losses.append(loss)
                for i in params.indices {
                    velocity[i] = 0.9 * velocity[i] + grads[i]
                    params[i] = params[i] - 0.05 * velocity[i]
                }
            }
        }
        let logits = net(test.images, params, statistics: stats, mode: .evaluation)
        return (params, stats, losses, accuracy(logits: logits, labels: test.labels))
    }

    @Test("A small residual CNN with batch norm learns the strokes task: test accuracy ≥ 0.95 (seed 0)")
    func learnsStrokes() {
        let run = Self.train(seed: 0)
        #expect(run.testAccuracy >= 0.95, "test accuracy \(run.testAccuracy)")
        let first = run.losses.prefix(12).reduce(0, +) / 12, last = run.losses.suffix(12).reduce(0, +) / 12
        #expect(last < 0.25 * first, "mean loss \(first) over the first epoch, \(last) over the last")
        // the running statistics moved away from their starting values
        #expect(run.statistics.allSatisfy { $0.mean != Tensor.zeros($0.mean.shape) })
    }

    @Test("Training is deterministic: the same seed gives the same parameters and statistics bit for bit")
    func deterministic() {
        let a = Self.train(seed: 3, epochs: 2), b = Self.train(seed: 3, epochs: 2)
        #expect(a.parameters == b.parameters && a.statistics == b.statistics && a.losses == b.losses)
        let c = Self.train(seed: 4, epochs: 2)
        #expect(c.parameters != a.parameters)
    }
}
