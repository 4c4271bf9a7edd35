import Autodiff
import Dispatch
import Models
import Optimizers

/// The loss on a plane through a point: L(w + α·d₁ + β·d₂) on a grid of (α, β), the 2-D
/// landscape pictures of Li et al. 2018. Values are laid out as Plotting's `Field` expects
/// (row = β index, going up; column = α index), so
///
///     let plane = LossPlane(of: net, on: data, at: trained)          // filter-normalized, 41×41
///     Field(x: plane.alphaRange, y: plane.betaRange, grid: plane.grid)
///
/// draws it, and `coordinates(of:)` places an optimizer's path on the same axes.
public struct LossPlane: Sendable, Equatable {
    /// α values (columns).
    public let alphas: [Double]
    /// β values (rows).
    public let betas: [Double]
    /// L at (alphas[i], betas[j]) is `values[j * alphas.count + i]`.
    public let values: [Double]
    /// The centre w and the two directions, flat, for placing other points on the plane.
    public let center: [Double]
    public let directions: (first: [Double], second: [Double])

    public static func == (a: LossPlane, b: LossPlane) -> Bool {
        a.alphas == b.alphas && a.betas == b.betas && a.values == b.values && a.center == b.center
            && a.directions.first == b.directions.first && a.directions.second == b.directions.second
    }

    /// The plane through `center` spanned by `d1` and `d2`, sampled on a `resolution`² grid
    /// over `alpha` × `beta`.
    public init(at center: [Tensor], directions d1: [Tensor], _ d2: [Tensor],
                alpha: ClosedRange<Double> = -1...1, beta: ClosedRange<Double> = -1...1, resolution: Int = 41,
                in loss: ([Tensor]) -> Tensor) {
        precondition(center.map(\.shape) == d1.map(\.shape) && center.map(\.shape) == d2.map(\.shape),
                     "LossPlane: the directions' shapes differ from the centre's")
        precondition(resolution >= 2, "LossPlane: resolution must be at least 2")
        self.init(at: center, directions: d1, d2, alpha: alpha, beta: beta, resolution: resolution, net: nil, loss: loss)
    }

    /// The grid, row by row (one β per row). With `net` (the loss is then `net.loss(on: data)`)
    /// the rows are shared among `planeWorkers` threads, each with its own loss closure; every
    /// point is computed exactly as on one thread, so the values do not depend on the threads.
    init(at center: [Tensor], directions d1: [Tensor], _ d2: [Tensor],
         alpha: ClosedRange<Double>, beta: ClosedRange<Double>, resolution: Int,
         net: (MLP, Dataset)?, loss: ([Tensor]) -> Tensor) {
        precondition(center.map(\.shape) == d1.map(\.shape) && center.map(\.shape) == d2.map(\.shape),
                     "LossPlane: the directions' shapes differ from the centre's")
        precondition(resolution >= 2, "LossPlane: resolution must be at least 2")
        let shapes = center.map(\.shape)
        let (w, u, v) = (Vectors.flatten(center), Vectors.flatten(d1), Vectors.flatten(d2))
        let alphas = Tensor.linspace(from: alpha.lowerBound, to: alpha.upperBound, count: resolution).scalars
        let betas = Tensor.linspace(from: beta.lowerBound, to: beta.upperBound, count: resolution).scalars
        let workers = net == nil ? 1 : Swift.min(planeWorkers, resolution)
        var values = [Double](repeating: 0, count: resolution * resolution)
        values.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer.baseAddress!
            if workers == 1 {
                LossPlane.fillRows(out, rows: 0..<resolution, w, u, v, shapes, alphas, betas, loss)
            } else if let (net, data) = net {
                // One task per row, so idle cores take the next row (dispatch hands rows out as
                // threads free up; with few large tasks the caller would often run them all).
                DispatchQueue.concurrentPerform(iterations: resolution) { j in
                    LossPlane.fillRows(out, rows: j..<(j + 1), w, u, v, shapes, alphas, betas, net.loss(on: data))
                }
            }
        }
        self.alphas = alphas
        self.betas = betas
        self.values = values
        self.center = w
        self.directions = (u, v)
    }

    /// The same for a loss of one tensor.
    public init(at center: Tensor, directions d1: Tensor, _ d2: Tensor,
                alpha: ClosedRange<Double> = -1...1, beta: ClosedRange<Double> = -1...1, resolution: Int = 41,
                in loss: (Tensor) -> Tensor) {
        self.init(at: [center], directions: [d1], [d2], alpha: alpha, beta: beta, resolution: resolution) { loss($0[0]) }
    }

    /// Li et al.'s plot of an MLP's training loss around `parameters`: two random directions
    /// filter-normalized to the weights (seeds `seed` and `seed + 1`; biases not moved unless
    /// `includeBiases`), over [−1, 1]² by default.
    public init(of net: MLP, on data: Dataset, at parameters: [Tensor],
                alpha: ClosedRange<Double> = -1...1, beta: ClosedRange<Double> = -1...1, resolution: Int = 41,
                seed: UInt64 = 0, includeBiases: Bool = false) {
        self.init(at: parameters,
                  directions: filterNormalizedDirection(like: parameters, seed: seed, includeBiases: includeBiases),
                  filterNormalizedDirection(like: parameters, seed: seed &+ 1, includeBiases: includeBiases),
                  alpha: alpha, beta: beta, resolution: resolution, net: (net, data), loss: net.loss(on: data))
    }

    /// Li et al.'s plot for a convolutional network: its loss on a fixed evaluation set
    /// (`images`, `labels`; batch normalization in evaluation mode with `statistics`, so
    /// every point of the plane is one deterministic function of the weights) around
    /// `parameters`, along two directions from `ConvNet.filterNormalizedDirection` (seeds
    /// `seed` and `seed + 1`; biases and normalization parameters not moved unless `includeBiases`).
    public init(of net: ConvNet, images: Tensor, labels: [Int], statistics: [BatchNormStatistics] = [],
                at parameters: [Tensor],
                alpha: ClosedRange<Double> = -1...1, beta: ClosedRange<Double> = -1...1, resolution: Int = 41,
                seed: UInt64 = 0, includeBiases: Bool = false) {
        self.init(at: parameters,
                  directions: net.filterNormalizedDirection(like: parameters, seed: seed, includeBiases: includeBiases),
                  net.filterNormalizedDirection(like: parameters, seed: seed &+ 1, includeBiases: includeBiases),
                  alpha: alpha, beta: beta, resolution: resolution,
                  in: net.loss(images: images, labels: labels, statistics: statistics, mode: .evaluation))
    }

    /// Rows `rows` of the grid into `out` (row j holds β = betas[j]).
    static func fillRows(_ out: UnsafeMutablePointer<Double>, rows: Range<Int>,
                         _ w: [Double], _ u: [Double], _ v: [Double], _ shapes: [[Int]],
                         _ alphas: [Double], _ betas: [Double], _ loss: ([Tensor]) -> Tensor) {
        var p = w
        let n = alphas.count
        for j in rows {
            for (i, a) in alphas.enumerated() {
                for k in p.indices { p[k] = w[k] + a * u[k] + betas[j] * v[k] }
                out[j * n + i] = loss(Vectors.split(p, shapes: shapes)).scalar
            }
        }
    }

    /// The α range (for a plot's x axis).
    public var alphaRange: ClosedRange<Double> { alphas.first!...alphas.last! }
    /// The β range (y axis).
    public var betaRange: ClosedRange<Double> { betas.first!...betas.last! }
    /// Rows of values, `grid[j][i]` = L(αᵢ, βⱼ), rows going up in β (Plotting's `Field(grid:)`).
    public var grid: [[Double]] { betas.indices.map { j in Array(values[(j * alphas.count)..<((j + 1) * alphas.count)]) } }
    /// L(αᵢ, βⱼ).
    public subscript(i: Int, j: Int) -> Double { values[j * alphas.count + i] }

    /// The (α, β) of the point of the plane nearest to each given parameter vector: the
    /// least-squares solution of α·d₁ + β·d₂ ≈ θ − w (via the 2×2 Gram system), which is
    /// ⟨θ − w, d⟩/‖d‖² per direction when d₁ ⊥ d₂ (the reference's trajectory projection).
    public func coordinates(of points: [[Tensor]]) -> [(alpha: Double, beta: Double)] {
        let (u, v) = directions
        let (uu, uv, vv) = (Vectors.dot(u, u), Vectors.dot(u, v), Vectors.dot(v, v))
        let det = uu * vv - uv * uv
        precondition(det > 0, "LossPlane.coordinates: the directions are parallel")
        return points.map { p in
            var r = Vectors.flatten(p)
            Vectors.addScaled(&r, -1, center)
            let (ru, rv) = (Vectors.dot(r, u), Vectors.dot(r, v))
            return ((vv * ru - uv * rv) / det, (uu * rv - uv * ru) / det)
        }
    }
}

/// Threads for an MLP's plane: one per core (the rows are independent forward passes whose
/// matrix products are too small for OpenBLAS to split). LITOPT_THREADS caps it (1: serial).
let planeWorkers: Int = {
    let cores = Swift.max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    if let text = getenv("LITOPT_THREADS"), let cap = Int(String(cString: text)), cap >= 1 { return Swift.min(cap, cores) }
    return cores
}()
