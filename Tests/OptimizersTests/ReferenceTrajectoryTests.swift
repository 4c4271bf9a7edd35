import Foundation
import Testing
@testable import Optimizers
import Models
import Autodiff

/// 100-step trajectories compared with optax (float64) on two fixed problems, to 1e-9.
/// The numbers were made once by `References/make_references.py` (which says why optax and
/// how each transform is set to torch.optim's arithmetic); CI only reads the JSON.
@Suite struct ReferenceTrajectoryTests {
    struct File: Decodable {
        let steps: Int
        let runs: [Run]
    }
    struct Run: Decodable {
        let problem: String
        let optimizer: String
        let shape: [Int]
        let points: [[Double]]
    }

    static let file: File = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("References/optax_trajectories.json")
        let data = try! Data(contentsOf: url)
        return try! JSONDecoder().decode(File.self, from: data)
    }()

    /// The Swift optimizer each reference run was made with (same settings as the script).
    static let optimizers: [String: any Optimizer] = [
        "sgd": SGD(lr: 1e-3),
        "sgdMomentum": SGD(lr: 1e-3, momentum: 0.9),
        "sgdNesterov": SGD(lr: 1e-3, momentum: 0.9, nesterov: true),
        "sgdWeightDecay": SGD(lr: 1e-3, momentum: 0.9, weightDecay: 0.1),
        "sgdCosine": SGD(momentum: 0.9, schedule: .cosine(from: 1e-3, steps: 100)),
        "adam": Adam(lr: 0.01),
        "adamL2": Adam(lr: 0.01, weightDecay: 0.1),
        "adamW": AdamW(lr: 0.01, weightDecay: 0.1),
        "lion": Lion(lr: 3e-3, weightDecay: 0.1),
        "adagrad": Adagrad(lr: 0.1, epsilon: 0),
        "rmsprop": RMSProp(lr: 1e-3),
        "rmspropCenteredMomentum": RMSProp(lr: 1e-3, momentum: 0.9, centered: true),
    ]

    static let x = Tensor([[1.0, 0.5, -0.3], [0.2, -1.0, 0.8], [-0.7, 0.3, 1.1], [0.9, 0.9, 0.1], [-0.4, -0.6, -1.2]])
    static let y = Tensor([[1.0, -1.0], [0.5, 0.2], [-0.3, 0.8], [1.2, 0.0], [-0.9, -0.4]])

    static func loss(_ problem: String) -> ([Tensor]) -> Tensor {
        switch problem {
        case "rosenbrock": return { p in Functions.rosenbrock(p[0]) }
        case "leastSquares":
            return { p in
                let r = matmul(x, p[0]) - y
                return 0.5 * r.squared().sum() / 5.0
            }
        default: preconditionFailure("unknown problem \(problem)")
        }
    }

    static func trajectory<O: Optimizer>(_ optimizer: O, _ run: Run) -> [[Double]] {
        var params = [Tensor(shape: run.shape, scalars: run.points[0])]
        var state = optimizer.makeState(for: params)
        let objective = Objective(loss(run.problem))
        var points = [params[0].scalars]
        for _ in 0..<(run.points.count - 1) {
            _ = optimizer.step(&params, state: &state, objective: objective)
            points.append(params[0].scalars)
        }
        return points
    }

    static var keys: [String] { file.runs.map { "\($0.problem)/\($0.optimizer)" } }

    @Test("Every reference run has an optimizer here, and every optimizer a run on each problem")
    func coverage() {
        #expect(Self.file.runs.count == 2 * Self.optimizers.count)
        #expect(Set(Self.file.runs.map(\.optimizer)) == Set(Self.optimizers.keys))
        #expect(Self.file.steps == 100)
    }

    @Test("Agrees with optax to 1e-9 at every one of 100 steps", arguments: keys)
    func agrees(key: String) throws {
        let run = Self.file.runs.first { "\($0.problem)/\($0.optimizer)" == key }!
        let optimizer = try #require(Self.optimizers[run.optimizer])
        let ours = Self.trajectory(optimizer, run)
        var worst = 0.0, worstStep = 0
        for (t, (a, b)) in zip(ours, run.points).enumerated() {
            for (u, v) in zip(a, b) {
                let err = abs(u - v) / Swift.max(1, abs(v))
                if err > worst { worst = err; worstStep = t }
            }
        }
        #expect(worst <= 1e-9, "\(key): largest relative difference \(worst) at step \(worstStep)")
        // The run moved: the comparison is not of a parameter that stood still.
        #expect(run.points.last! != run.points.first!)
    }
}
