import Foundation

/// Every label of the book — figures, equations, sections — with the number and page it
/// resolves to, so `@fig-…`, `@eq-…` and `@sec-…` work across chapters.
///
/// Numbers are chapter-relative: the second captioned figure of chapter 3 is "Figure 3.2",
/// the first labelled display equation of chapter 1 is "Equation (1.1)", the third section
/// of chapter 2 is "Section 2.3". Numbered blocks are too by default; with book.yml's
/// `numbering: book` they count through the whole book ("Definition 14").
public struct LabelIndex: Sendable {
    public enum Kind: String, Sendable { case figure, equation, section, block }

    public struct Target: Sendable, Equatable {
        public var kind: Kind
        public var number: String
        /// The heading's text, for a section of an unnumbered chapter (whose `number` is empty);
        /// a numbered block's name ("Definition").
        public var title: String = ""
        /// `02-sam.html`
        public var page: String
        public var anchor: String

        /// "Figure 3.2", "Equation (1.4)", "Section 2.3".
        public var text: String {
            switch kind {
            case .figure: return "Figure \(number)"
            case .equation: return "Equation (\(number))"
            case .section: return number.isEmpty ? "“\(title)”" : "Section \(number)"
            case .block: return "\(title) \(number)"
            }
        }
    }

    public var targets: [String: Target] = [:]

    /// What a label starts with for each kind of target: `@fig-…`, `@eq-…`, `@sec-…`, and the
    /// numbered blocks' `@def-…`, `@thm-…`, … (a citation key cannot start with any of them).
    public static let referencePrefixes = ["fig", "eq", "sec"] + NumberedBlock.prefixes

    public init() {}
    /// Figure numbers by (chapter number, cell index), equation numbers by (chapter, line).
    var figureNumbers: [String: String] = [:]
    var equationNumbers: [String: String] = [:]
    var sectionNumbers: [String: String] = [:]
    /// Numbered blocks' numbers by (chapter, kind, 1-based count of that kind).
    var blockNumbers: [String: String] = [:]

    /// `\label{eq-…}` inside a formula.
    static func equationLabel(in tex: String) -> String? {
        guard let range = tex.range(of: #"\\label\{([^}]*)\}"#, options: .regularExpression) else { return nil }
        return String(tex[range].dropFirst("\\label{".count).dropLast())
    }

    public static func build(chapters: [Chapter], documents: [Document],
                             numbering: BlockNumbering = .chapter) throws(BuildFailure) -> LabelIndex {
        var index = LabelIndex()
        var problems: [Diagnostic] = []
        var bookBlockCount: [String: Int] = [:]
        for (chapter, document) in zip(chapters, documents) {
            var figures = 0, equations = 0, sections = [0, 0], blockCount: [String: Int] = [:]
            // "3.2" in chapter 3, "A.2" in appendix A, "2" in an unnumbered chapter.
            let prefix = chapter.isNumbered ? chapter.displayNumber + "." : ""
            func add(_ label: String, _ target: Target, line: Int) {
                if let existing = index.targets[label] {
                    problems.append(Diagnostic(file: chapter.displayPath, line: line,
                                               message: "label '\(label)' is already used by \(existing.text)"))
                } else {
                    index.targets[label] = target
                }
            }
            func visit(_ blocks: [Block]) {
                for block in blocks {
                    switch block {
                    case .heading(let level, let inlines, let line, let anchor) where level == 2 || level == 3:
                        if level == 2 { sections = [sections[0] + 1, 0] } else { sections[1] += 1 }
                        var number = ""
                        if chapter.isNumbered {
                            number = level == 2 ? "\(prefix)\(sections[0])" : "\(prefix)\(sections[0]).\(sections[1])"
                            index.sectionNumbers["\(chapter.number):\(line)"] = number
                        }
                        if let anchor {
                            add(anchor, Target(kind: .section, number: number, title: inlines.plainText,
                                               page: chapter.pageName, anchor: anchor), line: line)
                        }
                    case .cell(let cell) where cell.options.caption == nil && cell.options.label != nil:
                        problems.append(Diagnostic(file: chapter.displayPath, line: cell.fenceLine, column: 1,
                                                   message: "label '\(cell.options.label!)' needs a caption: only a cell with caption=\"…\" is a numbered figure that @\(cell.options.label!) can refer to"))
                    case .cell(let cell) where cell.options.caption != nil:
                        figures += 1
                        let number = "\(prefix)\(figures)"
                        index.figureNumbers["\(chapter.number):\(cell.index)"] = number
                        if let label = cell.options.label {
                            add(label, Target(kind: .figure, number: number, page: chapter.pageName, anchor: label),
                                line: cell.fenceLine)
                        }
                    case .math(let tex, let line):
                        if let label = equationLabel(in: tex) {
                            equations += 1
                            let number = "\(prefix)\(equations)"
                            index.equationNumbers["\(chapter.number):\(line)"] = number
                            add(label, Target(kind: .equation, number: number, page: chapter.pageName, anchor: label), line: line)
                        }
                    case .callout(let kind, let title, let inner) where NumberedBlock.kinds[kind] != nil:
                        let (prefixName, name) = NumberedBlock.kinds[kind]!
                        let count = (blockCount[kind] ?? 0) + 1
                        blockCount[kind] = count
                        let number: String
                        switch numbering {
                        case .chapter: number = "\(prefix)\(count)"
                        case .book:
                            let total = (bookBlockCount[kind] ?? 0) + 1
                            bookBlockCount[kind] = total
                            number = "\(total)"
                        }
                        index.blockNumbers["\(chapter.number):\(kind):\(count)"] = number
                        if let label = NumberedBlock.split(title).label {
                            if label.hasPrefix(prefixName + "-") {
                                add(label, Target(kind: .block, number: number, title: name, page: chapter.pageName, anchor: label),
                                    line: place("{#" + label + "}", in: title, lines: document.lines).line)
                            } else {
                                problems.append(Diagnostic(file: chapter.displayPath,
                                                           at: place("{#" + label + "}", in: title, lines: document.lines),
                                                           message: "the label of \(name.lowercased()) \(number) must start with '\(prefixName)-' (it is '\(label)')"))
                            }
                        }
                        visit(inner)
                    case .blockQuote(let inner), .callout(_, _, let inner): visit(inner)
                    case .list(_, _, _, let items): items.forEach { visit($0.blocks) }
                    default: break
                    }
                }
            }
            visit(document.blocks)
        }
        guard problems.isEmpty else { throw BuildFailure(problems) }
        return index
    }

    func figureNumber(chapter: Int, cell: Int) -> String? { figureNumbers["\(chapter):\(cell)"] }
    func equationNumber(chapter: Int, line: Int) -> String? { equationNumbers["\(chapter):\(line)"] }
    func sectionNumber(chapter: Int, line: Int) -> String? { sectionNumbers["\(chapter):\(line)"] }
    func blockNumber(chapter: Int, kind: String, ordinal: Int) -> String? { blockNumbers["\(chapter):\(kind):\(ordinal)"] }

    /// Where `needle` is in a block's title, looked for from each of its texts' positions.
    static func place(_ needle: String, in title: [Inline], lines: LineMap) -> SourcePosition {
        var first = SourcePosition.unknown
        for inline in title {
            guard case .text(_, let at) = inline, at != .unknown else { continue }
            if first == .unknown { first = at }
            if let found = lines.find(needle, from: at) { return found }
        }
        return first
    }
}
