import Foundation
import Plotting

/// The gallery: one figure of each mark type, with the shapes the course's papers show. The
/// golden-image tests draw four of them; `plot-gallery` writes them all, light and dark.
public enum Gallery {
    public static func rosenbrock(_ x: Double, _ y: Double) -> Double { (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x) }

    /// Gradient descent with momentum on a function, by finite differences (no engine here).
    public static func descend(_ f: (Double, Double) -> Double, from start: (Double, Double), lr: Double,
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

    public static var heatmap: Figure {
        Figure.heatmap(x: -2...2, y: -1...3, rosenbrock).title("Rosenbrock").colorScale(.log)
            .colorLabel("L(x, y)")
    }

    public static var contour: Figure {
        let f = { (x: Double, y: Double) in 0.5 * x * x + 4 * y * y + 0.3 * x * y }
        let sgd = descend(f, from: (-2.6, 1.3), lr: 0.11, momentum: 0, steps: 30)
        let momentum = descend(f, from: (-2.6, 1.3), lr: 0.03, momentum: 0.8, steps: 40)
        return Figure.contour(x: -3...3, y: -1.5...1.5, f).title("Ill-conditioned quadratic")
            .path(sgd, label: "SGD").path(momentum, label: "momentum 0.8")
    }

    public static var lines: Figure {
        let steps = (0..<300).map(Double.init)
        let sgd = steps.map { 2.3 * exp(-$0 / 60) + 0.05 + 0.02 * sin($0 / 3) }
        let sam = steps.map { 2.3 * exp(-$0 / 80) + 0.03 }
        return Figure.lines(title: "Training loss", x: "step", y: "loss")
            .line(steps, sgd, label: "SGD").line(steps, sam, label: "SAM", style: .dashed)
            .yScale(.log)
    }

    public static var spectrum: Figure {
        // A bulk near zero and a few outliers, like a Hessian spectrum.
        var values: [Double] = []
        for i in 0..<400 { values.append(0.05 * sin(Double(i) * 1.7) * Double(i % 7) / 7) }
        values += [2.1, 3.5, 4.0, 7.8]
        return Figure.histogram(values, bins: 40, density: true, title: "Hessian spectrum")
            .labels(x: "eigenvalue λ", y: "density").yScale(.log)
    }

    public static var surface: Figure {
        Figure.surface(x: -1.5...1.5, y: -1.5...1.5, resolution: 41) { x, y in
            x * x * x * x - x * x + y * y + 0.3 * x
        }.title("Double well")
            .path(descend({ x, y in x * x * x * x - x * x + y * y + 0.3 * x }, from: (0.2, 1.3), lr: 0.05, momentum: 0.5, steps: 40),
                  label: "GD + momentum")
    }

    public static var scatter: Figure {
        var xs: [Double] = [], ys: [Double] = [], loss: [Double] = []
        for i in 0..<300 {
            let t = Double(i) / 300 * .pi
            let noise = sin(Double(i) * 12.9898) * 0.08
            if i % 2 == 0 { xs.append(cos(t) + noise); ys.append(sin(t) - noise) }
            else { xs.append(1 - cos(t) - noise); ys.append(0.5 - sin(t) + noise) }
            loss.append(exp(-2 * abs(ys.last! - 0.25)))
        }
        return Figure.lines(title: "Two moons, colored by loss").scatter(xs, ys, values: loss)
            .labels(x: "x_1", y: "x_2").colorMap(.magma).colorLabel("loss")
    }

    public static var bars: Figure {
        let names = ["SGD", "Adam", "Lion", "Shampoo", "K-FAC"]
        return Figure.bars(names, [0, 2, 1, 2.4, 2.2], title: "Optimizer state per parameter")
            .bars(names, [1, 2, 1, 3.1, 2.6], label: "with momentum")
            .yLabel("floats per parameter")
    }

    public static var grid: Figure {
        let steps = (0..<200).map(Double.init)
        let a = Figure.lines(title: "lr = 0.1", x: "step", y: "‖∇L‖").line(steps, steps.map { 3 * exp(-$0 / 40) + 0.1 }, label: "SGD")
        let b = Figure.lines(title: "lr = 0.01", x: "step").line(steps, steps.map { 3 * exp(-$0 / 120) + 0.1 }, label: "SGD")
            .line(steps, steps.map { 2.5 * exp(-$0 / 70) + 0.05 }, label: "SAM")
        return Figure.grid(columns: 2, [a, b], sharedY: true, title: "Gradient norm").yScale(.log)
    }

    public static var schedule: Figure {
        let epochs = (0...10).map(Double.init)
        let lr = epochs.map { $0 < 4 ? 0.1 : $0 < 8 ? 0.01 : 0.001 }
        let sharp = epochs.map { 20 + 15 * (1 - exp(-$0 / 2)) }
        return Figure.lines(title: "Edge of stability", x: "epoch", y: "λ_max")
            .line(epochs, sharp, label: "sharpness λ_max", marker: .circle)
            .step(epochs, lr.map { 2 / $0 / 10 + 10 }, label: "2/η (shifted)", style: .dashDot)
            .hline(38, label: "2/η = 38")
            .vline(4)
            .point(6, 30, label: "catapult", marker: .diamond)
    }

    public static var density: Figure {
        var values: [Double] = []
        for i in 0..<500 { values.append(0.3 * sin(Double(i) * 0.37) * cos(Double(i) * 1.3)) }
        values += [2.5, 2.7, 5.0]
        return Figure.density(values, bandwidth: 0.08, title: "Spectral density").yScale(.log)
            .labels(x: "λ", y: "φ(λ)").histogram(values, bins: 60, density: true, label: "eigenvalues")
    }

    public static var saddle: Figure {
        Figure.heatmap(x: -1...1, y: -1...1) { x, y in x * x - y * y }
            .title("Saddle").colorMap(.blueRed).colorLabel("x^2 − y^2").equalAspect()
    }

    public static var rosenbrockPaths: Figure {
        let f = rosenbrock
        let gd = descend(f, from: (-1.5, 2.5), lr: 1.5e-4, momentum: 0.9, steps: 1500)
        let slow = descend(f, from: (-1.8, -0.5), lr: 2e-4, momentum: 0.5, steps: 1500)
        return Figure.contour(x: -2...2, y: -1...3, filled: false, f).colorScale(.log).levels(16)
            .title("Rosenbrock, contour lines").path(gd, label: "momentum 0.9").path(slow, label: "momentum 0.5")
            .point(1, 1, label: "minimum")
    }

    /// Li et al.'s pairing: the landscape as a surface and as contours, side by side.
    public static var landscapePair: Figure {
        let f = { (x: Double, y: Double) in log(1 + 4 * x * x + y * y + 3 * x * x * y * y) }
        return Figure.grid(columns: 2, [
            Figure.surface(x: -1...1, y: -1...1, resolution: 61, f).colorBar(false).title("surface"),
            Figure.contour(x: -1...1, y: -1...1, filled: false, f).levels(10).colorBar(false).title("contours")
                .path([(-0.9, 0.8), (-0.5, 0.5), (-0.2, 0.3), (-0.05, 0.1), (0, 0)], label: "SAM"),
        ], title: "A sharp and a flat direction")
    }

    /// Basins of attraction of Himmelblau's four minima under gradient descent.
    public static var basins: Figure {
        let himmelblau = { (x: Double, y: Double) in (x * x + y - 11) * (x * x + y - 11) + (x + y * y - 7) * (x + y * y - 7) }
        let minima = [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)]
        return Figure.regions(x: -5...5, y: -5...5, resolution: 81, names: ["(3, 2)", "(−2.8, 3.1)", "(−3.8, −3.3)", "(3.6, −1.8)"]) { x, y in
            let end = descend(himmelblau, from: (x, y), lr: 0.01, momentum: 0, steps: 200).last!
            return minima.firstIndex { abs($0.0 - end.0) + abs($0.1 - end.1) < 0.1 } ?? -1
        }.title("Basins of attraction (Himmelblau)").equalAspect()
    }

    /// The first chapter's figure: two wells of equal depth, log color.
    public static var twoWells: Figure {
        func twoWells(_ x: Double, _ y: Double) -> Double {
            let sharp = exp(-((x + 1) * (x + 1) + y * y) / (2 * 0.15 * 0.15))
            let flat = exp(-((x - 1.2) * (x - 1.2) + y * y) / (2 * 0.6 * 0.6))
            return 1.0001 - 0.999 * max(sharp, flat)
        }
        return Figure.heatmap(x: -2...3, y: -1.5...1.5) { x, y in twoWells(x, y) }
            .title("Two wells of equal depth").labels(x: "w₁", y: "w₂").colorScale(.log).colorLabel("loss")
    }

    /// Filled contours on a log scale with a path, as the course's first optimizer figures.
    public static var rosenbrockFilled: Figure {
        let run = descend(rosenbrock, from: (-1.5, 2.5), lr: 1.5e-4, momentum: 0.9, steps: 1500)
        return Figure.contour(x: -2...2, y: -1...3, rosenbrock).colorScale(.log).colorMap(.magma)
            .title("Rosenbrock, log-spaced levels").path(run, label: "momentum 0.9").colorLabel("L")
    }

    /// Crowded axes: long category names stand upright, dense numbers thin out.
    public static var crowded: Figure {
        let names = ["SGD", "SGD + momentum", "Nesterov", "Adam", "AdamW", "SAM (SGD)", "ASAM", "Lion", "Sophia",
                     "Shampoo", "SOAP", "Muon", "K-FAC"]
        let memory = [0.0, 1, 1, 2, 2, 1, 1, 1, 2, 2.5, 3, 1, 2.2]
        let bars = Figure.bars(names, memory, title: "State per parameter").yLabel("floats")
        let small = Figure.lines(title: "Tiny steps", x: "η").line([0.000125, 0.00025, 0.000375, 0.0005], [1, 2, 1.5, 3], marker: .square)
        return Figure.grid(columns: 2, [bars, small])
    }
}
