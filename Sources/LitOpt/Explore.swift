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
