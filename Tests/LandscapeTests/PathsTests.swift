import Testing
import Autodiff
import Models
import Optimizers
@testable import Landscape

/// Paths between solutions: Bézier curves and soups.
@Suite struct PathsTests {
    /// The curve's ends are the two solutions and its midpoint is (w₁ + 2θ + w₂)/4.
    @Test func bezierCurveEndsAndMidpoint() {
        let curve = BezierCurve(start: [Tensor([0, 0])], bend: [Tensor([1, 2])], end: [Tensor([2, 0])])
        #expect(curve.point(at: 0) == [Tensor([0, 0])])
        #expect(curve.point(at: 1) == [Tensor([2, 0])])
        #expect(curve.point(at: 0.5) == [Tensor([1, 1])])
        let straight = BezierCurve(from: [Tensor([0, 0])], to: [Tensor([2, 0])])
        #expect(straight.bend == [Tensor([1, 0])])
        #expect(straight.losses(count: 61) { $0[0].squared().sum() }.losses.count == 61)
    }

    /// Between two opposite minima of Himmelblau's function the straight line runs over the
    /// maximum (f ≈ 181.6); a trained curve bends around it, lowering the highest loss on the
    /// path, yet never below 104.015, the lowest saddle any path between these two basins must
    /// cross (mountain pass: via the saddles at 67.7 and 104.0).
    @Test func trainedCurveLowersTheBarrierToTheSaddle() {
        let f = Functions.himmelblau
        let w1 = [Tensor([3, 2])], w2 = [Tensor([-3.779310253377747, -3.2831859912861696])]
        let loss = { (p: [Tensor]) -> Tensor in f(p[0]) }
        let straight = BezierCurve(from: w1, to: w2).losses(in: loss).losses.max()!
        let curve = BezierCurve.train(from: w1, to: w2, optimizer: Adam(lr: 0.05), steps: 600, seed: 1, in: loss)
        let curved = curve.losses(count: 401, in: loss).losses.max()!
        let saddle = 104.0151629175581
        #expect(curved < straight - 20)
        #expect(curved >= saddle - 1e-9)
    }

    /// The uniform soup is the mean; the greedy soup keeps only models that help.
    @Test func soups() {
        let target = [Tensor([1, 1])]
        let models = [[Tensor([2, 1])], [Tensor([0.1, 1])], [Tensor([4, 4])]]
        let mean = uniformSoup(models)
        #expect(mean[0].isApproximatelyEqual(to: Tensor([6.1 / 3, 2]), tolerance: 1e-15))
        let score = { (p: [Tensor]) -> Double in -(p[0] - target[0]).squared().sum().scalar }
        let (soup, ingredients) = greedySoup(models, score: score)
        #expect(ingredients == [1, 0])  // best first (0.1, 1); (2, 1) helps; (4, 4) does not
        #expect(soup[0].isApproximatelyEqual(to: Tensor([1.05, 1]), tolerance: 1e-15))
    }
}
