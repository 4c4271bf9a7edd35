import Autodiff
import Models

extension MLP {
    /// Dinh et al. 2017's rescaling T_α: the weights and bias into hidden layer `layer`
    /// multiplied by α > 0 and the weights out of it divided by α. Because ReLU is positively
    /// homogeneous, relu(α·s)/α = relu(s), the network computes exactly the same function,
    /// yet the Hessian becomes T⁻¹ H T⁻¹ (T = α on the scaled-up block, 1/α on the scaled-down
    /// one): the blocks of the incoming weights scale by α⁻², those of the outgoing weights by
    /// α², so the top eigenvalue, the "sharpness", can be made as large as one likes at the
    /// same minimum. `layer` counts hidden layers from 0 (the output of dense layer `layer`).
    public func rescaled(_ parameters: [Tensor], hiddenLayer layer: Int, by alpha: Double) -> [Tensor] {
        precondition(activation == .relu, "rescaled: the function is invariant only for ReLU networks (this one uses \(activation))")
        precondition(!skips, "rescaled: a residual connection would add unscaled and scaled activations")
        precondition(alpha > 0, "rescaled: α must be positive, got \(alpha)")
        precondition((0..<(layerCount - 1)).contains(layer), "rescaled: hidden layers are 0..<\(layerCount - 1), got \(layer)")
        precondition(parameters.count == 2 * layerCount, "rescaled: expected \(2 * layerCount) parameter tensors")
        var p = parameters.map(\.detached)
        p[2 * layer] = p[2 * layer] * alpha
        p[2 * layer + 1] = p[2 * layer + 1] * alpha
        p[2 * layer + 2] = p[2 * layer + 2] / alpha
        return p.map(\.detached)
    }

    /// The same network with the units of hidden layer `layer` reordered: unit i of the
    /// result is unit `permutation[i]` of the original (its incoming weight row and bias, and
    /// its outgoing weight column move together). The function is unchanged for any
    /// activation: the n! permuted copies of every solution are why a network's loss has
    /// many equivalent minima.
    public func permutingHiddenUnits(_ parameters: [Tensor], hiddenLayer layer: Int, permutation: [Int]) -> [Tensor] {
        precondition(!skips, "permutingHiddenUnits: with residual connections the permutation must be shared by the whole residual stream")
        precondition((0..<(layerCount - 1)).contains(layer), "permutingHiddenUnits: hidden layers are 0..<\(layerCount - 1), got \(layer)")
        let width = sizes[layer + 1]
        precondition(permutation.sorted() == Array(0..<width), "permutingHiddenUnits: \(permutation) is not a permutation of 0..<\(width)")
        var p = parameters.map(\.detached)
        let incoming = p[2 * layer], bias = p[2 * layer + 1], outgoing = p[2 * layer + 2]
        let inWidth = sizes[layer], outWidth = sizes[layer + 2]
        var w = incoming.scalars, b = bias.scalars, v = outgoing.scalars
        for (i, src) in permutation.enumerated() {
            for j in 0..<inWidth { w[i * inWidth + j] = incoming.scalars[src * inWidth + j] }
            b[i] = bias.scalars[src]
            for k in 0..<outWidth { v[k * width + i] = outgoing.scalars[k * width + src] }
        }
        p[2 * layer] = Tensor(shape: incoming.shape, scalars: w)
        p[2 * layer + 1] = Tensor(shape: bias.shape, scalars: b)
        p[2 * layer + 2] = Tensor(shape: outgoing.shape, scalars: v)
        return p
    }
}
