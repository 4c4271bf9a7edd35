import Autodiff
import Models

/// The loss along a line in parameter space: L at w(α) for evenly spaced α, ready to plot
/// as a curve (α on the horizontal axis).
public struct LossSlice: Sendable, Equatable {
    /// The positions along the line.
    public let alphas: [Double]
    /// L(w(α)) at each.
    public let losses: [Double]

    public init(alphas: [Double], losses: [Double]) {
        precondition(alphas.count == losses.count, "LossSlice: \(alphas.count) positions for \(losses.count) losses")
        self.alphas = alphas
        self.losses = losses
    }

    /// Linear interpolation between two solutions (Goodfellow, Vinyals & Saxe 2015):
    /// L((1 − α)·a + α·b) for `count` values of α in `range` (α = 0 is a, α = 1 is b; the
    /// usual window −0.5…1.5 also shows the walls beyond them).
    public init(from a: [Tensor], to b: [Tensor], over range: ClosedRange<Double> = -0.5...1.5, count: Int = 41,
                in loss: ([Tensor]) -> Tensor) {
        precondition(a.map(\.shape) == b.map(\.shape), "LossSlice: the endpoints have different shapes")
        let (fa, fb, shapes) = (Vectors.flatten(a), Vectors.flatten(b), a.map(\.shape))
        let alphas = Tensor.linspace(from: range.lowerBound, to: range.upperBound, count: count).scalars
        self.init(alphas: alphas, losses: alphas.map { t in loss(Vectors.split(Vectors.lerp(fa, fb, t), shapes: shapes)).scalar })
    }

    /// The same for a loss of one tensor.
    public init(from a: Tensor, to b: Tensor, over range: ClosedRange<Double> = -0.5...1.5, count: Int = 41,
                in loss: (Tensor) -> Tensor) {
        self.init(from: [a], to: [b], over: range, count: count) { loss($0[0]) }
    }

    /// L(w + α·d) for `count` values of α in `range`: the loss along one direction (a
    /// filter-normalized one, an eigenvector, the gradient).
    public init(at w: [Tensor], along d: [Tensor], over range: ClosedRange<Double> = -1...1, count: Int = 41,
                in loss: ([Tensor]) -> Tensor) {
        precondition(w.map(\.shape) == d.map(\.shape), "LossSlice: the direction's shapes differ from the point's")
        let (fw, fd, shapes) = (Vectors.flatten(w), Vectors.flatten(d), w.map(\.shape))
        let alphas = Tensor.linspace(from: range.lowerBound, to: range.upperBound, count: count).scalars
        self.init(alphas: alphas, losses: alphas.map { t in
            var p = fw
            Vectors.addScaled(&p, t, fd)
            return loss(Vectors.split(p, shapes: shapes)).scalar
        })
    }

    /// The same for a loss of one tensor.
    public init(at w: Tensor, along d: Tensor, over range: ClosedRange<Double> = -1...1, count: Int = 41,
                in loss: (Tensor) -> Tensor) {
        self.init(at: [w], along: [d], over: range, count: count) { loss($0[0]) }
    }
}
