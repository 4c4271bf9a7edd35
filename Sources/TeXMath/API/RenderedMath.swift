/// One formula converted to MathML Core, with what a page and its search index need beside it.
public struct RenderedMath: Equatable, Sendable {
    /// `<math>…</math>`: the formula inside `<semantics>`, with the TeX source in an
    /// `<annotation encoding="application/x-tex">`; `display="block"` for display math.
    public var mathML: String
    /// The key of `\label{…}` in the source (for example `eq-sam`), if any. Numbering is the caller's:
    /// it hands the number to ``numbered(_:)`` or to ``MathRenderer/render(_:display:number:)``.
    public var label: String?
    /// The text shown beside a display equation, parentheses included (`(3.2)`), from `\tag{…}`
    /// or from the number the caller gave; `nil` when the equation carries none.
    public var tag: String?
    /// Readable text for a search index: `L(w) = 1/n ∑_(i=1)^n ℓ_i(w)`.
    public var plainText: String
    /// Whether this is display math.
    public var isDisplay: Bool

    /// The formula's own element (what goes first in `<semantics>`), and the escaped source.
    var body: String
    var escapedSource: String
    /// `\tag` or `\notag` in the source: the caller's number is not shown.
    var numberingFixedBySource: Bool

    init(body: String, escapedSource: String, isDisplay: Bool, label: String?, tag: String?,
         numberingFixedBySource: Bool, plainText: String) {
        self.body = body
        self.escapedSource = escapedSource
        self.isDisplay = isDisplay
        self.label = label
        self.tag = tag
        self.numberingFixedBySource = numberingFixedBySource
        self.plainText = plainText
        self.mathML = ""
        self.mathML = layout()
    }

    /// The same display equation with `(number)` at the right margin, as TeX places equation numbers.
    ///
    /// MathML Core has no `mlabeledtr`, so a numbered equation is a one-row `mtable` that is as
    /// wide as the line: an empty cell and the number's cell share the space left and right of
    /// the equation's cell, which keeps the equation centred and the number flush right:
    ///
    ///     <mtable displaystyle="true" style="width:100%"><mtr>
    ///       <mtd style="width:50%"></mtd><mtd>…equation…</mtd>
    ///       <mtd style="width:50%;text-align:right"><mtext>(3.2)</mtext></mtd></mtr></mtable>
    ///
    /// Inline math, and equations whose source says `\tag{…}` or `\notag`, are returned unchanged.
    public func numbered(_ number: String) -> RenderedMath {
        guard isDisplay, !numberingFixedBySource else { return self }
        var copy = self
        copy.tag = "(\(number))"
        copy.mathML = copy.layout()
        return copy
    }

    private func layout() -> String {
        var inner = body
        if let tag, isDisplay {
            inner = "<mtable displaystyle=\"true\" style=\"width:100%\"><mtr>"
                + "<mtd style=\"width:50%\"></mtd><mtd>\(body)</mtd>"
                + "<mtd style=\"width:50%;text-align:right\"><mtext>\(MathMLWriter.escape(tag))</mtext></mtd>"
                + "</mtr></mtable>"
        }
        let open = isDisplay ? "<math display=\"block\">" : "<math>"
        return open + "<semantics>" + inner
            + "<annotation encoding=\"application/x-tex\">\(escapedSource)</annotation></semantics></math>"
    }
}
