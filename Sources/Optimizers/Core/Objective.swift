import Autodiff
import Models

/// What an optimizer minimizes: a differentiable loss of a parameter set, and the oracle an
/// optimizer queries for its value and gradient.
///
/// Most optimizers ask for ∇L at the current parameters once per step. SAM asks at a second,
/// perturbed point, and second-order methods (Sophia) use `function` for Hessian-vector
/// products, which is why the objective is a value and not just a gradient.
public struct Objective {
    /// L(θ₁, …, θₖ) written with tensor operations, differentiable.
    public let function: ([Tensor]) -> Tensor
    /// The network and batch the loss was made from, when it was (`init(_:on:)`): what
    /// curvature methods that look inside the model, such as K-FAC, need.
    public let model: (net: MLP, batch: Dataset)?
    private let oracle: ([Tensor]) -> (value: Double, gradient: [Tensor])

    /// The objective of a differentiable function; gradients by reverse-mode autodiff.
    public init(_ function: @escaping ([Tensor]) -> Tensor) {
        self.function = function
        self.model = nil
        self.oracle = { Autodiff.valueWithGradient(at: $0, in: function) }
    }

    /// The training loss of `net` on `batch` (`MLP.loss(on:)`), remembering both.
    public init(_ net: MLP, on batch: Dataset) {
        let function = net.loss(on: batch)
        self.function = function
        self.model = (net, batch)
        self.oracle = { Autodiff.valueWithGradient(at: $0, in: function) }
    }

    /// An objective whose gradient oracle is given explicitly (a wrapper that perturbs the
    /// point first, as SAM does, or a hand-written gradient).
    public init(function: @escaping ([Tensor]) -> Tensor, model: (net: MLP, batch: Dataset)? = nil,
                valueWithGradient: @escaping ([Tensor]) -> (value: Double, gradient: [Tensor])) {
        self.function = function
        self.model = model
        self.oracle = valueWithGradient
    }

    /// L(θ) and ∇L(θ), one tensor per parameter tensor.
    public func valueWithGradient(at parameters: [Tensor]) -> (value: Double, gradient: [Tensor]) {
        oracle(parameters)
    }

    /// L(θ) alone.
    public func value(at parameters: [Tensor]) -> Double {
        function(parameters).scalar
    }
}
