@testable import Autodiff

/// Reference derivatives by central differences, the yardstick the engine's exact derivatives
/// are checked against:  ∂f/∂xᵢ ≈ (f(x + h eᵢ) − f(x − h eᵢ)) / 2h,  error O(h²).
enum FiniteDifferences {
    static func gradient(_ f: (Tensor) -> Tensor, at x: Tensor, step h: Double = 1e-5) -> Tensor {
        var g = [Double](repeating: 0, count: x.count)
        for i in 0..<x.count {
            var xp = x, xm = x
            xp.scalars[i] += h
            xm.scalars[i] -= h
            g[i] = (f(xp).scalar - f(xm).scalar) / (2 * h)
        }
        return Tensor(shape: x.shape, scalars: g)
    }

    /// H·v ≈ (∇f(x + h v) − ∇f(x − h v)) / 2h with exact gradients.
    static func hessianVectorProduct(_ f: (Tensor) -> Tensor, at x: Tensor, along v: Tensor, step h: Double = 1e-4) -> Tensor {
        let gp = Autodiff.gradient(at: x + h * v, in: f)
        let gm = Autodiff.gradient(at: x - h * v, in: f)
        return (gp - gm) / (2 * h)
    }
}

/// ‖a − b‖ / max(‖a‖, ‖b‖), or the absolute difference when both are (nearly) zero.
func relativeError(_ a: Tensor, _ b: Tensor) -> Double {
    precondition(a.shape == b.shape, "relativeError: shapes \(a.shape) and \(b.shape)")
    var diff = 0.0, na = 0.0, nb = 0.0
    for (x, y) in zip(a.scalars, b.scalars) { diff += (x - y) * (x - y); na += x * x; nb += y * y }
    let scale = max(na.squareRoot(), nb.squareRoot())
    return scale < 1e-10 ? diff.squareRoot() : diff.squareRoot() / scale
}

/// A random tensor of `shape` with entries in `range` (seeded, so every run checks the same points).
func randomTensor(_ shape: [Int], in range: ClosedRange<Double> = -1...1, seed: UInt64) -> Tensor {
    var rng = RNG(seed: seed)
    return Tensor.randomUniform(shape, in: range, using: &rng)
}
