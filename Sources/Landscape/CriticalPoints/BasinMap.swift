import Autodiff
import Models

/// Which minimum gradient descent reaches from each start on a grid, and how fast: the
/// basins of attraction of a 2-D landscape, ready for a heatmap (one colour per basin).
///
///     let basins = BasinMap(Functions.himmelblau, resolution: 41, learningRate: 0.01)
///     Field(x: basins.xRange, y: basins.yRange, grid: basins.basinGrid)
public struct BasinMap: Sendable, Equatable {
    /// Start abscissas (columns) and ordinates (rows).
    public let xs: [Double]
    public let ys: [Double]
    /// The attractors, indexed by `basins`.
    public let minima: [[Double]]
    /// For the start (xs[i], ys[j]), `basins[j * xs.count + i]` is the index in `minima` of the
    /// minimum GD converged to, or −1 (did not converge in time, diverged, or converged
    /// elsewhere, e.g. onto a saddle's stable manifold).
    public let basins: [Int]
    /// Steps until ‖∇f‖ ≤ tolerance (the `maxSteps` cap when it never got there).
    public let steps: [Int]

    /// Runs GD, x ← x − η∇f(x), from each point of a `resolution`² grid over `x` × `y`
    /// (f's plotting window by default) until ‖∇f‖ ≤ `tolerance`, then assigns the end point to
    /// the nearest of `minima` (f's known minima by default) within 1e-3 of the window's size.
    public init(_ f: TestFunction, x: ClosedRange<Double>? = nil, y: ClosedRange<Double>? = nil, resolution: Int = 41,
                learningRate eta: Double = 0.01, maxSteps: Int = 2000, tolerance: Double = 1e-6, minima: [[Double]]? = nil) {
        precondition(resolution >= 2 && eta > 0 && maxSteps >= 0, "BasinMap: needs resolution ≥ 2, η > 0, maxSteps ≥ 0")
        let xr = x ?? f.domain.x, yr = y ?? f.domain.y
        let attractors = minima ?? f.minima.map(\.location)
        let radius = 1e-3 * Swift.max(xr.upperBound - xr.lowerBound, yr.upperBound - yr.lowerBound)
        xs = Tensor.linspace(from: xr.lowerBound, to: xr.upperBound, count: resolution).scalars
        ys = Tensor.linspace(from: yr.lowerBound, to: yr.upperBound, count: resolution).scalars
        self.minima = attractors
        var basins: [Int] = [], steps: [Int] = []
        for yv in ys {
            for xv in xs {
                let (end, taken) = BasinMap.descend(f, from: [xv, yv], learningRate: eta, maxSteps: maxSteps, tolerance: tolerance)
                steps.append(taken)
                guard let end, taken < maxSteps || maxSteps == 0 else { basins.append(-1); continue }
                let nearest = attractors.indices.min { CriticalPoints.distance(attractors[$0], end) < CriticalPoints.distance(attractors[$1], end) }
                if let k = nearest, CriticalPoints.distance(attractors[k], end) <= radius { basins.append(k) } else { basins.append(-1) }
            }
        }
        self.basins = basins
        self.steps = steps
    }

    /// GD from one start: the end point (nil if it left the finite numbers) and the steps taken.
    static func descend(_ f: TestFunction, from start: [Double], learningRate eta: Double, maxSteps: Int,
                        tolerance: Double) -> (end: [Double]?, steps: Int) {
        var p = start
        for t in 0..<maxSteps {
            let g = f.gradient(at: p)
            if !g.allSatisfy(\.isFinite) { return (nil, t) }
            if Vectors.norm(g) <= tolerance { return (p, t) }
            p = [p[0] - eta * g[0], p[1] - eta * g[1]]
        }
        let g = f.gradient(at: p)
        return (g.allSatisfy(\.isFinite) && p.allSatisfy(\.isFinite) ? p : nil, maxSteps)
    }

    public var xRange: ClosedRange<Double> { xs.first!...xs.last! }
    public var yRange: ClosedRange<Double> { ys.first!...ys.last! }
    /// Basin indices as rows of Doubles (−1 for none), rows going up in y, for `Field(grid:)`.
    public var basinGrid: [[Double]] { ys.indices.map { j in xs.indices.map { Double(basins[j * xs.count + $0]) } } }
    /// Steps to converge as rows, for a "how fast" heatmap.
    public var stepGrid: [[Double]] { ys.indices.map { j in xs.indices.map { Double(steps[j * xs.count + $0]) } } }
    /// How many starts each minimum attracts.
    public var basinSizes: [Int] { minima.indices.map { k in basins.filter { $0 == k }.count } }
}
