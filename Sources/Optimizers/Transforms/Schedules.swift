import Autodiff

/// A learning rate as a function of the step index t = 0, 1, 2, … (the step about to be
/// taken), as PyTorch's schedulers give it when `scheduler.step()` follows each
/// `optimizer.step()`.
///
///     Adam(schedule: .warmup(steps: 100, then: .cosine(from: 1e-3, steps: 900)))
public struct Schedule: Sendable {
    private let rate: @Sendable (Int) -> Double
    /// A short description for legends: "cosine(0.001 → 0, 900 steps)".
    public let description: String

    public init(_ description: String, _ rate: @escaping @Sendable (Int) -> Double) {
        self.description = description
        self.rate = rate
    }

    /// ηₜ.
    public func callAsFunction(_ t: Int) -> Double { rate(t) }

    /// ηₜ = η.
    public static func constant(_ lr: Double) -> Schedule {
        Schedule(label(lr)) { _ in lr }
    }

    /// ηₜ = η · γ^⌊t/every⌋ (PyTorch's `StepLR`).
    public static func step(_ lr: Double, every: Int, factor gamma: Double) -> Schedule {
        precondition(every > 0, "Schedule.step: every must be positive")
        return Schedule("step(\(label(lr)) × \(label(gamma)) every \(every))") { t in lr * pow(gamma, Double(t / every)) }
    }

    /// ηₜ = η_min + (η − η_min)(1 + cos(π t/T))/2 for t ≤ T, then η_min (PyTorch's
    /// `CosineAnnealingLR` in closed form, without restarts; Loshchilov & Hutter 2017).
    public static func cosine(from lr: Double, steps: Int, minimum: Double = 0) -> Schedule {
        precondition(steps > 0, "Schedule.cosine: steps must be positive")
        return Schedule("cosine(\(label(lr)) → \(label(minimum)), \(steps) steps)") { t in
            let s = Double(Swift.min(t, steps)) / Double(steps)
            return minimum + (lr - minimum) * (1 + cos(Double.pi * s)) / 2
        }
    }

    /// Linear warm-up over `steps` steps, ηₜ = (t + 1)/steps · after(0) for t < steps (so the
    /// first step is not zero), then `after` with its clock started at the end of the warm-up
    /// (Goyal et al. 2017).
    public static func warmup(steps: Int, then after: Schedule) -> Schedule {
        precondition(steps > 0, "Schedule.warmup: steps must be positive")
        return Schedule("warmup(\(steps)) then \(after.description)") { t in
            t < steps ? Double(t + 1) / Double(steps) * after(0) : after(t - steps)
        }
    }
}

/// u = −ηₜ·g with ηₜ from a schedule; ends a chain in place of `ScaleByConstant(-lr)`. State: the step index.
public struct ScaleByLearningRate: GradientTransformation {
    public typealias State = Int
    public let schedule: Schedule

    public init(_ schedule: Schedule) { self.schedule = schedule }
    public init(_ lr: Double) { self.schedule = .constant(lr) }

    public var name: String { "ScaleByLearningRate(\(schedule.description))" }
    public func makeState(for parameters: [Tensor]) -> State { 0 }
    public func update(_ gradients: [Tensor], state: inout State, parameters: [Tensor]) -> [Tensor] {
        let lr = schedule(state)
        state += 1
        return gradients.map { g in elementwise(g) { -lr * $0 } }
    }
    public func stateSize(for shapes: [[Int]]) -> Int { 0 }
}
