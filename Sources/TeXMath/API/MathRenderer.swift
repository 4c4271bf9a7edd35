/// Converts the TeX an optimization course writes into MathML Core at build time, so pages
/// read with JavaScript off.
///
///     let math = try MathRenderer().render(#"\eta < 2/\lambda_{\max}"#, display: false)
///     math.mathML    // <math><semantics><mrow><mi>η</mi><mo>&lt;</mo>…
///     math.plainText // η < 2/λ_max
///
/// Unknown commands, unbalanced braces, `\left` without `\right`, mismatched `\begin`/`\end`
/// and missing arguments throw a ``MathError`` carrying the UTF-8 offset of the culprit.
///
/// The output uses MathML Core elements only. Letters in `\mathbf`, `\mathbb`, `\mathcal`, … are
/// Unicode Mathematical Alphanumeric Symbols (`𝐱`, `ℝ`, `𝒟`), since Core allows `mathvariant`
/// only as `normal` on `<mi>`. TeX's conventions are kept where MathML Core would differ:
/// bare `(`, `|`, `‖` keep their size (`stretchy="false"`), `\left`/`\right`/`\big` grow; capital
/// Greek and `∇` are upright; named operators (`\log`, `\min`, `\operatorname{…}`) get TeX's thin
/// space before an ordinary atom; `\sum`, `\min`, `\lim`, `\operatorname*`, `\mathop` take their
/// limits under and over only in display style, and `\int`, `\log`, `\operatorname` never (use
/// `\limits`, `\nolimits` to choose). `\mathbb{E}_x` keeps its subscript at the side, as in TeX;
/// write `\mathop{\mathbb{E}}_x` for one underneath.
///
/// Not supported (an error, never silently dropped): macros (`\newcommand`, `\def`), `\over`-less
/// `\genfrac`, `\cancel`, multiscripts (`\sideset`, `{}^a_b` prescripts render as scripts on an
/// empty base), per-row numbers in `align` (one number per display block; `\label` at most once),
/// `\hline` and `|` in arrays (accepted, not drawn). `\tag{…}` text is taken literally.
public struct MathRenderer: Sendable {
    public init() {}

    /// Renders `tex` (without its `$` delimiters) as inline or display math.
    ///
    /// - Parameter number: for a display equation, the number to show at the right margin
    ///   (`"3.2"` is shown as `(3.2)`); see ``RenderedMath/numbered(_:)``. Ignored for inline math
    ///   and when the source says `\tag{…}` or `\notag`.
    public func render(_ tex: String, display: Bool, number: String? = nil) throws(MathError) -> RenderedMath {
        var parser = TeXParser(tex, display: display)
        let formula = try parser.parseFormula()
        let rendered = RenderedMath(
            body: MathMLWriter.element(formula.content),
            escapedSource: MathMLWriter.escape(tex.trimmingWhitespace()),
            isDisplay: display,
            label: formula.label,
            tag: formula.tag,
            numberingFixedBySource: formula.tag != nil || formula.suppressesNumber,
            plainText: PlainTextWriter.text(formula.content))
        if let number { return rendered.numbered(number) }
        return rendered
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = Array(unicodeScalars)
        var start = 0
        var end = scalars.count
        while start < end, scalars[start].properties.isWhitespace { start += 1 }
        while end > start, scalars[end - 1].properties.isWhitespace { end -= 1 }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars[start..<end])
        return String(result)
    }
}
