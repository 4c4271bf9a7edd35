import Foundation

/// One entry of a `.bib` file, `@article{key, author = …, …}`, as the parser read it.
public struct BibEntry: Sendable, Equatable {
    /// `article`, `inproceedings`, … (lowercased).
    public var type: String
    public var key: String
    /// Field values by lowercased name: `@string` macros expanded and `#` concatenations
    /// joined, TeX kept (braces, accents); see `text(_:)` for what a reader sees.
    public var fields: [String: String]
    /// Where the entry's `@` is in the file (1-based).
    public var line: Int
    public var column: Int

    public init(type: String, key: String, fields: [String: String], line: Int = 0, column: Int = 0) {
        self.type = type
        self.key = key
        self.fields = fields
        self.line = line
        self.column = column
    }

    /// A field as a reader sees it: accents and special characters as Unicode, braces gone.
    public func text(_ name: String) -> String? {
        guard let raw = fields[name] else { return nil }
        let text = TeXText.unicode(raw)
        return text.isEmpty ? nil : text
    }

    /// The people in `author` (or `editor`), and whether the list ends with `and others`.
    public func names(_ field: String = "author") -> (names: [BibName], others: Bool) {
        guard let raw = fields[field] else { return ([], false) }
        return BibName.list(raw)
    }
}

/// Stage 1b: a BibTeX file → its entries, in file order.
///
/// Understands what BibTeX itself does: `@string` macros (and the month names `jan` … `dec`),
/// values in `{…}` (braces nest) or `"…"`, bare numbers and macro names, `#` concatenation,
/// entries delimited by braces or parentheses, `@comment` and `@preamble`, and text between
/// entries, which is ignored. A malformed entry, an unknown macro or a key used twice is an
/// error at its `FILE:LINE:COL`; the parser goes on at the next entry so that one run reports
/// every problem.
public enum BibTeXParser {
    /// The month macros every BibTeX style predefines.
    static let months = ["jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May",
                         "jun": "June", "jul": "July", "aug": "August", "sep": "September", "oct": "October",
                         "nov": "November", "dec": "December"]

    public static func parse(_ text: String, file: String) throws(BuildFailure) -> [BibEntry] {
        var scanner = Scanner(text: text, file: file)
        scanner.run()
        guard scanner.problems.isEmpty else { throw BuildFailure(scanner.problems) }
        return scanner.entries
    }

    struct Problem: Error {
        var line: Int
        var column: Int
        var message: String
    }

    struct Scanner {
        let chars: [Character]
        let lines: [String]
        let file: String
        var i = 0
        var line = 1
        var column = 1
        var macros: [String: String] = BibTeXParser.months
        var entries: [BibEntry] = []
        var problems: [Diagnostic] = []
        var seen: [String: (line: Int, key: String)] = [:]

        init(text: String, file: String) {
            chars = Array(text)
            lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            self.file = file
        }

        var atEnd: Bool { i >= chars.count }
        var current: Character? { i < chars.count ? chars[i] : nil }

        mutating func advance() {
            guard i < chars.count else { return }
            if chars[i].isNewline { line += 1; column = 1 } else { column += 1 }
            i += 1
        }

        func problem(_ message: String, line: Int? = nil, column: Int? = nil) -> Problem {
            Problem(line: line ?? self.line, column: column ?? self.column, message: message)
        }

        mutating func report(_ problem: Problem) {
            let source = problem.line >= 1 && problem.line <= lines.count ? lines[problem.line - 1] : nil
            problems.append(Diagnostic(file: file, line: problem.line, column: problem.column,
                                       message: problem.message, sourceLine: source))
        }

        /// Whitespace, and `%` comments to the end of the line (as biber reads them).
        mutating func skipSpace() {
            while let c = current {
                if c.isWhitespace { advance() }
                else if c == "%" { while let d = current, !d.isNewline { advance() } }
                else { break }
            }
        }

        mutating func run() {
            while !atEnd {
                // Anything outside an entry is a comment.
                guard current == "@" else { advance(); continue }
                let startLine = line, startColumn = column
                do throws(Problem) {
                    try entry(line: startLine, column: startColumn)
                } catch {
                    report(error)
                    recover()
                }
            }
        }

        /// After a malformed entry: on at the next `@` that starts a line.
        mutating func recover() {
            while !atEnd {
                if current == "@", column == 1 { return }
                advance()
            }
        }

        static func isNameCharacter(_ c: Character) -> Bool {
            // BibTeX's identifiers: anything printable but these.
            !c.isWhitespace && !"\"#%'(),={}".contains(c)
        }

        mutating func identifier() -> String {
            var name = ""
            while let c = current, Self.isNameCharacter(c) {
                name.append(c)
                advance()
            }
            return name
        }

        mutating func entry(line startLine: Int, column startColumn: Int) throws(Problem) {
            advance()  // @
            skipSpace()
            let typeColumn = column, typeLine = line
            let type = identifier().lowercased()
            guard !type.isEmpty else { throw problem("expected an entry type after '@' (e.g. @article)") }
            skipSpace()
            guard let open = current, open == "{" || open == "(" else {
                throw problem("expected '{' or '(' after '@\(type)'")
            }
            let close: Character = open == "{" ? "}" : ")"
            advance()
            switch type {
            case "comment":
                // `@comment{…}`: a balanced group, skipped.
                _ = try braced(openedAt: (startLine, startColumn), closing: close)
                return
            case "preamble":
                skipSpace()
                _ = try value()
                try expectClose(close, entry: "@preamble", line: startLine, column: startColumn)
                return
            case "string":
                skipSpace()
                let nameLine = line, nameColumn = column
                let name = identifier().lowercased()
                guard !name.isEmpty else { throw problem("expected a macro name in @string") }
                skipSpace()
                guard current == "=" else { throw problem("expected '=' after the macro name '\(name)'") }
                advance()
                skipSpace()
                let text = try value()
                skipSpace()
                if current == "," { advance(); skipSpace() }
                try expectClose(close, entry: "@string", line: startLine, column: startColumn)
                if macros[name] != nil, BibTeXParser.months[name] == nil {
                    report(problem("macro '\(name)' is defined twice", line: nameLine, column: nameColumn))
                }
                macros[name] = text
                return
            default:
                break
            }
            guard type.allSatisfy({ $0.isLetter }) else {
                throw problem("'\(type)' is not an entry type", line: typeLine, column: typeColumn)
            }
            skipSpace()
            let keyLine = line, keyColumn = column
            var key = ""
            while let c = current, !c.isWhitespace, c != ",", c != close, c != "{", c != "}", c != "\"", c != "=" {
                key.append(c)
                advance()
            }
            guard !key.isEmpty else { throw problem("expected the entry's citation key after '@\(type){'") }
            skipSpace()
            if current == "=" {
                throw problem("expected the citation key before the first field of this @\(type)", line: keyLine, column: keyColumn)
            }
            var fields: [String: String] = [:]
            if current == "," {
                advance()
                while true {
                    skipSpace()
                    guard let c = current else {
                        throw problem("entry '\(key)' is not closed: expected '\(close)'", line: startLine, column: startColumn)
                    }
                    if c == close { break }
                    let fieldLine = line, fieldColumn = column
                    let name = identifier().lowercased()
                    guard !name.isEmpty else {
                        throw problem("expected a field name in entry '\(key)', found '\(c)'")
                    }
                    skipSpace()
                    guard current == "=" else {
                        throw problem("expected '=' after the field name '\(name)' in entry '\(key)'")
                    }
                    advance()
                    skipSpace()
                    let text = try value()
                    if fields[name] != nil {
                        throw problem("field '\(name)' appears twice in entry '\(key)'", line: fieldLine, column: fieldColumn)
                    }
                    fields[name] = text
                    skipSpace()
                    if current == "," { advance(); continue }
                    if current == close { break }
                    if atEnd {
                        throw problem("entry '\(key)' is not closed: expected '\(close)'", line: startLine, column: startColumn)
                    }
                    throw problem("expected ',' or '\(close)' after the field '\(name)' in entry '\(key)'")
                }
            }
            try expectClose(close, entry: "entry '\(key)'", line: startLine, column: startColumn)
            let folded = key.lowercased()
            if let first = seen[folded] {
                throw problem("duplicate key '\(key)': already used by the entry at line \(first.line)",
                              line: keyLine, column: keyColumn)
            }
            seen[folded] = (startLine, key)
            entries.append(BibEntry(type: type, key: key, fields: fields, line: startLine, column: startColumn))
        }

        mutating func expectClose(_ close: Character, entry: String, line: Int, column: Int) throws(Problem) {
            skipSpace()
            guard current == close else {
                if atEnd { throw problem("\(entry) is not closed: expected '\(close)'", line: line, column: column) }
                throw problem("expected '\(close)' to close \(entry)")
            }
            advance()
        }

        /// `piece # piece # …`, joined.
        mutating func value() throws(Problem) -> String {
            var result = try piece()
            while true {
                skipSpace()
                guard current == "#" else { return result }
                advance()
                skipSpace()
                result += try piece()
            }
        }

        /// `{…}`, `"…"`, a number or a macro name.
        mutating func piece() throws(Problem) -> String {
            let pieceLine = line, pieceColumn = column
            guard let c = current else { throw problem("expected a value, found the end of the file") }
            switch c {
            case "{":
                advance()
                return try braced(openedAt: (pieceLine, pieceColumn), closing: "}")
            case "\"":
                advance()
                var text = ""
                var depth = 0
                while let d = current {
                    if d == "\"" && depth == 0 { advance(); return text }
                    if d == "{" { depth += 1 }
                    if d == "}" {
                        if depth == 0 { throw problem("unbalanced '}' in a quoted value") }
                        depth -= 1
                    }
                    text.append(d)
                    advance()
                }
                throw problem("quoted value is not closed: expected '\"'", line: pieceLine, column: pieceColumn)
            default:
                if c.isNumber {
                    var digits = ""
                    while let d = current, d.isNumber { digits.append(d); advance() }
                    return digits
                }
                let name = identifier()
                guard !name.isEmpty else { throw problem("expected a value ({…}, \"…\", a number or a macro), found '\(c)'") }
                guard let text = macros[name.lowercased()] else {
                    throw problem("unknown macro '\(name)' (define it with @string, or put the value in braces)",
                                  line: pieceLine, column: pieceColumn)
                }
                return text
            }
        }

        /// The text up to the `}` that balances an already consumed `{`, inner braces kept.
        mutating func braced(openedAt start: (Int, Int), closing: Character) throws(Problem) -> String {
            var text = ""
            var depth = 0
            while let c = current {
                if c == "{" { depth += 1 }
                else if c == "}" {
                    if depth == 0 {
                        if closing == "}" { advance(); return text }
                        throw problem("unbalanced '}'")
                    }
                    depth -= 1
                } else if c == closing, depth == 0 {
                    advance()
                    return text
                }
                text.append(c)
                advance()
            }
            throw problem("'{' is not closed: expected '}'", line: start.0, column: start.1)
        }
    }
}
