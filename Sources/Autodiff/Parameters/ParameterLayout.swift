/// Where each tensor of a parameter set lives in one flat vector: the bridge between a
/// model's named tensors and the flat view that landscape tools and optimizers work in.
///
///     let layout = ParameterLayout(params)         // shapes [[2, 64], [64], …]
///     let theta = layout.flatten(params)           // shape [4482]
///     let back = layout.unflatten(theta)           // the tensors again, same shapes
///
/// Both directions are differentiable, so a loss can be written as a function of θ.
public struct ParameterLayout: Sendable, Equatable {
    /// The shape of each tensor, in order.
    public let shapes: [[Int]]
    /// Where each tensor starts in the flat vector.
    public let offsets: [Int]
    /// Total number of scalars.
    public let count: Int

    /// The layout of tensors with these shapes, concatenated in order.
    public init(shapes: [[Int]]) {
        self.shapes = shapes
        var offsets: [Int] = []
        var n = 0
        for s in shapes { offsets.append(n); n += s.reduce(1, *) }
        self.offsets = offsets
        count = n
    }

    /// The layout of these tensors.
    public init(_ tensors: [Tensor]) { self.init(shapes: tensors.map(\.shape)) }

    /// The tensors' elements concatenated into one vector of `count` elements.
    public func flatten(_ tensors: [Tensor]) -> Tensor {
        precondition(tensors.map(\.shape) == shapes,
                     "ParameterLayout.flatten: shapes \(tensors.map(\.shape)) differ from the layout's \(shapes)")
        if tensors.isEmpty { return Tensor.zeros([0]) }
        return Tensor(concatenating: tensors.map { $0.flattened() }, axis: 0)
    }

    /// The tensors of a flat vector, cut and reshaped by the layout.
    public func unflatten(_ flat: Tensor) -> [Tensor] {
        precondition(flat.rank == 1 && flat.count == count,
                     "ParameterLayout.unflatten: expected a vector of \(count) scalars, got shape \(flat.shape)")
        return zip(shapes, offsets).map { shape, offset in
            flat.sliced(axis: 0, offset..<(offset + shape.reduce(1, *)), outShape: shape)
        }
    }
}
