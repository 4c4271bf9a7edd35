import Foundation

/// The text a reader sees in a BibTeX value: `{\"u}`, `\'e`, `\v{s}`, `{\ss}` as Unicode,
/// `--` as an en dash, `~` as a no-break space, protective braces dropped, whitespace runs
/// (line breaks in the file) as one space. A command it does not know is dropped and its
/// argument kept (`\emph{flat}` reads "flat"); `$…$` keeps its contents verbatim.
public enum TeXText {
    /// Accent commands and the combining mark each puts on the following letter.
    static let accents: [String: Character] = [
        "'": "\u{301}", "`": "\u{300}", "^": "\u{302}", "\"": "\u{308}", "~": "\u{303}", "=": "\u{304}",
        ".": "\u{307}", "u": "\u{306}", "v": "\u{30C}", "H": "\u{30B}", "c": "\u{327}", "k": "\u{328}",
        "r": "\u{30A}", "d": "\u{323}", "b": "\u{331}",
    ]
    /// Control words that stand for a character.
    static let symbols: [String: String] = [
        "ss": "ß", "o": "ø", "O": "Ø", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
        "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð", "th": "þ", "TH": "Þ", "ng": "ŋ", "NG": "Ŋ",
        "dj": "đ", "DJ": "Đ", "textendash": "–", "textemdash": "—", "ldots": "…", "dots": "…", "textellipsis": "…",
        "textquoteleft": "‘", "textquoteright": "’", "textquotedblleft": "“", "textquotedblright": "”",
        "S": "§", "P": "¶", "copyright": "©", "textregistered": "®", "texttrademark": "™", "pounds": "£",
        "euro": "€", "textdegree": "°", "LaTeX": "LaTeX", "TeX": "TeX", "guillemotleft": "«", "guillemotright": "»",
    ]

    public static func unicode(_ tex: String) -> String {
        var reader = Reader(Array(tex))
        let text = reader.text(untilGroupEnd: false)
        return collapseSpace(text).precomposedStringWithCanonicalMapping
    }

    static func collapseSpace(_ text: String) -> String {
        var out = ""
        var pendingSpace = false
        for c in text {
            if c.isWhitespace && c != "\u{A0}" {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(c)
            }
        }
        return out
    }

    struct Reader {
        let chars: [Character]
        var i = 0
        init(_ chars: [Character]) { self.chars = chars }

        var current: Character? { i < chars.count ? chars[i] : nil }
        func peek(_ k: Int) -> Character? { i + k < chars.count ? chars[i + k] : nil }

        /// Text to the end, or to the `}` closing the current group (consumed).
        mutating func text(untilGroupEnd: Bool) -> String {
            var out = ""
            while let c = current {
                switch c {
                case "}":
                    i += 1
                    if untilGroupEnd { return out }
                case "{":
                    i += 1
                    out += text(untilGroupEnd: true)
                case "\\":
                    out += command()
                case "~":
                    i += 1
                    out.append("\u{A0}")
                case "-":
                    if peek(1) == "-", peek(2) == "-" { out += "—"; i += 3 }
                    else if peek(1) == "-" { out += "–"; i += 2 }
                    else { out.append("-"); i += 1 }
                case "`":
                    if peek(1) == "`" { out += "“"; i += 2 } else { out += "‘"; i += 1 }
                case "'":
                    if peek(1) == "'" { out += "”"; i += 2 } else { out += "’"; i += 1 }
                case "$":
                    i += 1
                    while let d = current, d != "$" { out.append(d); i += 1 }
                    i += 1
                default:
                    out.append(c)
                    i += 1
                }
            }
            return out
        }

        /// After a `\`: an accent with its argument, a symbol, an escaped character, or an
        /// unknown command (dropped; its argument, if braced, is read as ordinary text).
        mutating func command() -> String {
            i += 1  // backslash
            guard let c = current else { return "" }
            var name = ""
            if c.isLetter {
                while let d = current, d.isLetter, d.isASCII { name.append(d); i += 1 }
            } else {
                name = String(c)
                i += 1
            }
            if let mark = TeXText.accents[name] {
                if name.first!.isLetter { skipSpaces() }
                let base = argument()
                guard let first = base.first else { return String(mark) }
                return String(first) + String(mark) + String(base.dropFirst())
            }
            if name.first!.isLetter {
                skipSpaces()  // TeX ends a control word at the first non-letter and eats the spaces after it
                if let symbol = TeXText.symbols[name] { return symbol }
                return ""  // unknown command: dropped, a braced argument follows as text
            }
            switch name {
            case "&", "%", "$", "#", "_", "{", "}": return name
            case " ", "\n", "\\": return " "
            case "-": return ""  // discretionary hyphen
            case ",", ";", ":": return "\u{2009}"
            default: return name
            }
        }

        mutating func skipSpaces() {
            while let c = current, c == " " || c == "\t" || c == "\n" { i += 1 }
        }

        /// An accent's argument: `{…}`, a control sequence (`\i` reads as i), or one character.
        mutating func argument() -> String {
            guard let c = current else { return "" }
            if c == "{" {
                i += 1
                // `\'{\i}`: the dotless i under an accent reads as i.
                return undotted(text(untilGroupEnd: true))
            }
            if c == "\\" {
                let word = command()
                return undotted(word)
            }
            i += 1
            return String(c)
        }

        func undotted(_ s: String) -> String {
            if s.hasPrefix("ı") { return "i" + s.dropFirst() }
            if s.hasPrefix("ȷ") { return "j" + s.dropFirst() }
            return s
        }
    }
}
