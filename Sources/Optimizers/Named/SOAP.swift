import Autodiff

/// SOAP, "ShampoO with Adam in the Preconditioner's eigenbasis" (Vyas et al. 2024;
/// nikhilvyas/SOAP `soap.py`): Adam run in the rotating eigenbasis of Shampoo's statistics.
/// For a matrix gradient G (m×n):
///
///     L ← β_s L + (1 − β_s) G Gᵀ,   R ← β_s R + (1 − β_s) Gᵀ G        (EMAs, β_s = β₂)
///     G' = Q_Lᵀ G Q_R                                                   (rotate into the eigenbasis)
///     m ← β₁ m + (1 − β₁) G',   v ← β₂ v + (1 − β₂) G'²                  (Adam there)
///     θ ← θ − lr · √(1 − β₂ᵗ)/(1 − β₁ᵗ) · Q_L (m / (√v + ε)) Q_Rᵀ
///     θ ← θ − lr·λ·θ                                                    (decay after the step)
///
/// The first step only initializes L, R and Q = eigh(·) (eigenvectors by descending
/// eigenvalue) and leaves θ alone, so a gradient is never rotated by a basis built from
/// itself. Every `preconditionFrequency` steps Q is refreshed by one power iteration and a QR
/// factorization, Q ← QR(S·Q) with the columns ordered by the estimated eigenvalues qᵢᵀSqᵢ
/// (descending) and v's entries permuted to match; m is carried over by rotating it back to
/// the parameter space and into the new basis. Vectors are not preconditioned unless
/// `preconditionOneDimensional` (then Adam in the eigenbasis of one n×n EMA); tensors of
/// rank > 2 are flattened to `[shape[0], rest]`.
///
/// Defaults (the reference's): lr 3e-3, β = (0.95, 0.95), β_s = β₂, ε = 1e-8, λ = 0.01,
/// frequency 10. State per m×n matrix: m, v (2mn), L, R, Q_L, Q_R (2m² + 2n²).
public struct SOAP: GradientTransformation {
    public struct State {
        public var mean: [Tensor]          // m, in the current eigenbasis
        public var secondMoment: [Tensor]  // v, in the current eigenbasis
        public var statistics: [[Tensor]]  // [L, R], [H] or [] per parameter
        public var bases: [[Tensor]]       // Q per statistic
        public var count: Int              // steps taken (the first, initializing one included)
    }

    public let lr: Double
    public let beta1: Double
    public let beta2: Double
    public let shampooBeta: Double
    public let epsilon: Double
    public let weightDecay: Double
    public let preconditionFrequency: Int
    public let preconditionOneDimensional: Bool

    public init(lr: Double = 3e-3, beta1: Double = 0.95, beta2: Double = 0.95, shampooBeta: Double? = nil,
                epsilon: Double = 1e-8, weightDecay: Double = 0.01, preconditionFrequency: Int = 10,
                preconditionOneDimensional: Bool = false) {
        precondition(preconditionFrequency >= 1, "SOAP: preconditionFrequency must be ≥ 1")
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.shampooBeta = shampooBeta ?? beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.preconditionFrequency = preconditionFrequency
        self.preconditionOneDimensional = preconditionOneDimensional
    }

    public var name: String { "SOAP(lr: \(label(lr)))" }
    public var reference: String { "Vyas et al. 2024; nikhilvyas/SOAP soap.py" }

    func dims(_ shape: [Int]) -> [Int] {
        switch shape.count {
        case 0: return []
        case 1: return preconditionOneDimensional ? shape : []
        default: return [shape[0], shape.dropFirst().reduce(1, *)]
        }
    }

    public func makeState(for parameters: [Tensor]) -> State {
        State(mean: zerosLike(parameters), secondMoment: zerosLike(parameters),
              statistics: parameters.map { p in dims(p.shape).map { Tensor.zeros([$0, $0]) } },
              bases: parameters.map { _ in [] }, count: 0)
    }

    /// G in the basis: Q_Lᵀ G Q_R (matrix), Qᵀ g (vector), g (no preconditioner).
    func project(_ g: Tensor, _ q: [Tensor], back: Bool = false) -> Tensor {
        switch q.count {
        case 2:
            let m = g.reshaped(to: [q[0].shape[0], q[1].shape[0]])
            let r = back ? matmul(matmul(q[0], m), q[1].transposed()) : matmul(matmul(q[0].transposed(), m), q[1])
            return r.reshaped(to: g.shape).detached
        case 1:
            let v = g.reshaped(to: [q[0].shape[0]])
            return (back ? matmul(q[0], v) : matmul(q[0].transposed(), v)).reshaped(to: g.shape).detached
        default:
            return g
        }
    }

    /// Eigenvectors of a symmetric S as columns, by descending eigenvalue.
    static func eigenbasis(_ s: Tensor) -> Tensor {
        let n = s.shape[0]
        let vectors = symmetricEigen(s).vectors  // ascending
        return vectors.gathering(atIndices: Array((0..<n).reversed()), alongAxis: 1).detached
    }

    /// Q with orthonormal columns spanning the columns of a (modified Gram–Schmidt; a column
    /// that vanishes is replaced by the unit vector that keeps the basis complete).
    static func orthonormalized(_ a: Tensor) -> Tensor {
        let n = a.shape[0], k = a.shape[1]
        var cols = (0..<k).map { j in (0..<n).map { i in a.scalars[i * k + j] } }
        for j in 0..<k {
            for _ in 0..<2 {  // twice is enough (Kahan–Parlett)
                for i in 0..<j {
                    let d = zip(cols[i], cols[j]).map { $0 * $1 }.reduce(0.0) { $0 + $1 }
                    cols[j] = zip(cols[j], cols[i]).map { $0 - d * $1 }
                }
            }
            var norm = cols[j].map { $0 * $0 }.reduce(0.0) { $0 + $1 }.squareRoot()
            if norm < 1e-300 {
                // Pick the standard basis vector least represented so far and orthogonalize it.
                var weight = [Double](repeating: 0, count: n)
                for i in 0..<j { for r in 0..<n { weight[r] += cols[i][r] * cols[i][r] } }
                let e = (0..<n).min { weight[$0] < weight[$1] }!
                cols[j] = (0..<n).map { $0 == e ? 1 : 0 }
                for i in 0..<j {
                    let d = zip(cols[i], cols[j]).map { $0 * $1 }.reduce(0.0) { $0 + $1 }
                    cols[j] = zip(cols[j], cols[i]).map { $0 - d * $1 }
                }
                norm = cols[j].map { $0 * $0 }.reduce(0.0) { $0 + $1 }.squareRoot()
            }
            cols[j] = cols[j].map { $0 / norm }
        }
        return Tensor(shape: [n, k], scalars: (0..<n).flatMap { i in (0..<k).map { j in cols[j][i] } })
    }

    /// Adds G's outer products to the statistics (EMA with β_s); refreshes Q by eigh on the
    /// first call and by power iteration + QR when `refresh`, permuting v to follow.
    func updatePreconditioner(_ g: Tensor, state: inout State, index i: Int, refresh: Bool) {
        let d = dims(g.shape)
        guard !d.isEmpty else { return }
        let hadBasis = !state.bases[i].isEmpty
        if hadBasis { state.mean[i] = project(state.mean[i], state.bases[i], back: true) }
        let m = g.reshaped(to: d.count == 2 ? d : [d[0], 1])
        let outer = d.count == 2 ? [matmul(m, m.transposed()), matmul(m.transposed(), m)] : [matmul(m, m.transposed())]
        for k in outer.indices {
            state.statistics[i][k] = elementwise(state.statistics[i][k], outer[k].detached) { s, o in s + (o - s) * (1 - shampooBeta) }
        }
        if !hadBasis {
            state.bases[i] = state.statistics[i].map(Self.eigenbasis)
        } else if refresh {
            var v = state.secondMoment[i].reshaped(to: d.count == 2 ? d : [d[0]])
            for k in state.bases[i].indices {
                let s = state.statistics[i][k], q = state.bases[i][k]
                let sq = matmul(s, q)
                let n = q.shape[0]
                let estimates = (0..<n).map { j in (0..<n).map { r in q.scalars[r * n + j] * sq.scalars[r * n + j] }.reduce(0.0) { $0 + $1 } }
                let order = (0..<n).sorted { estimates[$0] > estimates[$1] }
                v = v.gathering(atIndices: order, alongAxis: k).detached
                state.bases[i][k] = Self.orthonormalized(sq.gathering(atIndices: order, alongAxis: 1).detached)
            }
            state.secondMoment[i] = v.reshaped(to: g.shape)
        }
        if hadBasis { state.mean[i] = project(state.mean[i], state.bases[i]) }
    }

    public func update(_ gradients: [Tensor], state: inout State, parameters: [Tensor]) -> [Tensor] {
        state.count += 1
        if state.count == 1 {
            for i in gradients.indices { updatePreconditioner(gradients[i], state: &state, index: i, refresh: false) }
            return gradients.map { Tensor.zeros($0.shape) }
        }
        let t = Double(state.count - 1)  // Adam's step count: the initializing step does not count
        let stepSize = lr * (1 - pow(beta2, t)).squareRoot() / (1 - pow(beta1, t))
        var out: [Tensor] = []
        for i in gradients.indices {
            let gp = project(gradients[i], state.bases[i])
            state.mean[i] = elementwise(state.mean[i], gp) { m, g in beta1 * m + (1 - beta1) * g }
            state.secondMoment[i] = elementwise(state.secondMoment[i], gp) { v, g in beta2 * v + (1 - beta2) * g * g }
            let adam = elementwise(state.mean[i], state.secondMoment[i]) { m, v in m / (v.squareRoot() + epsilon) }
            let direction = project(adam, state.bases[i], back: true)
            // θ' = θ − s·d, then θ'' = θ' − lr·λ·θ': the update is θ'' − θ.
            out.append(elementwise(parameters[i], direction) { p, d in
                let stepped = p - stepSize * d
                return (stepped - lr * weightDecay * stepped) - p
            })
            updatePreconditioner(gradients[i], state: &state, index: i,
                                 refresh: (state.count - 1) % preconditionFrequency == 0)
        }
        return out
    }

    public func stateSize(for shapes: [[Int]]) -> Int {
        shapes.map { s in 2 * s.reduce(1, *) + dims(s).map { 2 * $0 * $0 }.reduce(0, +) }.reduce(0, +)
    }
}
