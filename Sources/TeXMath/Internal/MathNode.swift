/// The formula as a tree of MathML Core elements, before it is written out as text.
indirect enum MathNode: Equatable, Sendable {
    /// `<mi>`; `upright` asks for `mathvariant="normal"` on a single character (`Δ`, `∇`, `\mathrm{d}`).
    case identifier(String, upright: Bool)
    /// `<mn>`
    case number(String)
    /// `<mo>`
    case op(MathOperator)
    /// `<mtext>`, with an optional CSS `style` (`\textbf`).
    case text(String, style: String?)
    /// `<mspace width="…"/>`
    case space(width: String)
    /// `<mrow>`, or the single child itself.
    case row([MathNode])
    /// `msub`/`msup`/`msubsup`, or `munder`/`mover`/`munderover` when `limits`.
    case scripts(base: MathNode, sub: MathNode?, sup: MathNode?, limits: Bool)
    /// `\hat x`: `<mover accent="true">`, or `<munder accentunder="true">` when `under`.
    case accent(base: MathNode, mark: MathOperator, under: Bool)
    /// `<mfrac>`; `thickness` `"0"` for `\binom`.
    case fraction(numerator: MathNode, denominator: MathNode, thickness: String?)
    /// `<msqrt>` without an index, `<mroot>` with one.
    case root(MathNode, index: MathNode?)
    /// `<mtable>`
    case table(MathTable)
    /// `<mstyle>` with the given attributes around the children.
    case style([MathAttribute], [MathNode])
    /// `<mphantom>`
    case phantom(MathNode)
    /// `<mpadded>` with the given attributes.
    case padded([MathAttribute], MathNode)
}

extension MathNode {
    /// A row of one child seen through.
    var unwrapped: MathNode {
        if case .row(let children) = self, children.count == 1 { return children[0].unwrapped }
        return self
    }
}

struct MathAttribute: Equatable, Sendable {
    var name: String
    var value: String
    init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// An `<mo>`: its text, its attributes in output order, and its TeX class for spacing decisions.
struct MathOperator: Equatable, Sendable {
    var text: String
    var attributes: [MathAttribute] = []
    var texClass: TeXClass = .ord

    init(_ text: String, _ texClass: TeXClass = .ord, _ attributes: [MathAttribute] = []) {
        self.text = text
        self.texClass = texClass
        self.attributes = attributes
    }

    func adding(_ name: String, _ value: String) -> MathOperator {
        var copy = self
        copy.attributes.removeAll { $0.name == name }
        copy.attributes.append(MathAttribute(name, value))
        return copy
    }
}

/// TeX's atom classes. MathML Core's operator dictionary spaces `mo` elements by itself; the
/// classes decide what it cannot know: where a named operator (`\log`, `\min`) needs TeX's thin
/// space, and when a `-` is unary.
enum TeXClass: Equatable, Sendable {
    case ord, op, largeOp, bin, rel, open, close, punct, inner, space
}

struct MathTable: Equatable, Sendable {
    /// Rows of cells; a cell is the children of its `<mtd>`.
    var rows: [[[MathNode]]]
    /// The CSS `style` of the cell in a column, or `nil` for none.
    var columnStyles: [String?]
    var displayStyle: Bool

    func style(ofColumn column: Int) -> String? {
        column < columnStyles.count ? columnStyles[column] : columnStyles.last ?? nil
    }
}
