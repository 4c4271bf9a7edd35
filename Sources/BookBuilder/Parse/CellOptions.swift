import Foundation

/// Options written in a cell's info string: ```` ```swift {echo=false, label=fig-sam, caption="…"} ````.
///
/// Chapter front matter (`execute:`) and `book.yml` give defaults; the info string wins.
public struct CellOptions: Sendable, Equatable, Hashable {
    /// Show the source in the page.
    public var echo = true
    /// Show what the cell printed and displayed.
    public var output = true
    /// Run the cell at all.
    public var eval = true
    /// The cell is allowed to fail; its error is shown in the page.
    public var error = false
    /// `fig-…` makes the cell's image a numbered figure others can reference.
    public var label: String?
    public var caption: String?
    public var alt: String?
    /// Seconds the cell may run before the build fails.
    public var timeout: Double = 300
    /// Show the source folded (a `<details>` the reader opens).
    public var collapse = false
    /// The cell measures the machine (wall-clock times): its output is labelled in the page
    /// as machine-dependent, and the values it computes with `memo` are kept even by
    /// `--no-cache`, so rebuilding reproduces the page byte for byte; they are measured again
    /// when the engine or the cell's code changes, or the cache is removed.
    public var measured = false

    public init() {}

    /// A caption or alt text with a Swift interpolation `\(…)` is computed by the program.
    public static func isComputed(_ text: String) -> Bool { text.contains("\\(") }

    /// Every option, with the type of value it takes (used in error messages).
    public static let known: [(name: String, kind: String)] = [
        ("echo", "true/false"), ("output", "true/false"), ("eval", "true/false"),
        ("error", "true/false"), ("label", "text"), ("caption", "text"), ("alt", "text"),
        ("timeout", "seconds"), ("collapse", "true/false"), ("measured", "true/false"),
    ]

    public struct Problem: Error, Equatable {
        public var message: String
        /// 0-based character offset of the problem in the string that was parsed.
        public var offset: Int
    }

    /// Applies `key = value` pairs in order (defaults first, then the info string).
    public mutating func apply(_ key: String, _ value: String, offset: Int = 0) throws(Problem) {
        func bool() throws(Problem) -> Bool {
            switch value.lowercased() {
            case "true", "yes": return true
            case "false", "no": return false
            default: throw Problem(message: "option '\(key)' expects true or false, got '\(value)'", offset: offset)
            }
        }
        switch key {
        case "echo": echo = try bool()
        case "output": output = try bool()
        case "eval": eval = try bool()
        case "error": error = try bool()
        case "collapse": collapse = try bool()
        case "measured": measured = try bool()
        case "label":
            guard !value.isEmpty, value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw Problem(message: "label '\(value)' may contain only letters, digits, '-' and '_'", offset: offset)
            }
            label = value
        case "caption": caption = value
        case "alt": alt = value
        case "timeout":
            guard let seconds = Double(value), seconds > 0, seconds.isFinite else {
                throw Problem(message: "option 'timeout' expects a positive number of seconds, got '\(value)'", offset: offset)
            }
            timeout = seconds
        default:
            let names = Self.known.map(\.name).joined(separator: ", ")
            throw Problem(message: "unknown cell option '\(key)' (valid options: \(names))", offset: offset)
        }
    }

    /// Parses the part of an info string after the language: `{echo=false, caption="a, b"}`.
    /// Returns `(key, value, offset)` triples; offsets are into `text`.
    public static func pairs(in text: String) throws(Problem) -> [(key: String, value: String, offset: Int)] {
        let chars = Array(text)
        var i = 0
        func skipSpace() { while i < chars.count, chars[i].isWhitespace { i += 1 } }
        skipSpace()
        if i == chars.count { return [] }
        guard chars[i] == "{" else {
            throw Problem(message: "cell options must be written in braces, e.g. {echo=false}", offset: i)
        }
        i += 1
        var result: [(String, String, Int)] = []
        while true {
            skipSpace()
            guard i < chars.count else { throw Problem(message: "missing '}' at the end of the cell options", offset: i) }
            if chars[i] == "}" { i += 1; break }
            let keyStart = i
            while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "-" || chars[i] == "_" { i += 1 }
            let key = String(chars[keyStart..<i])
            guard !key.isEmpty else { throw Problem(message: "expected an option name", offset: i) }
            skipSpace()
            guard i < chars.count, chars[i] == "=" else {
                throw Problem(message: "expected '=' after option '\(key)'", offset: i)
            }
            i += 1
            skipSpace()
            var value = ""
            if i < chars.count, chars[i] == "\"" || chars[i] == "'" {
                let quote = chars[i]
                let start = i
                i += 1
                while i < chars.count, chars[i] != quote {
                    // `\"` and `\\` are escapes; any other backslash stays (a computed caption's
                    // `\(x)`, TeX's `\lambda`).
                    if chars[i] == "\\", i + 1 < chars.count, chars[i + 1] == quote || chars[i + 1] == "\\" { i += 1 }
                    value.append(chars[i])
                    i += 1
                }
                guard i < chars.count else { throw Problem(message: "unterminated quoted value", offset: start) }
                i += 1
            } else {
                while i < chars.count, chars[i] != ",", chars[i] != "}", !chars[i].isWhitespace {
                    value.append(chars[i])
                    i += 1
                }
            }
            result.append((key, value, keyStart))
            skipSpace()
            if i < chars.count, chars[i] == "," { i += 1 }
        }
        skipSpace()
        guard i == chars.count else { throw Problem(message: "unexpected text after the cell options", offset: i) }
        return result
    }
}
