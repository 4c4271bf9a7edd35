import Autodiff

/// Labelled greyscale (or multi-channel) images kept as bytes, with a view of which examples
/// are in the set. Subsets and splits are new views of the same bytes (nothing is copied), and
/// tensors are made only for what is asked for: a batch, or the whole view.
///
///     let train = try FashionMNIST.load(.train).stratifiedSubset(perClass: 100, seed: 0)
///     var rng = RNG(seed: 1)
///     for batch in train.batches(size: 64, using: &rng) { … batch.images [64, 1, 28, 28] … }
///
/// Pixels become numbers as (p/255 − mean)/standardDeviation, with mean 0 and deviation 1 until
/// `normalized` or `standardized` says otherwise.
public struct ImageDataset: Sendable {
    public let channels: Int
    public let height: Int
    public let width: Int
    /// Number of classes the labels range over (0..<classCount).
    public let classCount: Int
    /// Positions of this view's examples in the underlying store, in order.
    public private(set) var indices: [Int]
    /// Mean and standard deviation subtracted from and divided into pixels scaled to [0, 1].
    public private(set) var mean: Double = 0
    public private(set) var standardDeviation: Double = 1
    /// All examples' bytes, `[N, channels, height, width]`, and labels.
    let pixels: [UInt8]
    let allLabels: [Int]

    /// A set of `labels.count` images whose bytes are `pixels` (`[n, channels, height, width]`,
    /// row-major). Labels must lie in 0..<classCount (default 1 + the largest).
    public init(pixels: [UInt8], labels: [Int], channels: Int = 1, height: Int, width: Int, classCount: Int? = nil) {
        precondition(channels > 0 && height > 0 && width > 0, "ImageDataset: image extents must be positive")
        precondition(pixels.count == labels.count * channels * height * width,
                     "ImageDataset: \(pixels.count) bytes do not hold \(labels.count) images of \(channels)×\(height)×\(width)")
        let classes = classCount ?? ((labels.max() ?? -1) + 1)
        precondition(labels.allSatisfy { (0..<classes).contains($0) }, "ImageDataset: labels must lie in 0..<\(classes)")
        self.pixels = pixels
        self.allLabels = labels
        self.channels = channels
        self.height = height
        self.width = width
        self.classCount = classes
        self.indices = Array(0..<labels.count)
    }

    private init(_ base: ImageDataset, indices: [Int]) {
        self = base
        self.indices = indices
    }

    /// Number of examples in this view.
    public var count: Int { indices.count }
    /// Elements of one image, channels·height·width.
    public var imageSize: Int { channels * height * width }
    /// The labels of this view, in order.
    public var labels: [Int] { indices.map { allLabels[$0] } }
    /// How many examples of each class this view holds.
    public var classCounts: [Int] {
        var c = [Int](repeating: 0, count: classCount)
        for i in indices { c[allLabels[i]] += 1 }
        return c
    }

    /// The examples at `positions` of this view (0..<count), in that order.
    public func subset(_ positions: [Int]) -> ImageDataset {
        for p in positions { precondition(p >= 0 && p < count, "ImageDataset.subset: position \(p) is out of range 0..<\(count)") }
        return ImageDataset(self, indices: positions.map { indices[$0] })
    }

    /// The first `n` examples.
    public func prefix(_ n: Int) -> ImageDataset { subset(Array(0..<Swift.min(n, count))) }

    /// `n` examples drawn without replacement by a seeded permutation, kept in this view's order.
    public func randomSubset(count n: Int, seed: UInt64) -> ImageDataset {
        precondition(n >= 0 && n <= count, "ImageDataset.randomSubset: cannot draw \(n) of \(count) examples")
        var rng = RNG(seed: seed)
        return subset(rng.permutation(count)[..<n].sorted())
    }

    /// Positions of this view's examples of each class, in order.
    func positionsByClass() -> [[Int]] {
        var byClass = [[Int]](repeating: [], count: classCount)
        for (p, i) in indices.enumerated() { byClass[allLabels[i]].append(p) }
        return byClass
    }

    /// `perClass` examples of every class (drawn by a seeded shuffle within each class), kept
    /// in this view's order. Every class must have that many.
    public func stratifiedSubset(perClass: Int, seed: UInt64) -> ImageDataset {
        var rng = RNG(seed: seed)
        var chosen: [Int] = []
        for (k, members) in positionsByClass().enumerated() {
            precondition(members.count >= perClass,
                         "ImageDataset.stratifiedSubset: class \(k) has \(members.count) examples, fewer than \(perClass)")
            let order = rng.permutation(members.count)
            chosen += order[..<perClass].map { members[$0] }
        }
        return subset(chosen.sorted())
    }

    /// A split that keeps each class's share: ⌊n_k·testFraction + ½⌋ of each class k's n_k
    /// examples (by a seeded shuffle within the class) go to test, the rest to train; both in
    /// this view's order.
    public func stratifiedSplit(testFraction: Double, seed: UInt64) -> (train: ImageDataset, test: ImageDataset) {
        precondition((0...1).contains(testFraction), "ImageDataset.stratifiedSplit: testFraction must lie in [0, 1]")
        var rng = RNG(seed: seed)
        var train: [Int] = [], test: [Int] = []
        for members in positionsByClass() {
            let order = rng.permutation(members.count)
            let nTest = Int((Double(members.count) * testFraction).rounded())
            test += order[..<nTest].map { members[$0] }
            train += order[nTest...].map { members[$0] }
        }
        return (subset(train.sorted()), subset(test.sorted()))
    }

    /// The same examples with pixels mapped to (p/255 − mean)/standardDeviation.
    public func normalized(mean: Double, standardDeviation: Double) -> ImageDataset {
        precondition(standardDeviation > 0, "ImageDataset.normalized: standardDeviation must be positive")
        var d = self
        d.mean = mean
        d.standardDeviation = standardDeviation
        return d
    }

    /// The same normalization as `other` (a test set takes its training set's statistics).
    public func normalized(like other: ImageDataset) -> ImageDataset {
        normalized(mean: other.mean, standardDeviation: other.standardDeviation)
    }

    /// Normalized by the mean and (biased) standard deviation of this view's pixels in [0, 1],
    /// so that they have mean 0 and variance 1.
    public func standardized() -> ImageDataset {
        var histogram = [Int](repeating: 0, count: 256)
        let size = imageSize
        pixels.withUnsafeBufferPointer { px in
            for i in indices {
                for j in (i * size)..<((i + 1) * size) { histogram[Int(px[j])] += 1 }
            }
        }
        let n = Double(indices.count * size)
        var m = 0.0
        for (v, c) in histogram.enumerated() { m += Double(v) / 255 * Double(c) }
        m /= n
        var variance = 0.0
        for (v, c) in histogram.enumerated() { let d = Double(v) / 255 - m; variance += d * d * Double(c) }
        variance /= n
        return normalized(mean: m, standardDeviation: Swift.max(variance.squareRoot(), 1e-12))
    }

    /// The images at `positions`, normalized, shape `[positions.count, channels, height, width]`.
    public func images(at positions: [Int]) -> Tensor {
        var table = [Double](repeating: 0, count: 256)
        for v in 0..<256 { table[v] = (Double(v) / 255 - mean) / standardDeviation }
        let size = imageSize
        var out = [Double](repeating: 0, count: positions.count * size)
        pixels.withUnsafeBufferPointer { px in
            out.withUnsafeMutableBufferPointer { o in
                for (k, p) in positions.enumerated() {
                    precondition(p >= 0 && p < count, "ImageDataset.images(at:): position \(p) is out of range 0..<\(count)")
                    let src = indices[p] * size, dst = k * size
                    for j in 0..<size { o[dst + j] = table[Int(px[src + j])] }
                }
            }
        }
        return Tensor(shape: [positions.count, channels, height, width], scalars: out)
    }

    /// All images of this view, `[count, channels, height, width]`.
    public var images: Tensor { images(at: Array(0..<count)) }

    /// This view as rows of a `Dataset` (`[count, channels·height·width]`), for an MLP.
    public func flattened() -> Dataset {
        Dataset(inputs: images.reshaped(to: [count, imageSize]), labels: labels)
    }

    /// One epoch of minibatches of `size` in an order shuffled by `rng` (the last may be
    /// smaller). Each batch's tensor is made when the iteration reaches it.
    public func batches(size: Int, using rng: inout RNG) -> ImageBatches {
        precondition(size > 0, "ImageDataset.batches: size must be positive, got \(size)")
        return ImageBatches(data: self, order: rng.permutation(count), size: size)
    }
}

/// A minibatch: images `[b, channels, height, width]`, their labels, and their positions in the dataset.
public struct ImageBatch: Sendable {
    public let images: Tensor
    public let labels: [Int]
    public let positions: [Int]
}

/// The minibatches of one epoch, made one at a time as they are iterated.
public struct ImageBatches: Sequence, Sendable {
    let data: ImageDataset
    let order: [Int]
    let size: Int

    /// Number of batches, ⌈count/size⌉.
    public var count: Int { (order.count + size - 1) / size }

    public struct Iterator: IteratorProtocol {
        let batches: ImageBatches
        var start = 0

        public mutating func next() -> ImageBatch? {
            guard start < batches.order.count else { return nil }
            let positions = Array(batches.order[start..<Swift.min(start + batches.size, batches.order.count)])
            start += batches.size
            let labels = positions.map { batches.data.allLabels[batches.data.indices[$0]] }
            return ImageBatch(images: batches.data.images(at: positions), labels: labels, positions: positions)
        }
    }

    public func makeIterator() -> Iterator { Iterator(batches: self) }
}

extension Datasets {
    /// Small greyscale images of one stroke each, a synthetic task for convolutional nets:
    /// class 0 a horizontal, 1 a vertical, 2 a diagonal stroke of ⌈size/2⌉ pixels at a random
    /// place, drawn at intensity 1 on a background of |N(0, noise²)| (clipped to [0, 1], stored
    /// as bytes); `count` images, class i mod 3. Where the stroke is does not matter, only its
    /// direction, which is what convolution and pooling capture and a linear model on pixels does not.
    public static func strokes(count: Int = 300, size: Int = 8, noise: Double = 0.2, seed: UInt64 = 0) -> ImageDataset {
        precondition(size >= 3 && count > 0, "strokes: size must be at least 3 and count positive")
        var rng = RNG(seed: seed)
        let length = (size + 1) / 2
        var pixels = [UInt8](repeating: 0, count: count * size * size)
        for i in 0..<count {
            var image = (0..<(size * size)).map { _ in Swift.min(abs(noise * rng.normal()), 1) }
            let (dy, dx) = [(0, 1), (1, 0), (1, 1)][i % 3]
            let y0 = rng.int(below: size - dy * (length - 1)), x0 = rng.int(below: size - dx * (length - 1))
            for k in 0..<length { image[(y0 + dy * k) * size + x0 + dx * k] = 1 }
            for j in 0..<(size * size) { pixels[i * size * size + j] = UInt8((image[j] * 255).rounded()) }
        }
        return ImageDataset(pixels: pixels, labels: (0..<count).map { $0 % 3 }, height: size, width: size)
    }
}
