import Autodiff

/// Muon, "MomentUm Orthogonalized by Newton–Schulz" (Jordan et al. 2024; KellerJordan/Muon
/// `muon.py`), for matrix parameters:
///
///     m ← β m + (1 − β) g                          (m.lerp_(g, 1 − β))
///     u = (1 − β) g + β m   (Nesterov)   or   u = m
///     O = NewtonSchulz₅(u) ≈ U Vᵀ  for u = U Σ Vᵀ (the nearest semi-orthogonal matrix)
///     θ ← θ (1 − lr·λ) − lr · √max(1, rows/cols) · O
///
/// Defaults: lr 0.02, β = 0.95, Nesterov, 5 Newton–Schulz steps, λ = 0. Parameters that are
/// not matrices (biases, gains, and the vector of a 2-D test function) are handled as the
/// reference's `MuonWithAuxAdam` does, by Adam on them: m̂/(√v̂ + ε) with β = (0.9, 0.95),
/// ε = 1e-10, lr 3e-4, the same decoupled decay. Tensors of rank > 2 are flattened to
/// `[shape[0], rest]`. Arithmetic is in Double (the reference runs Newton–Schulz in bfloat16).
/// State: one scalar per matrix parameter (m), two per other parameter (Adam's m, v).
public struct Muon: GradientTransformation {
    public struct State {
        /// Muon's momentum for each matrix parameter, Adam's first moment for the others.
        public var momentum: [Tensor]
        /// Adam's second moment for non-matrix parameters (nil for matrices).
        public var secondMoment: [Tensor?]
        public var count: Int
    }

    public let lr: Double
    public let momentum: Double
    public let nesterov: Bool
    public let newtonSchulzSteps: Int
    public let weightDecay: Double
    public let adamLR: Double
    public let adamBetas: (Double, Double)
    public let adamEpsilon: Double

    /// The quintic Newton–Schulz coefficients (a, b, c), tuned by Jordan to push all singular
    /// values of the normalized input towards ≈ 1 quickly (not to converge exactly).
    public static let newtonSchulzCoefficients = (3.4445, -4.7750, 2.0315)

    public init(lr: Double = 0.02, momentum: Double = 0.95, nesterov: Bool = true, newtonSchulzSteps: Int = 5,
                weightDecay: Double = 0, adamLR: Double = 3e-4, adamBetas: (Double, Double) = (0.9, 0.95),
                adamEpsilon: Double = 1e-10) {
        self.lr = lr
        self.momentum = momentum
        self.nesterov = nesterov
        self.newtonSchulzSteps = newtonSchulzSteps
        self.weightDecay = weightDecay
        self.adamLR = adamLR
        self.adamBetas = adamBetas
        self.adamEpsilon = adamEpsilon
    }

    public var name: String { "Muon(lr: \(label(lr)))" }
    public var reference: String { "Jordan et al. 2024; KellerJordan/Muon muon.py" }

    public func makeState(for parameters: [Tensor]) -> State {
        State(momentum: zerosLike(parameters),
              secondMoment: parameters.map { $0.rank >= 2 ? nil : Tensor.zeros($0.shape) },
              count: 0)
    }

    /// The semi-orthogonal factor of g by `steps` quintic Newton–Schulz iterations:
    /// X = g/(‖g‖_F + 1e-7) (transposed to be wide), then X ← aX + (bA + cA²)X with A = XXᵀ.
    public static func orthogonalize(_ g: Tensor, steps: Int = 5) -> Tensor {
        precondition(g.rank == 2, "Muon.orthogonalize: expected a matrix, got shape \(g.shape)")
        let (a, b, c) = newtonSchulzCoefficients
        let tall = g.shape[0] > g.shape[1]
        var x = tall ? g.detached.transposed() : g.detached
        x = x / (globalNorm([x]) + 1e-7)
        for _ in 0..<steps {
            let gram = matmul(x, x.transposed())
            let poly = b * gram + c * matmul(gram, gram)
            x = a * x + matmul(poly, x)
        }
        return tall ? x.transposed().detached : x.detached
    }

    public func update(_ gradients: [Tensor], state: inout State, parameters: [Tensor]) -> [Tensor] {
        state.count += 1
        let t = Double(state.count)
        var out: [Tensor] = []
        for i in gradients.indices {
            let g = gradients[i], p = parameters[i]
            if p.rank >= 2 {
                state.momentum[i] = elementwise(state.momentum[i], g) { m, g in m + (g - m) * (1 - momentum) }
                let u = nesterov
                    ? elementwise(g, state.momentum[i]) { g, m in g + (m - g) * momentum }
                    : state.momentum[i]
                let matrix = u.reshaped(to: [p.shape[0], p.count / p.shape[0]])
                let o = Self.orthogonalize(matrix, steps: newtonSchulzSteps).reshaped(to: p.shape)
                let scale = Swift.max(1, Double(matrix.shape[0]) / Double(matrix.shape[1])).squareRoot()
                out.append(elementwise(o, p) { o, p in -lr * weightDecay * p - lr * scale * o })
            } else {
                let (b1, b2) = adamBetas
                state.momentum[i] = elementwise(state.momentum[i], g) { m, g in m + (g - m) * (1 - b1) }
                state.secondMoment[i] = elementwise(state.secondMoment[i]!, g) { v, g in v + (g * g - v) * (1 - b2) }
                let c1 = 1 - pow(b1, t), c2 = 1 - pow(b2, t)
                let dir = elementwise(state.momentum[i], state.secondMoment[i]!) { m, v in (m / c1) / ((v / c2).squareRoot() + adamEpsilon) }
                out.append(elementwise(dir, p) { d, p in -adamLR * weightDecay * p - adamLR * d })
            }
        }
        return out
    }

    public func stateSize(for shapes: [[Int]]) -> Int {
        shapes.map { s in (s.count >= 2 ? 1 : 2) * s.reduce(1, *) }.reduce(0, +)
    }
}
