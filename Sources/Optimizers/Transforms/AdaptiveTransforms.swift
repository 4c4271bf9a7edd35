import Autodiff

/// Adam's direction with PyTorch's arithmetic (Kingma & Ba 2015; `torch/optim/adam.py`):
///
///     t ← t + 1
///     m ← β₁ m + (1 − β₁) g
///     v ← β₂ v + (1 − β₂) g²
///     u = (m / (1 − β₁ᵗ)) / (√v / √(1 − β₂ᵗ) + ε)
///
/// Both moments are bias-corrected and ε sits outside the square root, added after the
/// correction of √v, exactly as PyTorch does it (optax's `scale_by_adam` is the same).
/// Chain with `ScaleByConstant(-lr)` for Adam. State: two scalars per parameter and a step count.
public struct ScaleByAdam: GradientTransformation {
    public struct State {
        /// Steps taken so far.
        public var count: Int
        /// First-moment EMA m.
        public var mean: [Tensor]
        /// Second-moment EMA v.
        public var secondMoment: [Tensor]
    }

    public let beta1: Double
    public let beta2: Double
    public let epsilon: Double

    public init(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) {
        precondition((0..<1).contains(beta1) && (0..<1).contains(beta2), "ScaleByAdam: betas must lie in [0, 1)")
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    public var name: String { "ScaleByAdam" }

    public func makeState(for parameters: [Tensor]) -> State {
        State(count: 0, mean: zerosLike(parameters), secondMoment: zerosLike(parameters))
    }

    public func update(_ gradients: [Tensor], state: inout State, parameters: [Tensor]) -> [Tensor] {
        state.count += 1
        let t = Double(state.count)
        let bc1 = 1 - pow(beta1, t)
        let bc2Sqrt = (1 - pow(beta2, t)).squareRoot()
        var out: [Tensor] = []
        out.reserveCapacity(gradients.count)
        for i in gradients.indices {
            let g = gradients[i].scalars
            var m = state.mean[i].scalars, v = state.secondMoment[i].scalars
            var u = [Double](repeating: 0, count: g.count)
            for j in 0..<g.count {
                m[j] = beta1 * m[j] + (1 - beta1) * g[j]
                v[j] = beta2 * v[j] + (1 - beta2) * g[j] * g[j]
                u[j] = (m[j] / bc1) / (v[j].squareRoot() / bc2Sqrt + epsilon)
            }
            let shape = gradients[i].shape
            state.mean[i] = Tensor(shape: shape, scalars: m)
            state.secondMoment[i] = Tensor(shape: shape, scalars: v)
            out.append(Tensor(shape: shape, scalars: u))
        }
        return out
    }

    public func stateSize(for shapes: [[Int]]) -> Int { 2 * scalarCount(shapes) }
}

/// Lion's direction (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms";
/// google/automl `lion_pytorch.py`):
///
///     c = β₁ m + (1 − β₁) g,   u = sign(c)   (sign(0) = 0)
///     m ← β₂ m + (1 − β₂) g
///
/// The update interpolates with β₁ but the memory tracks with the slower β₂. Every
/// coordinate moves by exactly ±1 before the learning rate, so the step has norm √n.
/// State: one scalar per parameter.
public struct ScaleByLion: GradientTransformation {
    public typealias State = [Tensor]
    public let beta1: Double
    public let beta2: Double

    public init(beta1: Double = 0.9, beta2: Double = 0.99) {
        self.beta1 = beta1
        self.beta2 = beta2
    }

    public var name: String { "ScaleByLion" }
    public func makeState(for parameters: [Tensor]) -> State { zerosLike(parameters) }

    public func update(_ gradients: [Tensor], state: inout State, parameters: [Tensor]) -> [Tensor] {
        var out: [Tensor] = []
        for i in gradients.indices {
            let g = gradients[i]
            out.append(elementwise(state[i], g) { m, g in signum(beta1 * m + (1 - beta1) * g) })
            state[i] = elementwise(state[i], g) { m, g in beta2 * m + (1 - beta2) * g }
        }
        return out
    }

    public func stateSize(for shapes: [[Int]]) -> Int { scalarCount(shapes) }
}

/// Adagrad's direction (Duchi, Hazan & Singer 2011; `torch/optim/adagrad.py` with its
/// defaults: no learning-rate decay, initial accumulator 0):
///
///     s ← s + g²,   u = g / (√s + ε)
///
/// Each coordinate's step shrinks with its accumulated squared gradient, for ever.
public struct ScaleByAdagrad: GradientTransformation {
    public typealias State = [Tensor]
    public let epsilon: Double
    public let initialAccumulator: Double

    public init(epsilon: Double = 1e-10, initialAccumulator: Double = 0) {
        self.epsilon = epsilon
        self.initialAccumulator = initialAccumulator
    }

    public var name: String { "ScaleByAdagrad" }
    public func makeState(for parameters: [Tensor]) -> State {
        parameters.map { Tensor(repeating: initialAccumulator, shape: $0.shape) }
    }

    public func update(_ gradients: [Tensor], state: inout State, parameters: [Tensor]) -> [Tensor] {
        var out: [Tensor] = []
        for i in gradients.indices {
            state[i] = elementwise(state[i], gradients[i]) { s, g in s + g * g }
            out.append(elementwise(gradients[i], state[i]) { g, s in g / (s.squareRoot() + epsilon) })
        }
        return out
    }

    public func stateSize(for shapes: [[Int]]) -> Int { scalarCount(shapes) }
}

/// RMSProp's direction (Tieleman & Hinton 2012, lecture 6e; `torch/optim/rmsprop.py`):
///
///     v ← α v + (1 − α) g²
///     centered:  ḡ ← α ḡ + (1 − α) g,   d = √(v − ḡ²) + ε      else  d = √v + ε
///     momentum μ > 0:  b ← μ b + g/d, u = b                   else  u = g/d
///
/// No bias correction (v starts at 0, so early steps are large). State: 1 scalar per
/// parameter, +1 centered, +1 with momentum.
public struct ScaleByRMSProp: GradientTransformation {
    public struct State {
        public var squareAverage: [Tensor]
        public var gradientAverage: [Tensor]?
        public var momentumBuffer: [Tensor]?
    }
    public let alpha: Double
    public let epsilon: Double
    public let momentum: Double
    public let centered: Bool

    public init(alpha: Double = 0.99, epsilon: Double = 1e-8, momentum: Double = 0, centered: Bool = false) {
        self.alpha = alpha
        self.epsilon = epsilon
        self.momentum = momentum
        self.centered = centered
    }

    public var name: String { "ScaleByRMSProp" }
    public func makeState(for parameters: [Tensor]) -> State {
        State(squareAverage: zerosLike(parameters),
              gradientAverage: centered ? zerosLike(parameters) : nil,
              momentumBuffer: momentum > 0 ? zerosLike(parameters) : nil)
    }

    public func update(_ gradients: [Tensor], state: inout State, parameters: [Tensor]) -> [Tensor] {
        var out: [Tensor] = []
        for i in gradients.indices {
            let g = gradients[i]
            state.squareAverage[i] = elementwise(state.squareAverage[i], g) { v, g in alpha * v + (1 - alpha) * g * g }
            var denom: Tensor
            if centered {
                state.gradientAverage![i] = elementwise(state.gradientAverage![i], g) { a, g in alpha * a + (1 - alpha) * g }
                denom = elementwise(state.squareAverage[i], state.gradientAverage![i]) { v, a in (v - a * a).squareRoot() }
            } else {
                denom = elementwise(state.squareAverage[i]) { $0.squareRoot() }
            }
            denom = elementwise(denom) { $0 + epsilon }
            let step = elementwise(g, denom) { $0 / $1 }
            if momentum > 0 {
                state.momentumBuffer![i] = elementwise(state.momentumBuffer![i], step) { b, s in momentum * b + s }
                out.append(state.momentumBuffer![i])
            } else {
                out.append(step)
            }
        }
        return out
    }

    public func stateSize(for shapes: [[Int]]) -> Int {
        scalarCount(shapes) * (1 + (centered ? 1 : 0) + (momentum > 0 ? 1 : 0))
    }
}
