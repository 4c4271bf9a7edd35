import Notebook
import Plotting

/// Shows one figure per value of a knob, scrubbed with a slider in the page — computed at
/// build time, so it works from disk with no kernel. Without JavaScript (and in print, EPUB
/// and search) the page shows the `initial` frame as an ordinary figure.
///
/// ```swift
/// explore("ρ", values: [0, 0.02, 0.05, 0.1], initial: 2) { rho in
///     Figure.lines(title: "SAM objective at ρ = \(rho)", x: "w", y: "loss").line(ws, ws.map { samLoss($0, rho) })
/// }
/// ```
///
/// `label` spells each value in the readout (default `ρ = 0.05`); the frames should share
/// one size.
public func explore<Value>(_ parameter: String, values: [Value], initial: Int = 0,
                           label: ((Value) -> String)? = nil, _ frame: (Value) -> Figure) {
    show(explorable(parameter, values: values, initial: initial, label: label, animated: false) { (frame($0), nil) })
}

/// `explore` with a sentence or number per frame under the figure, changing with the slider:
/// `explore("ρ", values: radii, readout: { "λ_max is \(fmt(lambda($0)))" }) { rho in … }`.
public func explore<Value>(_ parameter: String, values: [Value], initial: Int = 0,
                           label: ((Value) -> String)? = nil, readout: (Value) -> String, _ frame: (Value) -> Figure) {
    show(explorable(parameter, values: values, initial: initial, label: label, animated: false) { (frame($0), readout($0)) })
}

/// Frames over time (a trajectory, a training run): a slider with a play button.
public func animate<Value>(_ parameter: String = "step", frames values: [Value], initial: Int? = nil,
                           label: ((Value) -> String)? = nil, _ frame: (Value) -> Figure) {
    show(explorable(parameter, values: values, initial: initial ?? max(0, values.count - 1), label: label, animated: true) {
        (frame($0), nil)
    })
}

/// `animate` with a readout per frame.
public func animate<Value>(_ parameter: String = "step", frames values: [Value], initial: Int? = nil,
                           label: ((Value) -> String)? = nil, readout: (Value) -> String, _ frame: (Value) -> Figure) {
    show(explorable(parameter, values: values, initial: initial ?? max(0, values.count - 1), label: label, animated: true) {
        (frame($0), readout($0))
    })
}

/// Two knobs over a grid of values — e.g. the step size and the batch size — one figure per
/// pair, drawn at build time; the page gets one slider per knob. `initial` is the pair of
/// indices shown first (and without JavaScript); `label` spells a value of either knob.
///
/// ```swift
/// explore("η", values: [0.05, 0.1, 0.2], "B", values: [8, 32, 128]) { eta, b in … return Figure }
/// ```
public func explore<A, B>(_ first: String, values firstValues: [A], _ second: String, values secondValues: [B],
                          initial: (Int, Int) = (0, 0), readout: ((A, B) -> String)? = nil, _ frame: (A, B) -> Figure) {
    var images: [Display.Image] = []
    var readouts: [String] = []
    var labels: [String] = []
    let firstLabels = firstValues.map { "\(first) = \(inlineText($0))" }
    let secondLabels = secondValues.map { "\(second) = \(inlineText($0))" }
    for (i, a) in firstValues.enumerated() {
        for (j, b) in secondValues.enumerated() {
            guard case .image(let image) = frame(a, b).display else {
                preconditionFailure("explore: the figure for \(firstLabels[i]), \(secondLabels[j]) is not an image")
            }
            images.append(image)
            readouts.append(readout?(a, b) ?? "")
            labels.append(firstLabels[i] + ", " + secondLabels[j])
        }
    }
    let clamp = { (k: Int, n: Int) in min(max(0, k), max(0, n - 1)) }
    let start = clamp(initial.0, firstValues.count) * secondValues.count + clamp(initial.1, secondValues.count)
    show(ExplorableFigure(family: .init(parameter: first + ", " + second, labels: labels, frames: images,
                                        readouts: readout == nil ? nil : readouts, initial: images.isEmpty ? 0 : start,
                                        animated: false,
                                        axes: [.init(parameter: first, labels: firstLabels), .init(parameter: second, labels: secondLabels)])))
}

/// What `show` receives for an explorable figure.
public struct ExplorableFigure: Displayable {
    public var family: Display.Explorable
    public var display: Display { .explorable(family) }
}

func explorable<Value>(_ parameter: String, values: [Value], initial: Int, label: ((Value) -> String)?, animated: Bool,
                       _ frame: (Value) -> (Figure, String?)) -> ExplorableFigure {
    var images: [Display.Image] = []
    var readouts: [String] = []
    var labels: [String] = []
    for value in values {
        let (figure, readout) = frame(value)
        guard case .image(let image) = figure.display else { continue }
        images.append(image)
        readouts.append(readout ?? "")
        labels.append(label?(value) ?? "\(parameter) = \(inlineText(value))")
    }
    return ExplorableFigure(family: .init(parameter: parameter, labels: labels, frames: images,
                                          readouts: readouts.contains { !$0.isEmpty } ? readouts : nil,
                                          initial: min(max(0, initial), max(0, images.count - 1)), animated: animated))
}
