import Autodiff
import Models

/// A random direction in parameter space shaped like `parameters`: independent N(0, 1)
/// entries, drawn tensor by tensor from `seed`.
public func randomDirection(like parameters: [Tensor], seed: UInt64) -> [Tensor] {
    var rng = RNG(seed: seed)
    return parameters.map { Tensor.randomNormal($0.shape, using: &rng) }
}

/// A random direction filter-normalized to `parameters` (Li et al. 2018, "Visualizing the
/// Loss Landscape of Neural Nets"): Gaussian entries, then `filterNormalize`. Two of these
/// with different seeds span the plane of a `LossPlane`.
public func filterNormalizedDirection(like parameters: [Tensor], seed: UInt64, includeBiases: Bool = false,
                                      excluded: [Bool] = []) -> [Tensor] {
    filterNormalize(randomDirection(like: parameters, seed: seed), to: parameters, includeBiases: includeBiases,
                    excluded: excluded)
}

/// Rescales a direction filter by filter to the weights it perturbs, as
/// tomgoldstein/loss-landscape's `net_plotter.py` does:
///
/// - a tensor of rank ≥ 2 is cut along its first axis into filters (for a dense layer's
///   [out, in] weight, the row of weights into one output unit) and each direction filter
///   is scaled to the norm of the matching weight filter, d_f ← d_f · ‖w_f‖ / ‖d_f‖;
/// - a tensor of rank ≤ 1 (a bias, a normalization scale) gets d = 0, or d = w with
///   `includeBiases` (the reference's two options).
///
/// Why: a ReLU network's function is unchanged when a filter's weights are scaled by c > 0
/// and the next layer's by 1/c, so the raw scale of a random direction says nothing; after
/// normalization a step of size 1 changes every filter by as much as its own norm, which
/// makes planes of different networks comparable. (The reference adds 1e-10 to ‖d_f‖ to
/// guard against zero; here a zero filter is left zero instead, so norms match exactly.)
///
/// `excluded` (one flag per tensor, or empty for none) marks further tensors to leave at
/// d = 0 whatever their rank: a network whose normalization gains are stored with more than
/// one axis, or any tensor the caller wants held still. (A convolution weight
/// `[out, in, k, k]` needs nothing extra: its first axis is the filters, one per output
/// channel, which is how the reference cuts it.)
public func filterNormalize(_ direction: [Tensor], to parameters: [Tensor], includeBiases: Bool = false,
                            excluded: [Bool] = []) -> [Tensor] {
    precondition(direction.map(\.shape) == parameters.map(\.shape),
                 "filterNormalize: direction shapes \(direction.map(\.shape)) differ from parameter shapes \(parameters.map(\.shape))")
    precondition(excluded.isEmpty || excluded.count == parameters.count,
                 "filterNormalize: \(excluded.count) exclusion flags for \(parameters.count) tensors")
    return zip(direction, parameters).enumerated().map { k, pair in
        let (d, w) = pair
        if !excluded.isEmpty && excluded[k] { return Tensor.zeros(w.shape) }
        if w.rank <= 1 { return includeBiases ? w.detached : Tensor.zeros(w.shape) }
        let rows = w.shape[0], width = w.count / Swift.max(rows, 1)
        var out = d.detached.scalars
        let ws = w.detached.scalars
        for r in 0..<rows {
            let range = (r * width)..<((r + 1) * width)
            let dn = Vectors.norm(Array(out[range])), wn = Vectors.norm(Array(ws[range]))
            guard dn > 0 else { continue }
            let s = wn / dn
            for i in range { out[i] *= s }
        }
        return Tensor(shape: w.shape, scalars: out)
    }
}

extension ConvNet {
    /// Which tensors Li et al.'s reference leaves out with `ignore='biasbn'`: every bias and
    /// every normalization gain and bias (one flag per tensor, in parameter order). Rank alone
    /// already catches these here (all are `[channels]`); the names make the rule explicit
    /// and keep it right should a normalization tensor ever carry more axes.
    public var biasAndNormalizationMask: [Bool] {
        zip(parameterNames, parameterShapes).map { name, shape in
            shape.count <= 1 || ConvNet.isNormalizationParameter(name)
        }
    }

    /// A random direction filter-normalized to `parameters` as the reference does for a
    /// convolutional network with `ignore='biasbn'`: each convolution filter (one output
    /// channel's `[in, k, k]` weights) and each row of the head scaled to its weights' norm;
    /// biases and batch-/layer-norm gains and biases zero. With `includeBiases` the 1-D
    /// tensors get d = w instead (the reference's other option), normalization ones included.
    public func filterNormalizedDirection(like parameters: [Tensor], seed: UInt64, includeBiases: Bool = false) -> [Tensor] {
        precondition(parameters.map(\.shape) == parameterShapes, "ConvNet: parameters do not match the network's shapes")
        return Landscape.filterNormalizedDirection(like: parameters, seed: seed, includeBiases: includeBiases,
                                                   excluded: includeBiases ? [] : biasAndNormalizationMask)
    }
}
