import Autodiff

/// Shampoo (Gupta, Koren & Singer 2018), one preconditioner per tensor dimension:
///
///     matrix G (m×n):  L ← L + G Gᵀ,  R ← R + Gᵀ G,   θ ← θ − lr · (L + εI)^{−1/4} G (R + εI)^{−1/4}
///     vector g (n):    H ← H + g gᵀ,                  θ ← θ − lr · (H + εI)^{−1/2} g
///
/// (an order-k tensor gets exponent −1/(2k) per mode; a vector is full-matrix Adagrad). The
/// statistics are sums (β₂ = 1), the inverse roots come from symmetric eigendecompositions
/// with ε added before the root (facebookresearch/optimizers' distributed Shampoo; the
/// paper's L₀ = R₀ = εI is the same thing), and are recomputed every
/// `preconditionFrequency` steps. Tensors of rank > 2 are flattened to `[shape[0], rest]`.
/// Decoupled weight decay θ(1 − lr·λ) as in the reference. Grafting (Agarwal et al. 2020)
/// keeps Shampoo's direction but takes each tensor's step length from a simpler method:
/// P = ‖P_graft‖_F / ‖P_Shampoo‖_F · P_Shampoo, with P_graft = g (`.sgd`) or
/// g/(√s + ε), s = Σ g² (`.adagrad`).
///
/// Defaults: lr 1e-2, ε = 1e-12, frequency 1, λ = 0, no grafting.
/// State per m×n matrix: statistics m² + n² and cached roots m² + n² (+ mn for Adagrad
/// grafting); per vector: 2n² (+ n).
public struct Shampoo: GradientTransformation {
    public struct State {
        /// Per parameter: [L, R] for a matrix, [H] for a vector.
        public var statistics: [[Tensor]]
        /// The inverse roots last computed from `statistics`.
        public var roots: [[Tensor]]
        /// Σ g² per parameter, for Adagrad grafting.
        public var graftAccumulator: [Tensor]?
        public var count: Int
    }

    /// Where each tensor's step length comes from.
    public enum Grafting: Sendable, Equatable {
        case none
        case sgd
        case adagrad(epsilon: Double)
        /// Adagrad grafting with ε = 1e-10.
        public static var adagrad: Grafting { .adagrad(epsilon: 1e-10) }
    }

    public let lr: Double
    public let epsilon: Double
    public let preconditionFrequency: Int
    public let weightDecay: Double
    public let grafting: Grafting

    public init(lr: Double = 1e-2, epsilon: Double = 1e-12, preconditionFrequency: Int = 1, weightDecay: Double = 0,
                grafting: Grafting = .none) {
        precondition(preconditionFrequency >= 1, "Shampoo: preconditionFrequency must be ≥ 1")
        self.lr = lr
        self.epsilon = epsilon
        self.preconditionFrequency = preconditionFrequency
        self.weightDecay = weightDecay
        self.grafting = grafting
    }

    public var name: String { "Shampoo(lr: \(label(lr)))" }
    public var reference: String { "Gupta, Koren & Singer 2018; facebookresearch/optimizers distributed_shampoo" }

    static func dims(_ shape: [Int]) -> [Int] {
        switch shape.count {
        case 0: return [1]
        case 1: return shape
        default: return [shape[0], shape.dropFirst().reduce(1, *)]
        }
    }

    public func makeState(for parameters: [Tensor]) -> State {
        let stats = parameters.map { p in Self.dims(p.shape).map { Tensor.zeros([$0, $0]) } }
        let roots = parameters.map { p in Self.dims(p.shape).map { Tensor.identity($0) } }
        let graft: [Tensor]? = if case .adagrad = grafting { zerosLike(parameters) } else { nil }
        return State(statistics: stats, roots: roots, graftAccumulator: graft, count: 0)
    }

    /// (S + εI)^{−p} for a symmetric positive semi-definite S, through S = V diag(λ) Vᵀ;
    /// eigenvalues that round to slightly negative are clamped to 0 first. Where λ + ε is 0
    /// (only with ε = 0) the direction is dropped: the pseudo-inverse root.
    public static func inverseRoot(_ s: Tensor, power p: Double, epsilon: Double) -> Tensor {
        let (values, vectors) = symmetricEigen(s)
        let scaled = values.scalars.map { λ -> Double in
            let shifted = Swift.max(λ, 0) + epsilon
            return shifted > 0 ? pow(shifted, -p) : 0
        }
        return matmul(vectors * Tensor(scaled).reshaped(to: [1, scaled.count]), vectors.transposed()).detached
    }

    public func update(_ gradients: [Tensor], state: inout State, parameters: [Tensor]) -> [Tensor] {
        state.count += 1
        let refresh = (state.count - 1) % preconditionFrequency == 0
        var out: [Tensor] = []
        for i in gradients.indices {
            let p = parameters[i]
            let d = Self.dims(p.shape)
            let preconditioned: Tensor
            if d.count == 1 {
                let g = gradients[i].reshaped(to: [d[0], 1])
                state.statistics[i][0] = (state.statistics[i][0] + matmul(g, g.transposed())).detached
                if refresh { state.roots[i][0] = Self.inverseRoot(state.statistics[i][0], power: 0.5, epsilon: epsilon) }
                preconditioned = matmul(state.roots[i][0], g)
            } else {
                let g = gradients[i].reshaped(to: d)
                state.statistics[i][0] = (state.statistics[i][0] + matmul(g, g.transposed())).detached
                state.statistics[i][1] = (state.statistics[i][1] + matmul(g.transposed(), g)).detached
                if refresh {
                    state.roots[i][0] = Self.inverseRoot(state.statistics[i][0], power: 0.25, epsilon: epsilon)
                    state.roots[i][1] = Self.inverseRoot(state.statistics[i][1], power: 0.25, epsilon: epsilon)
                }
                preconditioned = matmul(matmul(state.roots[i][0], g), state.roots[i][1])
            }
            var direction = preconditioned.reshaped(to: p.shape).detached
            if grafting != .none {
                let graft: Tensor
                switch grafting {
                case .adagrad(let eps):
                    state.graftAccumulator![i] = elementwise(state.graftAccumulator![i], gradients[i]) { s, g in s + g * g }
                    graft = elementwise(gradients[i], state.graftAccumulator![i]) { g, s in g / (s.squareRoot() + eps) }
                default:
                    graft = gradients[i]
                }
                let shampooNorm = globalNorm([direction])
                let scale = shampooNorm > 0 ? globalNorm([graft]) / shampooNorm : 0
                direction = elementwise(direction) { scale * $0 }
            }
            out.append(elementwise(direction, p) { u, p in -lr * weightDecay * p - lr * u })
        }
        return out
    }

    public func stateSize(for shapes: [[Int]]) -> Int {
        let graft: Int = if case .adagrad = grafting { scalarCount(shapes) } else { 0 }
        return shapes.map { s in Self.dims(s).map { 2 * $0 * $0 }.reduce(0, +) }.reduce(0, +) + graft
    }
}
