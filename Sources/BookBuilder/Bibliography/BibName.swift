/// One person of an `author` or `editor` field, split the way BibTeX splits names.
///
/// "First von Last", "von Last, First" and "von Last, Jr, First" are understood; the "von"
/// part is the run of words that start with a lowercase letter ("van der", "de la"), and a
/// braced group is one word whose case does not count (`{Barnes and Noble}` is one surname).
public struct BibName: Sendable, Equatable {
    public var first: String
    public var von: String
    public var last: String
    public var jr: String

    public init(first: String = "", von: String = "", last: String, jr: String = "") {
        self.first = first
        self.von = von
        self.last = last
        self.jr = jr
    }

    /// "van der Maaten": what an author–year citation shows.
    public var surname: String { von.isEmpty ? last : von + " " + last }

    /// "Laurens van der Maaten", "Martin Luther King, Jr.".
    public var full: String {
        let name = [first, von, last].filter { !$0.isEmpty }.joined(separator: " ")
        return jr.isEmpty ? name : name + ", " + jr
    }

    /// An `author` field's names, split at the word `and` outside braces; a final `others`
    /// (from `and others`) is reported as `others` rather than as a person.
    public static func list(_ raw: String) -> (names: [BibName], others: Bool) {
        var names: [BibName] = []
        var others = false
        for part in splitWords(raw, separator: { $0.lowercased() == "and" }) {
            let text = part.joined(separator: " ")
            if text.lowercased() == "others" { others = true; continue }
            if let name = parse(text) { names.append(name) }
        }
        return (names, others)
    }

    /// One name in any of BibTeX's three forms.
    public static func parse(_ raw: String) -> BibName? {
        let parts = splitTopLevel(raw, at: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        func words(_ s: String) -> [String] { splitWords(s, separator: { _ in false }).flatMap { $0 } }
        func text(_ ws: ArraySlice<String>) -> String { TeXText.unicode(ws.joined(separator: " ")) }
        switch parts.count {
        case 0: return nil
        case 1:
            let ws = words(parts[0])
            guard !ws.isEmpty else { return nil }
            // First: up to the first lowercase word; von: to the last lowercase word before the last word.
            let lastIndex = ws.count - 1
            guard let vonStart = ws[..<lastIndex].firstIndex(where: isLowercase) else {
                return BibName(first: text(ws[..<lastIndex]), last: text(ws[lastIndex...]))
            }
            let vonEnd = ws[..<lastIndex].lastIndex(where: isLowercase)!
            return BibName(first: text(ws[..<vonStart]), von: text(ws[vonStart...vonEnd]), last: text(ws[(vonEnd + 1)...]))
        default:
            let ws = words(parts[0])
            guard !ws.isEmpty else { return nil }
            let first = parts.count == 2 ? parts[1] : parts[2...].joined(separator: ", ")
            let jr = parts.count >= 3 ? parts[1] : ""
            // von: the words up to the last lowercase one, leaving at least one word for the surname.
            var vonEnd = -1
            for k in 0..<(ws.count - 1) where isLowercase(ws[k]) { vonEnd = k }
            return BibName(first: TeXText.unicode(first), von: text(ws[0..<(vonEnd + 1)]),
                           last: text(ws[(vonEnd + 1)...]), jr: TeXText.unicode(jr))
        }
    }

    /// Whether a word starts with a lowercase letter, as BibTeX decides: the first letter
    /// outside braces, or in a `{\…}` special character the letter after the command;
    /// a word starting with any other braced group has no case (counts as uppercase).
    static func isLowercase(_ word: String) -> Bool {
        var chars = Array(word)[...]
        while let c = chars.first {
            if c == "{" {
                guard chars.dropFirst().first == "\\" else { return false }
                // A special character: skip the command's name (letters, or one symbol).
                chars = chars.dropFirst(2)
                if let d = chars.first, d.isLetter {
                    let name = String(chars.prefix { $0.isLetter })
                    chars = chars.dropFirst(name.count)
                    if TeXText.symbols[name] != nil { return name.first!.isLowercase }
                } else {
                    chars = chars.dropFirst()
                }
                continue
            }
            if c == "\\" {
                chars = chars.dropFirst()
                if let d = chars.first, !d.isLetter { chars = chars.dropFirst() }
                continue
            }
            if c.isLetter { return c.isLowercase }
            chars = chars.dropFirst()
        }
        return false
    }

    /// Words split at whitespace (and `~`) outside braces, grouped at `separator` words.
    static func splitWords(_ text: String, separator: (String) -> Bool) -> [[String]] {
        var groups: [[String]] = [[]]
        var word = ""
        var depth = 0
        func flush() {
            guard !word.isEmpty else { return }
            if separator(word) { groups.append([]) } else { groups[groups.count - 1].append(word) }
            word = ""
        }
        for c in text {
            if c == "{" { depth += 1 } else if c == "}" { depth = max(0, depth - 1) }
            if depth == 0, c.isWhitespace || c == "~" { flush() } else { word.append(c) }
        }
        flush()
        return groups.filter { !$0.isEmpty }
    }

    /// `text` cut at `separator` characters outside braces.
    static func splitTopLevel(_ text: String, at separator: Character) -> [String] {
        var parts: [String] = []
        var part = ""
        var depth = 0
        for c in text {
            if c == "{" { depth += 1 } else if c == "}" { depth = max(0, depth - 1) }
            if depth == 0, c == separator { parts.append(part); part = "" } else { part.append(c) }
        }
        parts.append(part)
        return parts
    }
}
