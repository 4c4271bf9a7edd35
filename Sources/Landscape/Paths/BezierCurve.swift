import Autodiff
import Models
import Optimizers

/// A quadratic Bézier curve between two solutions, φ(t) = (1−t)²·w₁ + 2t(1−t)·θ + t²·w₂,
/// trained so that the loss stays low all along it (Garipov et al. 2018, "Loss Surfaces,
/// Mode Connectivity, and Fast Ensembling of DNNs"): minima that a straight line separates by
/// a barrier are often joined by a simple curve of low loss.
public struct BezierCurve: Sendable {
    /// w₁ = φ(0).
    public let start: [Tensor]
    /// θ, the control point (the curve passes through (w₁ + 2θ + w₂)/4 at t = ½).
    public let bend: [Tensor]
    /// w₂ = φ(1).
    public let end: [Tensor]

    public init(start: [Tensor], bend: [Tensor], end: [Tensor]) {
        precondition(start.map(\.shape) == end.map(\.shape) && bend.map(\.shape) == start.map(\.shape),
                     "BezierCurve: the endpoints and the bend must have the same shapes")
        self.start = start.map(\.detached)
        self.bend = bend.map(\.detached)
        self.end = end.map(\.detached)
    }

    /// The straight segment as a Bézier curve: the bend at the midpoint, where training starts.
    public init(from start: [Tensor], to end: [Tensor]) {
        self.init(start: start, bend: zip(start, end).map { ($0 + $1) * 0.5 }, end: end)
    }

    /// φ(t), differentiable in `bend` (for training) when `bend` is tracked.
    static func point(_ t: Double, _ start: [Tensor], _ bend: [Tensor], _ end: [Tensor]) -> [Tensor] {
        let (a, b, c) = ((1 - t) * (1 - t), 2 * t * (1 - t), t * t)
        return start.indices.map { i in a * start[i] + b * bend[i] + c * end[i] }
    }

    /// φ(t).
    public func point(at t: Double) -> [Tensor] { BezierCurve.point(t, start, bend, end).map(\.detached) }

    /// The loss at `count` evenly spaced t ∈ [0, 1] (the reference evaluates 61).
    public func losses(count: Int = 61, in loss: ([Tensor]) -> Tensor) -> LossSlice {
        let ts = Tensor.linspace(from: 0, to: 1, count: count).scalars
        return LossSlice(alphas: ts, losses: ts.map { loss(point(at: $0)).scalar })
    }

    /// Trains the bend by minimizing E_{t~U(0,1)} L(φ(t)) stochastically, as the reference
    /// does: each step draws one t (seeded) and takes one optimizer step on θ ↦ L(φ(t)),
    /// whose gradient is 2t(1−t)·∇L(φ(t)). The endpoints stay fixed. `loss(step)` gives the
    /// loss for each step (a minibatch's, or the same full-batch loss every time).
    public static func train<O: Optimizer>(from start: [Tensor], to end: [Tensor], optimizer: O, steps: Int,
                                           seed: UInt64 = 0, loss: (Int) -> ([Tensor]) -> Tensor) -> BezierCurve {
        let initial = BezierCurve(from: start, to: end)
        var bend = initial.bend
        var state = optimizer.makeState(for: bend)
        var rng = RNG(seed: seed)
        let (w1, w2) = (initial.start, initial.end)
        for step in 0..<steps {
            let t = rng.uniform()
            let lossAtStep = loss(step)
            let objective = Objective { theta in lossAtStep(BezierCurve.point(t, w1, theta, w2)) }
            _ = optimizer.step(&bend, state: &state, objective: objective)
        }
        return BezierCurve(start: w1, bend: bend, end: w2)
    }

    /// `train` with one full-batch loss.
    public static func train<O: Optimizer>(from start: [Tensor], to end: [Tensor], optimizer: O, steps: Int,
                                           seed: UInt64 = 0, in loss: @escaping ([Tensor]) -> Tensor) -> BezierCurve {
        train(from: start, to: end, optimizer: optimizer, steps: steps, seed: seed) { _ in loss }
    }
}
