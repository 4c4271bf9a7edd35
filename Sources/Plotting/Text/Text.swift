import Foundation

/// Label text with a little markup for axis labels: `x^2`, `x^{-1}`, `λ_max`, `λ_{max}`,
/// `‖∇L‖`. After `^` or `_` comes a braced group, or else an optional sign and a run of
/// letters and digits. `\^` and `\_` are literal.
struct RichText: Equatable {
    enum Level: Equatable { case base, superscript, `subscript` }
    struct Run: Equatable {
        var text: String
        var level: Level
    }
    var runs: [Run]

    init(_ source: String) {
        var runs: [Run] = []
        var base = ""
        var chars = Array(source)
        var i = 0
        func flush() { if !base.isEmpty { runs.append(Run(text: base, level: .base)); base = "" } }
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count, chars[i + 1] == "^" || chars[i + 1] == "_" {
                base.append(chars[i + 1]); i += 2; continue
            }
            if (c == "^" || c == "_"), i + 1 < chars.count {
                var script = ""
                var j = i + 1
                if chars[j] == "{" {
                    j += 1
                    while j < chars.count, chars[j] != "}" { script.append(chars[j]); j += 1 }
                    j += 1
                } else {
                    if chars[j] == "-" || chars[j] == "+" || chars[j] == "−" { script.append(chars[j]); j += 1 }
                    while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "." || chars[j] == "*" {
                        script.append(chars[j]); j += 1
                    }
                }
                if !script.isEmpty {
                    flush()
                    runs.append(Run(text: script.replacingOccurrences(of: "-", with: "−"),
                                    level: c == "^" ? .superscript : .subscript))
                    i = j
                    continue
                }
            }
            base.append(c)
            i += 1
        }
        flush()
        chars = []
        self.runs = runs
    }
}

/// Where a text's anchor point sits on its box.
public enum HorizontalAnchor: Sendable { case leading, center, trailing }
public enum VerticalAnchor: Sendable { case top, middle, baseline, bottom }

/// A line of rich text laid out at one size, in device pixels relative to its pen origin
/// (start of the baseline).
struct TextLine {
    struct Placed { var glyph: Glyph; var x: Int; var y: Int }
    var glyphs: [Placed] = []
    var width: Double = 0
    /// Extent above and below the baseline, in device pixels.
    var ascent: Double
    var descent: Double
    /// Half the cap height above the baseline, for vertical centering.
    var middle: Double

    init(_ text: String, pixelSize: Double) {
        ascent = 0.76 * pixelSize
        descent = 0.24 * pixelSize
        middle = 0.36 * pixelSize
        guard let font = GlyphRasterizer.shared else { width = Double(text.count) * pixelSize * 0.6; return }
        var pen = 0.0
        for run in RichText(text).runs {
            let (size, shift): (Double, Double)
            switch run.level {
            case .base: (size, shift) = (pixelSize, 0)
            case .superscript: (size, shift) = (pixelSize * 0.7, -0.4 * pixelSize)
            case .subscript: (size, shift) = (pixelSize * 0.7, 0.2 * pixelSize)
            }
            if run.level == .superscript { ascent = max(ascent, 0.4 * pixelSize + 0.76 * size) }
            if run.level == .subscript { descent = max(descent, 0.2 * pixelSize + 0.24 * size) }
            let px = Int(size.rounded())
            var previous: Unicode.Scalar?
            for scalar in run.text.unicodeScalars {
                if let previous { pen += font.kerning(previous, scalar, pixelSize: px) }
                previous = scalar
                let g = font.glyph(scalar, pixelSize: px)
                glyphs.append(Placed(glyph: g, x: Int(pen.rounded()) + g.left, y: Int(shift.rounded()) - g.top))
                pen += g.advance
            }
            if run.level != .base { pen += 0.05 * pixelSize }
        }
        width = pen
    }
}

extension Canvas {
    /// Size of `text` at `size` CSS pixels: width and (ascent + descent), in CSS pixels.
    public func measure(_ text: String, size: Double) -> (width: Double, height: Double) {
        LayoutMetrics(self).measure(text, size: size)
    }

    /// Draws one line of rich text. `rotated` turns it a quarter counter-clockwise (reading
    /// upwards, as a y-axis label); anchors then refer to the text's own frame.
    public func draw(_ text: String, at point: Point, size: Double, color: Color,
                     horizontal: HorizontalAnchor = .leading, vertical: VerticalAnchor = .baseline,
                     rotated: Bool = false) {
        let line = TextLine(text, pixelSize: size * scale)
        var dx: Double
        switch horizontal {
        case .leading: dx = 0
        case .center: dx = -line.width / 2
        case .trailing: dx = -line.width
        }
        var dy: Double
        switch vertical {
        case .baseline: dy = 0
        case .top: dy = line.ascent
        case .middle: dy = line.middle
        case .bottom: dy = -line.descent
        }
        let ox = point.x * scale, oy = point.y * scale
        for placed in line.glyphs where placed.glyph.width > 0 {
            let g = placed.glyph
            let bx = Int(dx.rounded()) + placed.x, by = Int(dy.rounded()) + placed.y
            if rotated {
                blit(coverage: g.coverage, width: g.width, height: g.height,
                     atX: Int(ox.rounded()) + by, y: Int(oy.rounded()) - bx - (g.width - 1), color: color, rotated: true)
            } else {
                blit(coverage: g.coverage, width: g.width, height: g.height,
                     atX: Int(ox.rounded()) + bx, y: Int(oy.rounded()) + by, color: color)
            }
        }
    }
}
