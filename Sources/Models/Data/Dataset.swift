import Autodiff

/// A set of examples: inputs as rows of a matrix, with class labels (classification) or
/// target rows (regression). A plain value: splitting and batching make new datasets.
public struct Dataset: Sendable {
    /// Inputs, shape `[n, d]`.
    public let inputs: Tensor
    /// Class labels 0..<classes, one per row (empty for regression).
    public let labels: [Int]
    /// Regression targets, shape `[n, k]` (nil for classification).
    public let targets: Tensor?

    public init(inputs: Tensor, labels: [Int]) {
        precondition(inputs.rank == 2 && inputs.shape[0] == labels.count,
                     "Dataset: inputs of shape \(inputs.shape) need one label per row; got \(labels.count)")
        self.inputs = inputs
        self.labels = labels
        self.targets = nil
    }

    public init(inputs: Tensor, targets: Tensor) {
        precondition(inputs.rank == 2 && targets.rank == 2 && inputs.shape[0] == targets.shape[0],
                     "Dataset: inputs \(inputs.shape) and targets \(targets.shape) need the same number of rows")
        self.inputs = inputs
        self.labels = []
        self.targets = targets
    }

    /// Number of examples.
    public var count: Int { inputs.shape[0] }
    /// Input dimension d.
    public var inputDimension: Int { inputs.shape[1] }
    /// Number of classes (1 + the largest label; 0 for regression).
    public var classCount: Int { (labels.max() ?? -1) + 1 }

    /// The examples at `indices`, in that order.
    public func subset(_ indices: [Int]) -> Dataset {
        let x = inputs.gathering(atIndices: indices).detached
        if let t = targets { return Dataset(inputs: x, targets: t.gathering(atIndices: indices).detached) }
        return Dataset(inputs: x, labels: indices.map { labels[$0] })
    }

    /// A random train/test split: a seeded permutation, the last ⌊n·testFraction⌋ examples for test.
    public func split(testFraction: Double, seed: UInt64 = 0) -> (train: Dataset, test: Dataset) {
        precondition((0...1).contains(testFraction), "Dataset.split: testFraction must lie in [0, 1]")
        var rng = RNG(seed: seed)
        let order = rng.permutation(count)
        let nTest = Int(Double(count) * testFraction)
        return (subset(Array(order[..<(count - nTest)])), subset(Array(order[(count - nTest)...])))
    }

    /// Minibatches of `size` for one epoch, in an order shuffled by `rng` (the last batch may
    /// be smaller). Pass the same generator epoch after epoch for a new, reproducible order each time.
    public func batches(size: Int, using rng: inout RNG) -> [Dataset] {
        precondition(size > 0, "Dataset.batches: size must be positive, got \(size)")
        let order = rng.permutation(count)
        return stride(from: 0, to: count, by: size).map { start in
            subset(Array(order[start..<Swift.min(start + size, count)]))
        }
    }

    /// The input points as `[[x, y]]` rows, for scatter plots.
    public var points: [[Double]] {
        (0..<count).map { i in Array(inputs.scalars[(i * inputDimension)..<((i + 1) * inputDimension)]) }
    }
}
