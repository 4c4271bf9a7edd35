/// A chapter's Markdown as an owned Swift tree: what cmark-gfm parsed, with the C tree gone.
public struct Document: Sendable, Equatable {
    public var blocks: [Block]
    /// Every `` `{swift} expr` `` of the chapter, numbered in document order.
    public var inlineValues: [InlineValue] = []
    /// Cells and inline values in the order the chapter's program runs them.
    public var order: [ProgramItem] = []
    /// The chapter's text by line, for placing and quoting what later stages report.
    public var lines: LineMap

    public init(blocks: [Block], inlineValues: [InlineValue] = [], order: [ProgramItem] = [], lines: LineMap = LineMap("")) {
        self.blocks = blocks
        self.inlineValues = inlineValues
        self.order = order
        self.lines = lines
    }

    /// All executable cells in order.
    public var cells: [Cell] {
        var found: [Cell] = []
        func visit(_ blocks: [Block]) {
            for block in blocks {
                switch block {
                case .cell(let cell): found.append(cell)
                case .blockQuote(let inner), .callout(_, _, let inner): visit(inner)
                case .list(_, _, _, let items): items.forEach { visit($0.blocks) }
                default: break
                }
            }
        }
        visit(blocks)
        return found
    }
}

public indirect enum Block: Sendable, Equatable {
    case paragraph([Inline])
    /// `## Title {#sec-name}` gives the heading the anchor `sec-name` for `@sec-name` references.
    case heading(level: Int, [Inline], line: Int, anchor: String?)
    /// Fenced or indented code that is not a Swift cell.
    case code(language: String, text: String)
    case cell(Cell)
    /// A display formula: `$$…$$` alone in a paragraph, or a ```math block.
    case math(tex: String, line: Int)
    case blockQuote([Block])
    /// `> [!TAKEAWAY] Title` blockquotes.
    case callout(kind: String, title: [Inline], [Block])
    /// `tight`: no blank line between items or their blocks, so their paragraphs render
    /// without `<p>` (CommonMark's tight and loose lists).
    case list(ordered: Bool, start: Int, tight: Bool, items: [ListItem])
    case table(Table)
    case thematicBreak
    case html(String, at: SourcePosition = .unknown)
    /// `[^label]: text` — a GFM footnote's text. cmark-gfm moves every referenced definition
    /// to the end of the document in the order of first reference (so the n-th definition is
    /// footnote n) and drops the others.
    case footnoteDefinition([Block])
}

public struct ListItem: Sendable, Equatable {
    public var blocks: [Block]
    /// `nil` for ordinary items; `true`/`false` for GFM task items.
    public var checked: Bool?
}

public struct Table: Sendable, Equatable {
    public enum Alignment: Sendable, Equatable { case none, left, center, right }
    public var alignments: [Alignment]
    public var header: [[Inline]]
    public var rows: [[[Inline]]]
}

/// Where something starts in a chapter file: 1-based line and column (in characters), the
/// front matter counted. `unknown` (0:0) for what no file holds: text the builder makes.
public struct SourcePosition: Sendable, Equatable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static let unknown = SourcePosition(line: 0, column: 0)

    public static func < (a: SourcePosition, b: SourcePosition) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// Inline content. Every kind a diagnostic can be about carries where it starts in the chapter
/// file (a code span: where its code starts, after the backticks, as cmark places it); a problem found inside it (an unknown `@fig-x` in a text) is placed by looking from
/// there, on the node's own line, so the k-th of several identical mistakes is reported at
/// its own place.
public indirect enum Inline: Sendable, Equatable {
    case text(String, at: SourcePosition = .unknown)
    case code(String, at: SourcePosition = .unknown)
    case emphasis([Inline])
    case strong([Inline])
    case strikethrough([Inline])
    case link(destination: String, title: String, [Inline], at: SourcePosition = .unknown)
    case image(source: String, title: String, alt: String, at: SourcePosition = .unknown)
    case html(String, at: SourcePosition = .unknown)
    case softBreak
    case lineBreak
    /// `$…$` (display false) or `$$…$$` inside a paragraph (display true), TeX kept verbatim;
    /// `at` is the opening dollar.
    case math(tex: String, display: Bool, at: SourcePosition)
    /// `[^label]` — a reference to a footnote the document defines, by its number in the
    /// chapter (1 for the first footnote referenced). `[^label]` with no definition stays text.
    case footnoteReference(number: Int)
    /// `` `{swift} expr` `` — the value of `expr` at this point of the chapter's program.
    case inlineValue(InlineValue)

    /// The text a reader sees, without markup (for titles, alt text, search).
    public var plainText: String {
        switch self {
        case .text(let s, _), .code(let s, _): return s
        case .emphasis(let c), .strong(let c), .strikethrough(let c), .link(_, _, let c, _):
            return c.map(\.plainText).joined()
        case .image(_, _, let alt, _): return alt
        case .html: return ""
        case .softBreak, .lineBreak: return " "
        case .math(let tex, _, _): return tex
        case .footnoteReference: return ""
        case .inlineValue(let value): return value.expression
        }
    }
}

extension Array where Element == Inline {
    public var plainText: String { map(\.plainText).joined() }
}

/// A fenced ```swift block: source, options, and where it sits in the chapter file.
public struct Cell: Sendable, Equatable {
    /// 0-based position among the chapter's cells.
    public var index: Int
    public var source: String
    public var options: CellOptions
    /// 1-based line of the opening fence in the chapter file.
    public var fenceLine: Int
    /// 1-based line of the first source line (fenceLine + 1).
    public var firstLine: Int { fenceLine + 1 }
    /// Characters before the cell's code on each of its lines in the chapter file: the
    /// indentation of a list item, the `> ` of a quote. Columns of problems in the code are
    /// shifted by it, so they point into the file as written.
    public var indent = 0

    public init(index: Int, source: String, options: CellOptions, fenceLine: Int, indent: Int = 0) {
        self.index = index
        self.source = source
        self.options = options
        self.fenceLine = fenceLine
        self.indent = indent
    }

    /// Whether `line` (of the chapter file) holds this cell's code.
    public func contains(line: Int) -> Bool {
        let count = source.split(separator: "\n", omittingEmptySubsequences: false).count
        return line >= firstLine && line < firstLine + count
    }
}

/// `` `{swift} expr` `` in prose: evaluated by the chapter's program after every cell above
/// it and before every cell below, its text put in the page.
public struct InlineValue: Sendable, Equatable {
    public static let marker = "{swift}"
    /// 0-based, in document order.
    public var index: Int
    public var expression: String
    /// Where the expression starts in the chapter file (1-based).
    public var line: Int
    public var column: Int
    /// False in a chapter whose cells do not run (`eval: false`): shown as code.
    public var eval = true
}

/// One step of a chapter's program.
public enum ProgramItem: Sendable, Equatable {
    case cell(Int)
    case inline(Int)
}
