/// The text a reader sees in a page, for the search index and the outline.
///
/// A page's tree (`of(_ nodes:)`) is walked: the text nodes are kept, elements that are not
/// inline (`<p>`, `<li>`, `<td>`, …) separate words, code blocks (`<pre>`: cell sources and
/// outputs), whose text would swamp the prose, are skipped, and a formula reads as TeXMath's
/// plain text of it. `of(_ html:)` reads markup the renderer did not make, an author's raw
/// HTML, by the same rules:
/// tags are dropped; block boundaries become spaces, and so do the boundaries between a
/// formula's tokens, except next to brackets: `L(w) = \tfrac12 w^\top H w` reads
/// `L(w) = 1/2 w^⊤ H w`, and `\operatorname{sign}` stays the word `sign`.
/// A formula's `<annotation>` holds its TeX source, which is not visible: it is skipped,
/// as are code blocks (`<pre>`: cell sources and outputs), whose text would swamp the prose.
enum PlainText {
    /// Elements whose contents are not part of the prose.
    static let skipped: Set<String> = ["annotation", "annotation-xml", "pre", "script", "style", "template"]
    /// Elements that do not break a word: `<em>flat</em>ness` is one word.
    static let inline: Set<String> = ["a", "abbr", "b", "bdi", "cite", "code", "del", "dfn", "em", "i", "ins", "kbd",
                                      "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "u", "var"]

    /// The visible text of `nodes`, whitespace collapsed.
    static func of(_ nodes: [HTMLNode]) -> String {
        var out = ""
        for node in nodes { walk(node, into: &out) }
        return collapsingWhitespace(out)
    }

    static func walk(_ node: HTMLNode, into out: inout String) {
        switch node {
        case .text(let text), .raw(_, let text): out += text
        case .element(let name, _, let children):
            if skipped.contains(name) {
                out += " "
                return
            }
            let separates = !inline.contains(name)
            if separates { out += " " }
            for child in children { walk(child, into: &out) }
            if separates, !HTMLNode.voidElements.contains(name) { out += " " }
        }
    }

    /// A page cut at its outline's headings (in order, matched by level and id): the text before
    /// the first of them, the title (the first `<h1>`) left out, and each section's text, its
    /// heading left out, up to the next outline heading.
    static func sections(of nodes: [HTMLNode], outline: [Page.Heading]) -> (introduction: String, sections: [Page.Section]) {
        var introduction = ""
        var titleSeen = false
        var texts: [String] = []
        var found: [Page.Heading] = []
        func visit(_ node: HTMLNode) {
            if case .element(let name, _, let children) = node {
                if found.count < outline.count, name == "h\(outline[found.count].level)",
                   node.attribute("id") == outline[found.count].id {
                    found.append(outline[found.count])
                    texts.append("")
                    return
                }
                if texts.isEmpty, !titleSeen, name == "h1" {
                    introduction = ""   // what comes before the title is not its introduction
                    titleSeen = true
                    return
                }
                if skipped.contains(name) {
                    append(" ")
                    return
                }
                let separates = !inline.contains(name)
                if separates { append(" ") }
                children.forEach(visit)
                if separates, !HTMLNode.voidElements.contains(name) { append(" ") }
                return
            }
            switch node {
            case .text(let text), .raw(_, let text): append(text)
            case .element: break
            }
        }
        func append(_ text: String) {
            if texts.isEmpty { introduction += text } else { texts[texts.count - 1] += text }
        }
        nodes.forEach(visit)
        let sections = zip(found, texts).map { heading, text in
            Page.Section(level: heading.level, id: heading.id, number: heading.number, title: heading.text,
                         text: collapsingWhitespace(text))
        }
        return (collapsingWhitespace(introduction), sections)
    }

    /// The visible text of markup the renderer did not make (an author's raw HTML).
    static func of(_ html: String) -> String {
        var out = ""
        out.reserveCapacity(html.utf8.count / 2)
        var skipping: [String] = []   // open skipped elements, innermost last
        var math: [(name: String, children: Int)] = []   // open MathML elements, `math` first
        var boundary: Boundary?   // what separates the formula's next token from the last
        var i = html.startIndex
        while i < html.endIndex {
            let c = html[i]
            if c == "<" {
                guard let close = html[i...].firstIndex(of: ">") else { break }
                let tag = html[html.index(after: i)..<close]
                i = html.index(after: close)
                if tag.hasPrefix("!") || tag.hasPrefix("?") { continue }
                let closing = tag.hasPrefix("/")
                let name = String(tag.drop(while: { $0 == "/" }).prefix(while: { !isSpace($0) && $0 != "/" })).lowercased()
                let selfClosing = tag.hasSuffix("/")
                if !skipping.isEmpty {
                    if closing, name == skipping.last { skipping.removeLast() }
                    else if !closing, !selfClosing, skipped.contains(name) { skipping.append(name) }
                    continue
                }
                if skipped.contains(name), !closing, !selfClosing {
                    skipping.append(name)
                    out += " "
                    continue
                }
                if name == "math" {
                    math = closing ? [] : [("math", 0)]
                    boundary = nil
                    out += " "
                } else if !math.isEmpty {
                    var crossed = Boundary.token
                    if closing {
                        if math.count > 1 { math.removeLast() }
                    } else {
                        math[math.count - 1].children += 1
                        let parent = math[math.count - 1]
                        if parent.name == "mfrac", parent.children == 2 { crossed = .slash }
                        else if ["msup", "msubsup"].contains(parent.name), parent.children == (parent.name == "msup" ? 2 : 3) { crossed = .caret }
                        else if ["mtd", "mtr", "mtext"].contains(name) { crossed = .space }
                        if !selfClosing { math.append((name, 0)) }
                    }
                    boundary = max(boundary ?? .token, crossed)
                } else if !inline.contains(name) {
                    out += " "
                }
                continue
            }
            if !skipping.isEmpty {
                i = html.index(after: i)
                continue
            }
            if c == "&", let semicolon = html[i...].prefix(12).firstIndex(of: ";") {
                if let decoded = entity(html[html.index(after: i)..<semicolon]) {
                    out += decoded
                    i = html.index(after: semicolon)
                    continue
                }
            }
            if let crossed = boundary {
                if isSpace(c) {
                    i = html.index(after: i)
                    continue
                }
                boundary = nil
                switch crossed {
                case .slash: out += "/"
                case .caret: out += "^"
                case .space: out += " "
                case .token: if let previous = out.last, Self.spaced(previous, c) { out += " " }
                }
            }
            out.append(c)
            i = html.index(after: i)
        }
        return collapsingWhitespace(out)
    }

    /// Between two tokens of a formula: a space where it reads as one (`spaced`), always a
    /// space before a text or a table cell (an equation's number), a slash inside a fraction,
    /// a caret before a superscript.
    enum Boundary: Int, Comparable {
        case token, space, slash, caret
        static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    }

    /// Whether two tokens of a formula read with a space between them: `w − δ`, `ℝ n`, but
    /// `L(w)`, `(w)` and `x,`.
    static func spaced(_ previous: Character, _ next: Character) -> Bool {
        if "([{⟨".contains(previous) || ")]}⟩,;.!?".contains(next) { return false }
        if "([".contains(next), previous.isLetter || previous.isNumber || ")]".contains(previous) { return false }
        return true
    }

    static func entity(_ name: Substring) -> String? {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos", "#39": return "'"
        case "nbsp": return " "
        default:
            guard name.hasPrefix("#") else { return nil }
            let digits = name.dropFirst()
            let value = digits.hasPrefix("x") || digits.hasPrefix("X")
                ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            return value.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
        }
    }

    /// `c.isWhitespace`, answered without Unicode tables for ASCII (nearly every character).
    @inline(__always) static func isSpace(_ c: Character) -> Bool {
        if let ascii = c.asciiValue { return ascii == 32 || (9...13).contains(ascii) }
        return c.isWhitespace
    }

    /// Runs of whitespace become one space; no space before closing punctuation a tag boundary left behind.
    static func collapsingWhitespace(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for c in text {
            if isSpace(c) {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace, !(",.;:!?)".contains(c)) { out.append(" ") }
            pendingSpace = false
            out.append(c)
        }
        return out
    }
}
