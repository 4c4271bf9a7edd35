import CCmark
import Foundation

/// Stage 2: Markdown → `Document`, through cmark-gfm with the GitHub extensions.
///
/// The only file that touches the cmark C API: it builds the owned Swift tree and frees
/// the C tree before returning. Fenced ```swift blocks become `Cell`s with their options
/// and the line of their fence in the chapter file.
public enum MarkdownParser {
    static let extensions = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"]

    /// Parses `chapter.body`; lines in the result are lines of the chapter file.
    public static func parse(_ chapter: Chapter, defaults: [String: String] = [:]) throws(BuildFailure) -> Document {
        try parse(chapter.body, file: chapter.displayPath, lineOffset: chapter.bodyLineOffset,
                  defaults: defaults.merging(chapter.frontMatter.cellDefaults) { $1 })
    }

    public static func parse(_ markdown: String, file: String, lineOffset: Int = 0,
                             defaults: [String: String] = [:]) throws(BuildFailure) -> Document {
        let shield = MathShield(markdown)
        let lines = LineMap(markdown, lineOffset: lineOffset)
        var converter = Converter(shield: shield, file: file, lines: lines, defaults: defaults)
        let blocks = withCmarkTree(shield.shielded) { root in converter.blocks(of: root) }
        let problems = converter.problems + converter.program.problems
        guard problems.isEmpty else { throw BuildFailure(problems) }
        return Document(blocks: blocks, inlineValues: converter.program.inlineValues, order: converter.program.order,
                        lines: lines)
    }

    /// Parses with the GFM extensions attached, hands the root to `body`, frees the tree.
    private static func withCmarkTree<T>(_ text: String, _ body: (OpaquePointer) -> T) -> T {
        cmark_gfm_core_extensions_ensure_registered()
        let options = CMARK_OPT_DEFAULT | CMARK_OPT_UNSAFE | CMARK_OPT_FOOTNOTES
        let parser = cmark_parser_new(options)!
        defer { cmark_parser_free(parser) }
        for name in extensions {
            if let ext = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, ext)
            }
        }
        text.withCString { cmark_parser_feed(parser, $0, strlen($0)) }
        let root = cmark_parser_finish(parser)!
        defer { cmark_node_free(root) }
        return body(root)
    }

    private struct Converter {
        let shield: MathShield
        let file: String
        let lines: LineMap
        let defaults: [String: String]
        var problems: [Diagnostic] = []
        var cellCount = 0
        /// Cells and inline values in document order (a class: inline conversion does not mutate).
        let program = ProgramItems()

        init(shield: MathShield, file: String, lines: LineMap, defaults: [String: String]) {
            self.shield = shield
            self.file = file
            self.lines = lines
            self.defaults = defaults
        }

        func type(_ node: OpaquePointer) -> String { String(cString: cmark_node_get_type_string(node)) }
        /// A node's literal as cmark has it: a text node's math tokens are split out by `inlines`.
        func shieldedLiteral(_ node: OpaquePointer) -> String { string(cmark_node_get_literal(node)) }
        /// A code, HTML or code-span literal, with any `$…$` the shield hid put back verbatim.
        func literal(_ node: OpaquePointer) -> String { shield.unshield(shieldedLiteral(node)) }
        /// A URL, title or info string, with any hidden `$…$` put back.
        func string(_ pointer: UnsafePointer<CChar>?) -> String { pointer.map { String(cString: $0) } ?? "" }
        func url(_ node: OpaquePointer) -> String { shield.unshield(string(cmark_node_get_url(node))) }
        func title(_ node: OpaquePointer) -> String { shield.unshield(string(cmark_node_get_title(node))) }
        func children(_ node: OpaquePointer) -> [OpaquePointer] {
            var result: [OpaquePointer] = []
            var child = cmark_node_first_child(node)
            while let c = child {
                result.append(c)
                child = cmark_node_next(c)
            }
            return result
        }
        /// Chapter-file line of a node.
        func line(_ node: OpaquePointer) -> Int {
            let shieldedLine = Int(cmark_node_get_start_line(node))
            guard let start = shield.shieldedOffset(line: shieldedLine, byteColumn: 1, skippingBlanks: false) else {
                return shieldedLine + lines.lineOffset
            }
            return lines.position(ofOffset: shield.originalOffset(ofShielded: start)).line
        }

        /// Where a node starts in the shielded text cmark read, if cmark placed it.
        /// `skippingBlanks`: for an inline that cannot begin with a blank (see
        /// `MathShield.shieldedOffset`).
        func shieldedOffset(_ node: OpaquePointer, skippingBlanks: Bool = true) -> Int? {
            shield.shieldedOffset(line: Int(cmark_node_get_start_line(node)), byteColumn: Int(cmark_node_get_start_column(node)),
                                  skippingBlanks: skippingBlanks)
        }

        /// Where a node starts in the chapter file.
        func position(_ node: OpaquePointer) -> SourcePosition {
            shieldedOffset(node).map { lines.position(ofOffset: shield.originalOffset(ofShielded: $0)) } ?? .unknown
        }

        mutating func blocks(of node: OpaquePointer) -> [Block] {
            children(node).compactMap { block($0) }
        }

        mutating func block(_ node: OpaquePointer) -> Block? {
            switch type(node) {
            case "paragraph":
                let content = inlines(of: node)
                if content.count == 1, case .math(let tex, true, let at) = content[0] {
                    return .math(tex: tex, line: at.line)
                }
                return .paragraph(content)
            case "heading":
                var content = inlines(of: node)
                var anchor: String?
                // A trailing `{#sec-name}` names the heading.
                if case .text(let last, let at)? = content.last, last.hasSuffix("}"),
                   let open = last.range(of: "{#", options: .backwards) {
                    let name = String(last[open.upperBound..<last.index(before: last.endIndex)])
                    if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
                        anchor = name
                        let kept = String(last[..<open.lowerBound]).replacingOccurrences(of: " +$", with: "", options: .regularExpression)
                        content[content.count - 1] = .text(kept, at: at)
                        if kept.isEmpty { content.removeLast() }
                    }
                }
                return .heading(level: Int(cmark_node_get_heading_level(node)), content, line: line(node), anchor: anchor)
            case "code_block":
                return codeBlock(node)
            case "block_quote":
                return blockQuote(node)
            case "list":
                let ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST
                let items = children(node).map { item -> ListItem in
                    let checked: Bool? = type(item) == "tasklist"
                        ? cmark_gfm_extensions_get_tasklist_item_checked(item) : nil
                    return ListItem(blocks: blocks(of: item), checked: checked)
                }
                return .list(ordered: ordered, start: Int(cmark_node_get_list_start(node)),
                             tight: cmark_node_get_list_tight(node) != 0, items: items)
            case "table":
                return table(node)
            case "thematic_break":
                return .thematicBreak
            case "html_block":
                return .html(literal(node), at: position(node))
            default:
                // cmark-gfm 0.29 has no type string for footnotes.
                if cmark_node_get_type(node) == CMARK_NODE_FOOTNOTE_DEFINITION {
                    return .footnoteDefinition(blocks(of: node))
                }
                return nil
            }
        }

        mutating func codeBlock(_ node: OpaquePointer) -> Block {
            // The info string as written: cmark would already have turned `\(` into `(`, and a
            // computed caption needs its `\(…)`.
            let cmarkInfo = shield.unshield(string(cmark_node_get_fence_info(node)))
            let isCell = cmarkInfo.trimmingCharacters(in: .whitespaces).prefix { !$0.isWhitespace && $0 != "{" } == "swift"
            let info = isCell ? rawInfo(node) ?? cmarkInfo : cmarkInfo
            let trimmed = info.trimmingCharacters(in: .whitespaces)
            let language = String(trimmed.prefix { !$0.isWhitespace && $0 != "{" })
            let text = literal(node)
            let fenceLine = line(node)
            // A cell never closed would swallow the prose below into its code; other code blocks
            // follow CommonMark, where running to the end of the document is allowed.
            if language == "swift", let problem = unclosedFence(node, fenceLine: fenceLine, text: text) { problems.append(problem) }
            switch language {
            case "swift":
                var options = CellOptions()
                let rest = String(trimmed.dropFirst(language.count))
                // Book and chapter defaults first, then the info string.
                for key in defaults.keys.sorted() {
                    do throws(CellOptions.Problem) {
                        try options.apply(key, defaults[key]!)
                    } catch {
                        problems.append(Diagnostic(file: file, line: fenceLine, message: "in execution defaults: \(error.message)"))
                    }
                }
                do throws(CellOptions.Problem) {
                    for pair in try CellOptions.pairs(in: rest) {
                        try options.apply(pair.key, pair.value, offset: pair.offset)
                    }
                } catch {
                    problems.append(optionDiagnostic(error, rest: rest, fenceLine: fenceLine))
                }
                let fenceSource = lines.text(ofLine: fenceLine) ?? ""
                let indent = fenceSource.prefix { $0 != "`" && $0 != "~" }.count
                let cell = Cell(index: cellCount, source: text.hasSuffix("\n") ? String(text.dropLast()) : text,
                                options: options, fenceLine: fenceLine, indent: indent)
                cellCount += 1
                program.order.append(.cell(cell.index))
                return .cell(cell)
            case "math":
                return .math(tex: text.trimmingCharacters(in: .whitespacesAndNewlines), line: fenceLine + 1)
            default:
                return .code(language: language, text: text)
            }
        }

        /// The info string of a fenced block read from the chapter's own line (after the
        /// indentation or `> ` and the fence), or nil if the line does not look like its fence.
        func rawInfo(_ node: OpaquePointer) -> String? {
            var length: Int32 = 0, offset: Int32 = 0
            var character: CChar = 0
            guard cmark_node_get_fenced(node, &length, &offset, &character) != 0, length > 0 else { return nil }
            guard let line = lines.text(ofLine: line(node)) else { return nil }
            let fence = Character(UnicodeScalar(UInt8(bitPattern: character)))
            guard let start = line.firstIndex(of: fence) else { return nil }
            let rest = line[start...].drop { $0 == fence }
            return String(rest).trimmingCharacters(in: .whitespaces)
        }

        /// `` `{swift} expr` ``: an inline value, numbered in document order; its place is the
        /// expression's line and column in the chapter file.
        func inlineValue(_ text: String, node: OpaquePointer) -> InlineValue? {
            guard text.hasPrefix(InlineValue.marker) else { return nil }
            let expression = String(text.dropFirst(InlineValue.marker.count)).trimmingCharacters(in: .whitespaces)
            // The node starts at its opening backticks; the expression after the marker and blanks.
            var place = position(node)
            if let marker = lines.find(InlineValue.marker, from: place), let source = lines.text(ofLine: marker.line) {
                var column = marker.column - 1 + InlineValue.marker.count
                let characters = Array(source)
                while column < characters.count, characters[column] == " " { column += 1 }
                place = SourcePosition(line: marker.line, column: column + 1)
            }
            let line = place.line, column = place.line == 0 ? 1 : place.column
            let eval = defaults["eval"].map { !["false", "no"].contains($0.lowercased()) } ?? true
            let value = InlineValue(index: program.inlineValues.count, expression: expression, line: line, column: column, eval: eval)
            if expression.isEmpty {
                program.problems.append(Diagnostic(file: file, line: line, column: column,
                                                   message: "an inline value needs an expression: `{swift} x` shows the value of x"))
            }
            program.inlineValues.append(value)
            program.order.append(.inline(value.index))
            return value
        }

        /// A fence never closed runs to the end of the chapter (or of its list or quote),
        /// swallowing the prose below into code; say so at the opening fence rather than let
        /// the compiler trip over a heading far below.
        func unclosedFence(_ node: OpaquePointer, fenceLine: Int, text: String) -> Diagnostic? {
            var length: Int32 = 0, offset: Int32 = 0
            var character: CChar = 0
            guard cmark_node_get_fenced(node, &length, &offset, &character) != 0, length > 0 else { return nil }
            // cmark-gfm does not record where a fenced block ends: the closing fence, if any,
            // is the line after the code's last line.
            let codeLines = text.utf8.filter { $0 == UInt8(ascii: "\n") }.count
            let fence = Character(UnicodeScalar(UInt8(bitPattern: character)))
            if let closing = lines.text(ofLine: fenceLine + codeLines + 1)?
                    .trimmingCharacters(in: CharacterSet.whitespaces.union(CharacterSet(charactersIn: ">-*+"))) {
                if closing.count >= Int(length), closing.allSatisfy({ $0 == fence }) { return nil }
            }
            let marker = String(repeating: String(fence), count: Int(length))
            return Diagnostic(file: file, line: fenceLine, column: Int(offset) + 1,
                              message: "this \(marker) fence is never closed, so everything after it (to the end of the chapter, list or quote) became code; add a closing \(marker) line")
        }

        /// Points at the offending character of the info string on the fence line.
        func optionDiagnostic(_ problem: CellOptions.Problem, rest: String, fenceLine: Int) -> Diagnostic {
            let source = lines.text(ofLine: fenceLine) ?? ""
            var column = 0
            if let range = source.range(of: rest.trimmingCharacters(in: .whitespaces)) {
                let restStart = source.distance(from: source.startIndex, to: range.lowerBound)
                let leading = rest.prefix { $0.isWhitespace }.count
                column = restStart + max(0, problem.offset - leading) + 1
            }
            return Diagnostic(file: file, line: fenceLine, column: column, message: problem.message,
                              sourceLine: source.isEmpty ? nil : source)
        }

        /// `> [!TAKEAWAY] Optional title` becomes a callout; other quotes stay quotes.
        mutating func blockQuote(_ node: OpaquePointer) -> Block {
            var inner = blocks(of: node)
            guard case .paragraph(var first)? = inner.first, case .text(let text, let at)? = first.first,
                  text.hasPrefix("[!"), let close = text.firstIndex(of: "]") else {
                return .blockQuote(inner)
            }
            let kind = text[text.index(text.startIndex, offsetBy: 2)..<close].lowercased()
            guard !kind.isEmpty, kind.allSatisfy({ $0.isLetter || $0 == "-" }) else { return .blockQuote(inner) }
            let remainder = text[text.index(after: close)...].drop { $0 == " " }
            first[0] = .text(String(remainder), at: at == .unknown ? at
                             : SourcePosition(line: at.line, column: at.column + text.count - remainder.count))
            if case .text("", _)? = first.first { first.removeFirst() }
            // The title runs to the end of the marker's line.
            var title: [Inline] = []
            while let next = first.first, next != .softBreak, next != .lineBreak {
                title.append(next)
                first.removeFirst()
            }
            if !first.isEmpty { first.removeFirst() }
            inner.removeFirst()
            if !first.isEmpty { inner.insert(.paragraph(first), at: 0) }
            return .callout(kind: kind, title: title, inner)
        }

        mutating func table(_ node: OpaquePointer) -> Block {
            let columns = Int(cmark_gfm_extensions_get_table_columns(node))
            var alignments: [Table.Alignment] = []
            if let raw = cmark_gfm_extensions_get_table_alignments(node) {
                for i in 0..<columns {
                    switch UInt8(raw[i]) {
                    case UInt8(ascii: "l"): alignments.append(.left)
                    case UInt8(ascii: "c"): alignments.append(.center)
                    case UInt8(ascii: "r"): alignments.append(.right)
                    default: alignments.append(.none)
                    }
                }
            }
            var header: [[Inline]] = []
            var rows: [[[Inline]]] = []
            for row in children(node) {
                let cells = children(row).map { inlines(of: $0) }
                if cmark_gfm_extensions_get_table_row_is_header(row) != 0 { header = cells } else { rows.append(cells) }
            }
            return .table(Table(alignments: alignments, header: header, rows: rows))
        }

        func inlines(of node: OpaquePointer) -> [Inline] {
            var result: [Inline] = []
            for child in children(node) {
                switch type(child) {
                case "text":
                    let text = shieldedLiteral(child)
                    let offset = shieldedOffset(child, skippingBlanks: !(text.first?.isWhitespace ?? true))
                    for piece in shield.restore(text, at: offset, lines: lines) {
                        if case .text(let s, _) = piece, case .text(let previous, let at)? = result.last {
                            result[result.count - 1] = .text(previous + s, at: at)
                        } else {
                            result.append(piece)
                        }
                    }
                case "code":
                    let text = literal(child)
                    if let value = inlineValue(text, node: child) {
                        result.append(.inlineValue(value))
                    } else {
                        result.append(.code(text, at: position(child)))
                    }
                case "emph": result.append(.emphasis(inlines(of: child)))
                case "strong": result.append(.strong(inlines(of: child)))
                case "strikethrough": result.append(.strikethrough(inlines(of: child)))
                case "link":
                    result.append(.link(destination: url(child), title: title(child), inlines(of: child), at: position(child)))
                case "image":
                    result.append(.image(source: url(child), title: title(child), alt: inlines(of: child).plainText,
                                         at: position(child)))
                case "html_inline": result.append(.html(literal(child), at: position(child)))
                case "softbreak": result.append(.softBreak)
                case "linebreak": result.append(.lineBreak)
                default:
                    if cmark_node_get_type(child) == CMARK_NODE_FOOTNOTE_REFERENCE {
                        // Its literal is its number (cmark-gfm numbers footnotes by first reference).
                        result.append(.footnoteReference(number: Int(shieldedLiteral(child)) ?? 0))
                    } else {
                        result.append(contentsOf: inlines(of: child))
                    }
                }
            }
            return result
        }
    }
}

/// What a chapter's program runs, in document order, collected while parsing.
final class ProgramItems {
    var inlineValues: [InlineValue] = []
    var order: [ProgramItem] = []
    var problems: [Diagnostic] = []
}
