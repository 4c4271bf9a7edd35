import Autodiff

/// A pointwise nonlinearity.
public enum Activation: String, Sendable, CaseIterable {
    case relu, tanh, gelu

    public func callAsFunction(_ x: Tensor) -> Tensor {
        switch self {
        case .relu: Autodiff.relu(x)
        case .tanh: Autodiff.tanh(x)
        case .gelu: Autodiff.gelu(x)
        }
    }
}

/// A multilayer perceptron: the architecture only. Parameters are a separate value
/// (`[Tensor]`, or one flat vector through `layout`), so optimizers, landscape probes and
/// several runs can share one network description.
///
///     let net = MLP(sizes: [2, 16, 16, 2], activation: .tanh)
///     var params = net.initialParameters(seed: 1)
///     let logits = net(data.inputs, params)            // [n, 2]
///
/// Layer l maps h ↦ act(h Wₗᵀ + bₗ), with Wₗ of shape [out, in] (PyTorch's `Linear`, so
/// slicing a weight along dim 0 gives the weights into one output unit) and no activation
/// after the last layer. With `skips`, each hidden-to-hidden layer (not the first, not the
/// last) whose input and output widths agree adds its input back: h ↦ h + act(h Wᵀ + b) (a residual block).
public struct MLP: Sendable {
    /// Widths from input to output, e.g. [2, 64, 64, 2].
    public let sizes: [Int]
    public let activation: Activation
    public let skips: Bool

    public init(sizes: [Int], activation: Activation = .relu, skips: Bool = false) {
        precondition(sizes.count >= 2 && sizes.allSatisfy { $0 > 0 }, "MLP: needs at least input and output widths, all positive; got \(sizes)")
        self.sizes = sizes
        self.activation = activation
        self.skips = skips
    }

    /// Number of dense layers.
    public var layerCount: Int { sizes.count - 1 }

    /// Names in the order of the parameter list: "layer0.weight", "layer0.bias", ….
    public var parameterNames: [String] {
        (0..<layerCount).flatMap { ["layer\($0).weight", "layer\($0).bias"] }
    }

    /// Shapes in the order of the parameter list: [out, in] then [out] for each layer.
    public var parameterShapes: [[Int]] {
        (0..<layerCount).flatMap { l in [[sizes[l + 1], sizes[l]], [sizes[l + 1]]] }
    }

    /// Where each tensor lives in the flat parameter vector.
    public var layout: ParameterLayout { ParameterLayout(shapes: parameterShapes) }

    /// Total number of parameters.
    public var parameterCount: Int { layout.count }

    /// PyTorch's default initialization of `Linear`: weights and biases uniform in
    /// [−1/√fan_in, 1/√fan_in] (Kaiming-uniform with a = √5), drawn layer by layer from `seed`.
    public func initialParameters(seed: UInt64 = 0) -> [Tensor] {
        var rng = RNG(seed: seed)
        return (0..<layerCount).flatMap { l -> [Tensor] in
            let bound = 1 / Double(sizes[l]).squareRoot()
            let w = Tensor.randomUniform([sizes[l + 1], sizes[l]], in: -bound...bound, using: &rng)
            let b = Tensor.randomUniform([sizes[l + 1]], in: -bound...bound, using: &rng)
            return [w, b]
        }
    }

    /// The named tensors of a parameter list.
    public func named(_ parameters: [Tensor]) -> [(name: String, value: Tensor)] {
        Array(zip(parameterNames, parameters)).map { (name: $0.0, value: $0.1) }
    }

    /// The network's output for inputs `[n, sizes[0]]`, differentiable in both inputs and parameters.
    public func callAsFunction(_ x: Tensor, _ parameters: [Tensor]) -> Tensor {
        forward(x, parameters: parameters).output
    }

    /// The output and, per layer, its input and pre-activation (s = h Wᵀ + b), the quantities
    /// K-FAC's factors are built from. `preActivationOffsets` (one `[n, out]` tensor per
    /// layer) are added to the pre-activations: differentiating a summed loss with respect to
    /// zero offsets gives each example's ∂ℓᵢ/∂sᵢ, the output-gradients K-FAC needs.
    public func forward(_ x: Tensor, parameters: [Tensor],
                        preActivationOffsets offsets: [Tensor]? = nil) -> (output: Tensor, layerInputs: [Tensor], preActivations: [Tensor]) {
        precondition(parameters.count == 2 * layerCount,
                     "MLP: expected \(2 * layerCount) parameter tensors, got \(parameters.count)")
        precondition(x.rank == 2 && x.shape[1] == sizes[0], "MLP: inputs must have shape [n, \(sizes[0])], got \(x.shape)")
        precondition(offsets == nil || offsets!.count == layerCount, "MLP: expected one pre-activation offset per layer")
        var h = x
        var inputs: [Tensor] = [], pre: [Tensor] = []
        for l in 0..<layerCount {
            let w = parameters[2 * l], b = parameters[2 * l + 1]
            inputs.append(h)
            var s = dense(h, weight: w, bias: b)
            if let offsets { s = s + offsets[l] }
            pre.append(s)
            if l == layerCount - 1 {
                h = s
            } else if skips && l > 0 && sizes[l] == sizes[l + 1] {
                h = h + activation(s)
            } else {
                h = activation(s)
            }
        }
        return (h, inputs, pre)
    }

    /// The network as a function of one flat parameter vector θ (for landscape tools).
    public func callAsFunction(_ x: Tensor, flat theta: Tensor) -> Tensor {
        self(x, layout.unflatten(theta))
    }
}

extension MLP {
    /// The training loss of this network on `data` as a function of its parameters: MSE for
    /// regression targets; for labels, binary cross-entropy on the single logit of a network
    /// with one output (logistic regression when there is no hidden layer), softmax
    /// cross-entropy otherwise.
    public func loss(on data: Dataset) -> ([Tensor]) -> Tensor {
        let net = self
        if let targets = data.targets {
            return { p in meanSquaredError(net(data.inputs, p), targets) }
        }
        if sizes.last == 1 {
            return { p in binaryCrossEntropy(logits: net(data.inputs, p), labels: data.labels) }
        }
        return { p in softmaxCrossEntropy(logits: net(data.inputs, p), labels: data.labels) }
    }
}
