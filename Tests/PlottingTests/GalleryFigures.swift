import Foundation
@testable import Plotting

/// The figures the golden and gallery tests draw: one of each mark type, with the shapes the
/// course's papers show.
enum Gallery {
    static func rosenbrock(_ x: Double, _ y: Double) -> Double { (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x) }

    /// Gradient descent with momentum on a function, by finite differences (no engine here).
    static func descend(_ f: (Double, Double) -> Double, from start: (Double, Double), lr: Double,
                        momentum: Double, steps: Int) -> [(Double, Double)] {
        var p = start, v = (0.0, 0.0)
        var out = [p]
        for _ in 0..<steps {
            let h = 1e-6
            let gx = (f(p.0 + h, p.1) - f(p.0 - h, p.1)) / (2 * h)
            let gy = (f(p.0, p.1 + h) - f(p.0, p.1 - h)) / (2 * h)
            v = (momentum * v.0 - lr * gx, momentum * v.1 - lr * gy)
            p = (p.0 + v.0, p.1 + v.1)
            out.append(p)
        }
        return out
    }

    static var heatmap: Figure {
        Figure.heatmap(x: -2...2, y: -1...3, rosenbrock).title("Rosenbrock").colorScale(.log)
            .colorLabel("L(x, y)")
    }

    static var contour: Figure {
        let f = { (x: Double, y: Double) in 0.5 * x * x + 4 * y * y + 0.3 * x * y }
        let sgd = descend(f, from: (-2.6, 1.3), lr: 0.11, momentum: 0, steps: 30)
        let momentum = descend(f, from: (-2.6, 1.3), lr: 0.03, momentum: 0.8, steps: 40)
        return Figure.contour(x: -3...3, y: -1.5...1.5, f).title("Ill-conditioned quadratic")
            .path(sgd, label: "SGD").path(momentum, label: "momentum 0.8")
    }

    static var lines: Figure {
        let steps = (0..<300).map(Double.init)
        let sgd = steps.map { 2.3 * exp(-$0 / 60) + 0.05 + 0.02 * sin($0 / 3) }
        let sam = steps.map { 2.3 * exp(-$0 / 80) + 0.03 }
        return Figure.lines(title: "Training loss", x: "step", y: "loss")
            .line(steps, sgd, label: "SGD").line(steps, sam, label: "SAM", style: .dashed)
            .yScale(.log)
    }

    static var spectrum: Figure {
        // A bulk near zero and a few outliers, like a Hessian spectrum.
        var values: [Double] = []
        for i in 0..<400 { values.append(0.05 * sin(Double(i) * 1.7) * Double(i % 7) / 7) }
        values += [2.1, 3.5, 4.0, 7.8]
        return Figure.histogram(values, bins: 40, density: true, title: "Hessian spectrum")
            .labels(x: "eigenvalue λ", y: "density").yScale(.log)
    }

    static var surface: Figure {
        Figure.surface(x: -1.5...1.5, y: -1.5...1.5, resolution: 41) { x, y in
            x * x * x * x - x * x + y * y + 0.3 * x
        }.title("Double well")
    }
}
