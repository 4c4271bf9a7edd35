import Autodiff
import Models

/// How far the loss rises above the straight line between two solutions.
public struct Barrier: Sendable, Equatable {
    /// sup over α ∈ [0, 1] of L((1 − α)a + αb) − ((1 − α)L(a) + αL(b)) (Entezari et al. 2022;
    /// Frankle et al. 2020's "linear mode connectivity" asks whether it is ≈ 0). It is ≥ 0
    /// (α = 0 gives 0), and exactly 0 for a convex loss.
    public let height: Double
    /// Where on the segment the excess is largest.
    public let alpha: Double
    /// max_α L(w(α)) − (L(a) + L(b))/2, Frankle et al.'s variant: the same when L(a) = L(b).
    public let heightAboveMeanEndpoint: Double
    /// L(a) and L(b).
    public let endpointLosses: (start: Double, end: Double)
    /// The samples along the segment the maximum was bracketed from.
    public let slice: LossSlice

    public static func == (a: Barrier, b: Barrier) -> Bool {
        a.height == b.height && a.alpha == b.alpha && a.heightAboveMeanEndpoint == b.heightAboveMeanEndpoint
            && a.endpointLosses == b.endpointLosses && a.slice == b.slice
    }
}

/// The linear barrier between two parameter sets: the loss is sampled at `samples` evenly
/// spaced α ∈ [0, 1], and the largest excess over the chord is refined by golden-section
/// search on the two intervals around the best sample, so the height is the supremum to
/// rounding (for a maximum inside one sample interval), not only a grid value.
public func barrier(from a: [Tensor], to b: [Tensor], samples: Int = 101, in loss: ([Tensor]) -> Tensor) -> Barrier {
    precondition(samples >= 3, "barrier: needs at least 3 samples")
    precondition(a.map(\.shape) == b.map(\.shape), "barrier: the endpoints have different shapes")
    let (fa, fb, shapes) = (Vectors.flatten(a), Vectors.flatten(b), a.map(\.shape))
    func at(_ t: Double) -> Double { loss(Vectors.split(Vectors.lerp(fa, fb, t), shapes: shapes)).scalar }
    let slice = LossSlice(from: a, to: b, over: 0...1, count: samples, in: loss)
    let (la, lb) = (slice.losses.first!, slice.losses.last!)
    let excess = { (t: Double, l: Double) -> Double in l - ((1 - t) * la + t * lb) }
    var best = 0, bestValue = -Double.infinity
    for (i, (t, l)) in zip(slice.alphas, slice.losses).enumerated() where excess(t, l) > bestValue {
        best = i
        bestValue = excess(t, l)
    }
    var bestAlpha = slice.alphas[best], bestLoss = slice.losses[best]
    // Golden-section search for the maximum of the excess on [α_{i−1}, α_{i+1}].
    var lo = slice.alphas[Swift.max(best - 1, 0)], hi = slice.alphas[Swift.min(best + 1, samples - 1)]
    let ratio: Double = (Double(5).squareRoot() - 1) / 2
    var x1 = hi - ratio * (hi - lo), x2 = lo + ratio * (hi - lo)
    var l1 = at(x1), l2 = at(x2)
    for _ in 0..<80 where hi - lo > 1e-15 {
        if excess(x1, l1) >= excess(x2, l2) {
            hi = x2; x2 = x1; l2 = l1
            x1 = hi - ratio * (hi - lo); l1 = at(x1)
        } else {
            lo = x1; x1 = x2; l1 = l2
            x2 = lo + ratio * (hi - lo); l2 = at(x2)
        }
    }
    for (t, l) in [(x1, l1), (x2, l2)] where excess(t, l) > excess(bestAlpha, bestLoss) {
        bestAlpha = t
        bestLoss = l
    }
    let peak = Swift.max(slice.losses.max()!, bestLoss)
    return Barrier(height: excess(bestAlpha, bestLoss), alpha: bestAlpha,
                   heightAboveMeanEndpoint: peak - (la + lb) / 2, endpointLosses: (la, lb), slice: slice)
}

/// The linear barrier for a loss of one tensor.
public func barrier(from a: Tensor, to b: Tensor, samples: Int = 101, in loss: (Tensor) -> Tensor) -> Barrier {
    barrier(from: [a], to: [b], samples: samples) { loss($0[0]) }
}

/// The linear barrier between two points of a 2-D test function.
public func barrier(from a: [Double], to b: [Double], in f: TestFunction, samples: Int = 101) -> Barrier {
    barrier(from: Tensor(a), to: Tensor(b), samples: samples) { f($0) }
}
