import Autodiff

// Convolutional classifiers: a convolution unit (conv → normalization), the residual block made
// of two of them, and a small ResNet-style network (He et al. 2016) built from a few numbers.
// Like `MLP`, each is an architecture only: parameters are a separate `[Tensor]` (one flat
// vector through `layout`), and batch normalization's running statistics a separate
// `[BatchNormStatistics]`, so optimizers, landscape probes and several runs share one network.

/// Which normalization follows each convolution.
public enum Normalization: String, Sendable, CaseIterable, Codable {
    /// None: the convolution has a bias instead.
    case none
    /// Batch normalization per channel (`batchNorm`), with running statistics.
    case batch
    /// Layer normalization of each example (`layerNorm(perExample:)`), one gain and bias per channel.
    case layer
}

/// A k×k convolution with "same" padding (k/2) and a stride, then the normalization. Its
/// parameters, in order: weight `[out, in, k, k]`; bias `[out]` without normalization, else
/// the normalization's gain and bias `[out]`. Batch normalization needs one `BatchNormStatistics`.
public struct ConvUnit: Sendable, Equatable {
    public let inChannels, outChannels, kernel, stride: Int
    public let normalization: Normalization

    public init(_ inChannels: Int, _ outChannels: Int, kernel: Int = 3, stride: Int = 1, normalization: Normalization) {
        precondition(inChannels > 0 && outChannels > 0 && kernel > 0 && stride > 0, "ConvUnit: sizes must be positive")
        (self.inChannels, self.outChannels, self.kernel, self.stride, self.normalization) =
            (inChannels, outChannels, kernel, stride, normalization)
    }

    public var parameterNames: [String] {
        normalization == .none ? ["conv.weight", "conv.bias"] : ["conv.weight", "norm.gain", "norm.bias"]
    }
    public var parameterShapes: [[Int]] {
        let w = [outChannels, inChannels, kernel, kernel]
        return normalization == .none ? [w, [outChannels]] : [w, [outChannels], [outChannels]]
    }
    /// Batch-normalization layers in this unit (0 or 1).
    public var statisticsCount: Int { normalization == .batch ? 1 : 0 }

    /// PyTorch's defaults: convolution weights and bias uniform in ±1/√fan_in (fan_in = in·k²,
    /// Kaiming-uniform with a = √5); normalization gain 1, bias 0.
    func initialParameters(using rng: inout RNG) -> [Tensor] {
        let bound = 1 / Double(inChannels * kernel * kernel).squareRoot()
        let w = Tensor.randomUniform(parameterShapes[0], in: -bound...bound, using: &rng)
        if normalization == .none { return [w, Tensor.randomUniform([outChannels], in: -bound...bound, using: &rng)] }
        return [w, Tensor.ones([outChannels]), Tensor.zeros([outChannels])]
    }

    /// The unit applied to `x` `[n, in, h, w]` with its parameters and statistics (in the order above).
    public func callAsFunction(_ x: Tensor, _ p: ArraySlice<Tensor>, statistics: ArraySlice<BatchNormStatistics>,
                               mode: LayerMode) -> (output: Tensor, statistics: [BatchNormStatistics]) {
        precondition(p.count == parameterShapes.count, "ConvUnit: expected \(parameterShapes.count) parameter tensors, got \(p.count)")
        precondition(statistics.count == statisticsCount, "ConvUnit: expected \(statisticsCount) running statistics, got \(statistics.count)")
        let i = p.startIndex
        switch normalization {
        case .none:
            return (conv2d(x, weight: p[i], bias: p[i + 1], stride: stride, padding: kernel / 2), [])
        case .batch:
            let y = conv2d(x, weight: p[i], stride: stride, padding: kernel / 2)
            let r = batchNorm(y, gain: p[i + 1], bias: p[i + 2], statistics: statistics[statistics.startIndex], mode: mode)
            return (r.output, [r.statistics])
        case .layer:
            let y = conv2d(x, weight: p[i], stride: stride, padding: kernel / 2)
            let shape = [outChannels, 1, 1]
            return (layerNorm(perExample: y, gain: p[i + 1].reshaped(to: shape), bias: p[i + 2].reshaped(to: shape)), [])
        }
    }
}

/// A basic residual block (He et al. 2016): two 3×3 convolution units at a constant width,
///     y = act(x + N₂(conv₂(act(N₁(conv₁ x))))),
/// or without the skip, y = act(N₂(conv₂(act(N₁(conv₁ x))))): the same network with the
/// identity path removed (Li et al. 2018 compare the two landscapes).
public struct ResidualBlock: Sendable, Equatable {
    public let first, second: ConvUnit
    public let skip: Bool
    public let activation: Activation

    public init(channels: Int, skip: Bool = true, normalization: Normalization = .batch, activation: Activation = .relu) {
        first = ConvUnit(channels, channels, normalization: normalization)
        second = ConvUnit(channels, channels, normalization: normalization)
        self.skip = skip
        self.activation = activation
    }

    public var parameterNames: [String] {
        first.parameterNames.map { "conv1." + $0 } + second.parameterNames.map { "conv2." + $0 }
    }
    public var parameterShapes: [[Int]] { first.parameterShapes + second.parameterShapes }
    public var statisticsCount: Int { first.statisticsCount + second.statisticsCount }

    func initialParameters(using rng: inout RNG) -> [Tensor] {
        first.initialParameters(using: &rng) + second.initialParameters(using: &rng)
    }

    public func callAsFunction(_ x: Tensor, _ p: ArraySlice<Tensor>, statistics: ArraySlice<BatchNormStatistics>,
                               mode: LayerMode) -> (output: Tensor, statistics: [BatchNormStatistics]) {
        let n1 = first.parameterShapes.count, s1 = first.statisticsCount
        let (i, j) = (p.startIndex, statistics.startIndex)
        let a = first(x, p[i..<(i + n1)], statistics: statistics[j..<(j + s1)], mode: mode)
        let b = second(activation(a.output), p[(i + n1)...], statistics: statistics[(j + s1)...], mode: mode)
        return (activation(skip ? x + b.output : b.output), a.statistics + b.statistics)
    }
}

/// A small ResNet-style image classifier:
///     stem: conv unit (in → widths[0]), act;
///     stage s: for s > 0 a stride-2 conv unit (widths[s−1] → widths[s]), act; then
///              `blocksPerStage` residual blocks at widths[s];
///     head: global average pooling, dense → classes (logits).
/// `skips: false` removes every block's identity path; `normalization` picks what follows
/// each convolution. With widths [8, 16] and one block per stage on 28×28 images it has
/// about 7 000 parameters.
///
///     let net = ConvNet(inputChannels: 1, widths: [8, 16], classes: 10)
///     var params = net.initialParameters(seed: 0), stats = net.initialStatistics()
///     let r = net.forward(batch.images, parameters: params, statistics: stats, mode: .training)
public struct ConvNet: Sendable, Equatable {
    public let inputChannels: Int
    public let widths: [Int]
    public let blocksPerStage: Int
    public let classes: Int
    public let skips: Bool
    public let normalization: Normalization
    public let activation: Activation

    /// A stage's layers in order: plain conv units (followed by the activation) and blocks.
    enum Layer: Sendable, Equatable {
        case unit(ConvUnit, name: String)
        case block(ResidualBlock, name: String)

        var parameterShapes: [[Int]] {
            switch self { case .unit(let u, _): u.parameterShapes; case .block(let b, _): b.parameterShapes }
        }
        var parameterNames: [String] {
            switch self {
            case .unit(let u, let name): u.parameterNames.map { name + "." + $0 }
            case .block(let b, let name): b.parameterNames.map { name + "." + $0 }
            }
        }
        var statisticsCount: Int {
            switch self { case .unit(let u, _): u.statisticsCount; case .block(let b, _): b.statisticsCount }
        }
    }

    let layers: [Layer]

    public init(inputChannels: Int = 1, widths: [Int] = [8, 16], blocksPerStage: Int = 1, classes: Int = 10,
                skips: Bool = true, normalization: Normalization = .batch, activation: Activation = .relu) {
        precondition(inputChannels > 0 && !widths.isEmpty && widths.allSatisfy { $0 > 0 } && blocksPerStage >= 0 && classes > 1,
                     "ConvNet: channels, widths and classes must be positive (at least two classes)")
        (self.inputChannels, self.widths, self.blocksPerStage, self.classes) = (inputChannels, widths, blocksPerStage, classes)
        (self.skips, self.normalization, self.activation) = (skips, normalization, activation)
        var layers: [Layer] = [.unit(ConvUnit(inputChannels, widths[0], normalization: normalization), name: "stem")]
        for (s, width) in widths.enumerated() {
            if s > 0 {
                layers.append(.unit(ConvUnit(widths[s - 1], width, stride: 2, normalization: normalization), name: "stage\(s).down"))
            }
            for k in 0..<blocksPerStage {
                layers.append(.block(ResidualBlock(channels: width, skip: skips, normalization: normalization, activation: activation),
                                     name: "stage\(s).block\(k)"))
            }
        }
        self.layers = layers
    }

    /// Names in the order of the parameter list: "stem.conv.weight", …, "head.weight", "head.bias".
    public var parameterNames: [String] { layers.flatMap(\.parameterNames) + ["head.weight", "head.bias"] }
    /// Shapes in the order of the parameter list.
    public var parameterShapes: [[Int]] { layers.flatMap(\.parameterShapes) + [[classes, widths.last!], [classes]] }
    /// Where each tensor lives in the flat parameter vector.
    public var layout: ParameterLayout { ParameterLayout(shapes: parameterShapes) }
    public var parameterCount: Int { layout.count }
    /// Whether a name is a normalization layer's gain or bias (what Li et al.'s filter-normalized
    /// directions leave at zero, with the biases: their `ignore='biasbn'`).
    public static func isNormalizationParameter(_ name: String) -> Bool { name.contains(".norm.") }

    /// PyTorch's default initialization, layer by layer from `seed` (see `ConvUnit`; the head
    /// as `MLP`'s dense layers).
    public func initialParameters(seed: UInt64 = 0) -> [Tensor] {
        var rng = RNG(seed: seed)
        var p: [Tensor] = []
        for layer in layers {
            switch layer {
            case .unit(let u, _): p += u.initialParameters(using: &rng)
            case .block(let b, _): p += b.initialParameters(using: &rng)
            }
        }
        let bound = 1 / Double(widths.last!).squareRoot()
        p.append(Tensor.randomUniform([classes, widths.last!], in: -bound...bound, using: &rng))
        p.append(Tensor.randomUniform([classes], in: -bound...bound, using: &rng))
        return p
    }

    /// Batch normalization's running statistics at their starting values, one per batch-norm
    /// layer in order (none without batch normalization).
    public func initialStatistics() -> [BatchNormStatistics] {
        layers.flatMap { layer -> [BatchNormStatistics] in
            switch layer {
            case .unit(let u, _): u.statisticsCount == 1 ? [BatchNormStatistics(channels: u.outChannels)] : []
            case .block(let b, _): (0..<b.statisticsCount).map { _ in BatchNormStatistics(channels: b.first.outChannels) }
            }
        }
    }

    /// The named tensors of a parameter list.
    public func named(_ parameters: [Tensor]) -> [(name: String, value: Tensor)] {
        Array(zip(parameterNames, parameters)).map { (name: $0.0, value: $0.1) }
    }

    /// Logits `[n, classes]` for images `[n, inputChannels, h, w]`, and the running statistics
    /// after this batch (moved in training, unchanged in evaluation).
    public func forward(_ x: Tensor, parameters: [Tensor], statistics: [BatchNormStatistics],
                        mode: LayerMode) -> (output: Tensor, statistics: [BatchNormStatistics]) {
        precondition(parameters.count == parameterShapes.count,
                     "ConvNet: expected \(parameterShapes.count) parameter tensors, got \(parameters.count)")
        precondition(statistics.count == layers.reduce(0) { $0 + $1.statisticsCount },
                     "ConvNet: expected \(layers.reduce(0) { $0 + $1.statisticsCount }) running statistics, got \(statistics.count)")
        precondition(x.rank == 4 && x.shape[1] == inputChannels, "ConvNet: images must have shape [n, \(inputChannels), h, w], got \(x.shape)")
        var h = x
        var (pi, si) = (0, 0)
        var updated: [BatchNormStatistics] = []
        for layer in layers {
            let np = layer.parameterShapes.count, ns = layer.statisticsCount
            let p = parameters[pi..<(pi + np)], s = statistics[si..<(si + ns)]
            switch layer {
            case .unit(let u, _):
                let r = u(h, p, statistics: s, mode: mode)
                h = activation(r.output); updated += r.statistics
            case .block(let b, _):
                let r = b(h, p, statistics: s, mode: mode)
                h = r.output; updated += r.statistics
            }
            pi += np; si += ns
        }
        return (dense(globalAvgPool(h), weight: parameters[pi], bias: parameters[pi + 1]), updated)
    }

    /// The logits alone (evaluation mode by default, using `statistics`).
    public func callAsFunction(_ x: Tensor, _ parameters: [Tensor], statistics: [BatchNormStatistics] = [],
                               mode: LayerMode = .evaluation) -> Tensor {
        forward(x, parameters: parameters, statistics: statistics, mode: mode).output
    }

    /// Softmax cross-entropy on a batch as a function of the parameters (for optimizers and
    /// landscape tools): in `.training` mode with the batch's statistics, in `.evaluation`
    /// with the running ones.
    public func loss(images: Tensor, labels: [Int], statistics: [BatchNormStatistics] = [],
                     mode: LayerMode = .evaluation) -> ([Tensor]) -> Tensor {
        let net = self
        return { p in softmaxCrossEntropy(logits: net(images, p, statistics: statistics, mode: mode), labels: labels) }
    }
}

extension MLP {
    /// An MLP on images: each `[c, h, w]` image flattened to a row of c·h·w inputs
    /// (`sizes[0]` must be c·h·w, e.g. 784 for Fashion-MNIST).
    public func callAsFunction(images x: Tensor, _ parameters: [Tensor]) -> Tensor {
        self(x.flattenedBatch(), parameters)
    }
}
