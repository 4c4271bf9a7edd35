import Testing
@testable import Autodiff

/// The names chapter cells use, exactly as the issue spells them.
@Suite struct CellFacingAPITests {
    @Test func creationAndAccess() {
        let x = Tensor([1.0, 2.0])
        let A = Tensor(shape: [2, 2], scalars: [2, 1, 1, 3])
        #expect(x.shape == [2])
        #expect(x.scalars == [1.0, 2.0])
        #expect(x[0].scalar == 1.0)
        #expect(x[0].shape == [])
        #expect(A[1].scalars == [1, 3])
        #expect(A[1, 1].scalar == 3)
        #expect(matmul(A, x).scalars == [4, 7])
    }

    @Test func rosenbrockGradientMatchesClosedForm() {
        let x = Tensor([-1.5, 2.0])
        let g = gradient(at: x) { x in (1 - x[0]) * (1 - x[0]) + 100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0]) }
        let (a, b) = (-1.5, 2.0)
        let expected = [-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a)]
        #expect(g.isApproximatelyEqual(to: Tensor(expected), tolerance: 1e-14))
    }

    /// An array literal at `at:` means one vector, not a parameter set of 0-d tensors.
    @Test func arrayLiteralPointIsAVector() {
        let g = gradient(at: [1.0, 2.0]) { x in (x * x).sum() }
        #expect(g == Tensor([2, 4]))
    }

    @Test func cellsCanPrintAGradientAndAnHVP() {
        let x = Tensor([1.0, 2.0])
        let f = { (x: Tensor) -> Tensor in (1 - x[0]) * (1 - x[0]) + 100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0]) }
        let g = gradient(at: x, in: f)
        let hv = hessianVectorProduct(at: x, along: Tensor([1.0, 0.0]), in: f)
        #expect("\(g)" == "Tensor(shape: [2])\n[-400.0,  200.0]")
        #expect("\(hv)" == "Tensor(shape: [2])\n[ 402.0, -400.0]")
    }

    @Test func valueWithGradientReturnsBoth() {
        let (value, grad) = valueWithGradient(at: Tensor([3.0, 4.0])) { x in (x * x).sum() }
        #expect(value == 25)
        #expect(grad.scalars == [6, 8])
    }

    @Test func rosenbrockHessianMatchesClosedForm() {
        let (a, b) = (0.5, -0.25)
        let f = { (x: Tensor) -> Tensor in (1 - x[0]) * (1 - x[0]) + 100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0]) }
        let H = hessian(at: Tensor([a, b]), in: f)
        let expected = Tensor([[2 - 400 * (b - a * a) + 800 * a * a, -400 * a], [-400 * a, 200]])
        #expect(H.shape == [2, 2])
        #expect(H.isApproximatelyEqual(to: expected, tolerance: 1e-13))
        let hv = hessianVectorProduct(at: Tensor([a, b]), along: Tensor([1.0, 0.0]), in: f)
        #expect(hv.isApproximatelyEqual(to: Tensor([expected.scalars[0], expected.scalars[2]]), tolerance: 1e-13))
    }
}
