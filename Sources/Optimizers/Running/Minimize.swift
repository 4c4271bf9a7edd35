import Autodiff
import Models

/// The path of an optimizer on a function of a few variables: every point visited, the
/// start included, and the loss and gradient norm at each.
///
///     let run = Adam(lr: 0.01).minimize(Functions.rosenbrock, from: [-1.5, 2.0], steps: 500)
///     run.points      // [[Double]], 501 points
///     run.losses      // one per point
public struct Trajectory: Sendable {
    /// The optimizer's name, for legends.
    public let optimizer: String
    /// θ₀ (the start), θ₁, …: `steps + 1` points unless the run diverged.
    public internal(set) var points: [[Double]]
    /// L(θᵢ) for each point.
    public internal(set) var losses: [Double]
    /// ‖∇L(θᵢ)‖ for each point.
    public internal(set) var gradientNorms: [Double]
    /// Whether the run stopped early because a point or its loss stopped being finite
    /// (the last point is then the first non-finite one).
    public internal(set) var diverged: Bool

    /// The last point reached.
    public var finalPoint: [Double] { points[points.count - 1] }
    /// The loss at the last point.
    public var finalLoss: Double { losses[losses.count - 1] }
    /// First coordinates of the points, for plotting.
    public var xs: [Double] { points.map { $0[0] } }
    /// Second coordinates of the points, for plotting.
    public var ys: [Double] { points.map { $0.count > 1 ? $0[1] : 0 } }
}

/// Per-step measurements of a training run, ready for plots and tables.
public struct TrainingHistory: Sendable {
    /// The optimizer's name.
    public let optimizer: String
    /// L(θₜ) at the start of each step.
    public internal(set) var losses: [Double] = []
    /// ‖∇L(θₜ)‖ at the start of each step.
    public internal(set) var gradientNorms: [Double] = []
    /// ‖θₜ₊₁ − θₜ‖, the length of each step.
    public internal(set) var updateNorms: [Double] = []
    /// ‖θₜ‖ at the start of each step.
    public internal(set) var parameterNorms: [Double] = []
    /// L at the parameters after the last step.
    public internal(set) var finalLoss: Double = .nan
    /// Whether training stopped early on a non-finite loss or parameter.
    public internal(set) var diverged = false
    /// (step, λmax of the full-batch loss's Hessian at θ_step), when sharpness was asked for.
    public internal(set) var sharpness: [(step: Int, value: Double)] = []
}

extension TrainingHistory {
    /// Records the step that took the parameters from `before` to `after`. Returns false,
    /// with `diverged` set, when the loss or a parameter stopped being finite: the run stops.
    mutating func record(_ result: StepResult, from before: [Tensor], to after: [Tensor]) -> Bool {
        losses.append(result.loss)
        gradientNorms.append(result.gradientNorm)
        parameterNorms.append(globalNorm(before))
        updateNorms.append(globalNorm(zip(after, before).map { a, b in elementwise(a, b) { $0 - $1 } }))
        if !result.loss.isFinite || !after.allSatisfy({ $0.scalars.allSatisfy(\.isFinite) }) { diverged = true }
        return !diverged
    }

    /// The loss after the last step; a non-finite one marks the run as diverged.
    mutating func finish(finalLoss: Double) {
        self.finalLoss = finalLoss
        if !finalLoss.isFinite { diverged = true }
    }
}

extension Optimizer {
    /// Runs `steps` steps on a test landscape from `start` and returns the path.
    public func minimize(_ f: TestFunction, from start: [Double], steps: Int) -> Trajectory {
        minimize(from: start, steps: steps) { p in f(p) }
    }

    /// Runs `steps` steps on f (a function of a vector, written with tensor operations) from
    /// `start` and returns the path. A run whose point or loss stops being finite ends there,
    /// with `diverged` set.
    ///
    ///     SGD(lr: 0.1, momentum: 0.9).minimize(from: [1.0, 1.0], steps: 50) { x in x[0] * x[0] + 10 * x[1] * x[1] }
    public func minimize(from start: [Double], steps: Int, _ f: @escaping (Tensor) -> Tensor) -> Trajectory {
        precondition(steps >= 0, "minimize: steps must be ≥ 0, got \(steps)")
        let objective = Objective { f($0[0]) }
        var parameters = [Tensor(start)]
        var state = makeState(for: parameters)
        var run = Trajectory(optimizer: name, points: [start], losses: [], gradientNorms: [], diverged: false)
        run.points.reserveCapacity(steps + 1)
        for _ in 0..<steps {
            let result = step(&parameters, state: &state, objective: objective)
            run.losses.append(result.loss)
            run.gradientNorms.append(result.gradientNorm)
            run.points.append(parameters[0].scalars)
            if !result.loss.isFinite || !parameters[0].scalars.allSatisfy(\.isFinite) {
                run.diverged = true
                break
            }
        }
        let end = objective.valueWithGradient(at: parameters)
        run.losses.append(end.value)
        run.gradientNorms.append(globalNorm(end.gradient))
        if !end.value.isFinite { run.diverged = true }
        return run
    }

    /// Minibatch training with a loss chosen per step: step t minimizes `lossAt(t)` (e.g. the
    /// loss on the t-th batch), recording as `train(_:steps:loss:)` does; `finalLoss` is
    /// `lossAt(steps)` at the final parameters.
    public func train(_ parameters: inout [Tensor], steps: Int,
                      lossAt: (Int) -> ([Tensor]) -> Tensor) -> TrainingHistory {
        var state = makeState(for: parameters)
        var history = TrainingHistory(optimizer: name)
        for t in 0..<steps {
            let before = parameters
            let result = step(&parameters, state: &state, objective: Objective(lossAt(t)))
            guard history.record(result, from: before, to: parameters) else { break }
        }
        history.finish(finalLoss: lossAt(steps)(parameters).scalar)
        return history
    }

    /// Full-batch training: `steps` steps on `loss` from `parameters` (updated in place),
    /// recording loss, gradient norm, update norm and parameter norm per step. Stops early,
    /// with `diverged` set, when the loss or a parameter stops being finite.
    public func train(_ parameters: inout [Tensor], steps: Int,
                      loss: @escaping ([Tensor]) -> Tensor) -> TrainingHistory {
        train(&parameters, steps: steps, lossAt: { _ in loss })
    }
}

/// Histories store with `memo`; the sharpness log is kept as two parallel arrays.
extension TrainingHistory: Codable {
    enum CodingKeys: String, CodingKey {
        case optimizer, losses, gradientNorms, updateNorms, parameterNorms, finalLoss, diverged
        case sharpnessSteps, sharpnessValues
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(optimizer: try c.decode(String.self, forKey: .optimizer))
        losses = try c.decode([Double].self, forKey: .losses)
        gradientNorms = try c.decode([Double].self, forKey: .gradientNorms)
        updateNorms = try c.decode([Double].self, forKey: .updateNorms)
        parameterNorms = try c.decode([Double].self, forKey: .parameterNorms)
        finalLoss = try c.decode(Double.self, forKey: .finalLoss)
        diverged = try c.decode(Bool.self, forKey: .diverged)
        let steps = try c.decode([Int].self, forKey: .sharpnessSteps)
        let values = try c.decode([Double].self, forKey: .sharpnessValues)
        guard steps.count == values.count else {
            throw DecodingError.dataCorruptedError(forKey: .sharpnessValues, in: c,
                                                   debugDescription: "sharpness steps and values differ in length")
        }
        sharpness = zip(steps, values).map { (step: $0, value: $1) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(optimizer, forKey: .optimizer)
        try c.encode(losses, forKey: .losses)
        try c.encode(gradientNorms, forKey: .gradientNorms)
        try c.encode(updateNorms, forKey: .updateNorms)
        try c.encode(parameterNorms, forKey: .parameterNorms)
        try c.encode(finalLoss, forKey: .finalLoss)
        try c.encode(diverged, forKey: .diverged)
        try c.encode(sharpness.map(\.step), forKey: .sharpnessSteps)
        try c.encode(sharpness.map(\.value), forKey: .sharpnessValues)
    }
}
