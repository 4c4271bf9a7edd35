import Foundation

/// Turns a rendered page's document tree (`Page.content`) into well-formed XHTML, for outputs
/// read by XML parsers (EPUB's content documents, the PDF's print document).
///
/// Elements and text are written from the tree; the markup made elsewhere (`raw` nodes: MathML,
/// an author's HTML) goes through a small tolerant tokenizer, not a validator, that shares the
/// tree's open elements, so a raw `<span>` may open in one inline node and close in another.
/// Void elements are self-closed, attributes quoted (a bare `disabled` becomes
/// `disabled="disabled"`), named character references turned into characters, comments and
/// scripts dropped, stray end tags dropped and unclosed elements closed. MathML and SVG get
/// their namespaces. The hooks let the caller rewrite links and drop or unwrap elements that
/// the target format does not want.
struct XHTMLConverter {
    /// Elements removed together with their contents.
    var dropElements: Set<String> = ["script", "noscript", "template", "button"]
    /// Elements whose tags are removed but whose contents stay (e.g. `picture` around its `img`).
    var unwrapElements: Set<String> = []
    /// Elements removed with no contents of their own (void), e.g. `source`.
    var dropVoidElements: Set<String> = []
    /// Attributes removed wherever they appear.
    var dropAttributes: Set<String> = []
    /// Rewrites the value of `href` and `src` attributes.
    var rewriteURL: (String) -> String = { $0 }
    /// Rewrites the value of `id` attributes.
    var rewriteID: (String) -> String = { $0 }
    /// Attributes added to every element of a name (e.g. `details` → `open="open"` for print).
    var addAttributes: [String: [(String, String)]] = [:]

    /// Every `src` value in the output, in order of appearance (after rewriting).
    private(set) var sources: [String] = []

    static let voidElements: Set<String> = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                                            "source", "track", "wbr", "mspace", "none", "mprescripts"]
    static let mathML = "http://www.w3.org/1998/Math/MathML"
    static let svg = "http://www.w3.org/2000/svg"

    // The conversion's state, shared by the tree's nodes and the raw markup between them: an
    // author's raw `<span>` may open in one inline node and close in another.
    private var out = ""
    private var stack: [String] = []
    private var dropping: (name: String, depth: Int)? = nil

    /// A page's document tree as XHTML. Elements and text are written from the tree; only `raw`
    /// nodes (MathML, an author's HTML) are tokenized. The result is what `convert(_ html:)`
    /// gives for the tree serialized, which the tests check.
    mutating func convert(_ nodes: [HTMLNode]) -> String {
        begin()
        for node in nodes { feed(node) }
        return finish()
    }

    /// An HTML fragment as XHTML.
    mutating func convert(_ html: String) -> String {
        begin()
        feed(html)
        return finish()
    }

    private mutating func begin() {
        out = ""
        stack = []
        dropping = nil
    }

    private mutating func finish() -> String {
        while let open = stack.popLast() { out += "</\(open)>" }
        defer { out = "" }
        return out
    }

    private mutating func feed(_ node: HTMLNode) {
        switch node {
        case .text(let text): appendText(text)
        case .raw(let markup, _): feed(markup)
        case .element(let name, let attributes, let children):
            // Raw text elements keep the serializer's escaping, as the tokenizer reads it.
            if name == "style" || name == "textarea" {
                feed([node].html)
                return
            }
            let values: [(String, String?)] = attributes.map { attribute in
                switch attribute.value {
                case .none: return (Self.caseName(attribute.name), nil)
                case .text(let value): return (Self.caseName(attribute.name), value)
                case .url(let value): return (Self.caseName(attribute.name), Self.decodeEntities(HTML.escapeURL(value)))
                }
            }
            open(Self.caseName(name), attributes: values, selfClosing: false)
            for child in children { feed(child) }
            if !HTMLNode.voidElements.contains(name) { close(name.lowercased()) }
        }
    }

    /// Text as it reads (no entities).
    private mutating func appendText(_ text: String) {
        guard dropping == nil else { return }
        out += Self.escapeText(text)
    }

    private mutating func close(_ name: String) {
        if let d = dropping {
            if name == d.name {
                if d.depth == 0 { dropping = nil } else { dropping = (d.name, d.depth - 1) }
            }
            return
        }
        if unwrapElements.contains(name) || Self.voidElements.contains(name) || dropVoidElements.contains(name) { return }
        guard let k = stack.lastIndex(of: name) else { return }  // stray end tag
        while stack.count > k { out += "</\(stack.removeLast())>" }
    }

    /// A start tag; attribute values as they read (entities decoded). Returns whether the
    /// element was opened (its contents follow).
    @discardableResult
    private mutating func open(_ name: String, attributes tagAttributes: [(String, String?)], selfClosing: Bool) -> Bool {
        if let d = dropping {
            if name == d.name, !selfClosing { dropping = (d.name, d.depth + 1) }
            return false
        }
        if dropElements.contains(name) {
            if !selfClosing && !Self.voidElements.contains(name) { dropping = (name, 0) }
            return false
        }
        if dropVoidElements.contains(name) || unwrapElements.contains(name) { return false }
        var attributes = "", seen: Set<String> = []
        for (key, value) in tagAttributes {
            guard !seen.contains(key), !dropAttributes.contains(key), !key.hasPrefix("on"),
                  key.first?.isLetter == true,
                  key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == ":" || $0 == "_" || $0 == "." })
            else { continue }
            seen.insert(key)
            var v = value ?? key
            if key == "id" { v = rewriteID(v) }
            if key == "href" || key == "src" {
                v = rewriteURL(v)
                if key == "src" { sources.append(v) }
            }
            attributes += " \(key)=\"\(Self.escapeAttribute(v))\""
        }
        for (key, value) in addAttributes[name] ?? [] where !seen.contains(key) {
            attributes += " \(key)=\"\(Self.escapeAttribute(value))\""
        }
        if name == "math", !seen.contains("xmlns") { attributes = " xmlns=\"\(Self.mathML)\"" + attributes }
        if name == "svg", !seen.contains("xmlns") { attributes = " xmlns=\"\(Self.svg)\"" + attributes }
        if Self.voidElements.contains(name) || selfClosing {
            out += "<\(name)\(attributes)/>"
            return false
        }
        out += "<\(name)\(attributes)>"
        stack.append(name)
        return true
    }

    /// Tokenizes `html` into the conversion.
    private mutating func feed(_ html: String) {
        let s = Array(html.unicodeScalars)
        var i = 0
        while i < s.count {
            if s[i] == "<" {
                // Comment, doctype, CDATA.
                if i + 3 < s.count, s[i + 1] == "!", s[i + 2] == "-", s[i + 3] == "-" {
                    i = Self.find("-->", in: s, from: i + 4).map { $0 + 3 } ?? s.count
                    continue
                }
                if i + 1 < s.count, s[i + 1] == "!" || s[i + 1] == "?" {
                    i = Self.find(">", in: s, from: i + 2).map { $0 + 1 } ?? s.count
                    continue
                }
                if let tag = Self.parseTag(s, at: i) {
                    i = tag.end
                    let name = tag.name
                    if tag.closing {
                        close(name)
                        continue
                    }
                    let opened = open(name, attributes: tag.attributes.map { ($0.0, $0.1.map(Self.decodeEntities)) },
                                      selfClosing: tag.selfClosing)
                    if opened, name == "style" || name == "textarea" {
                        // Raw text up to the end tag.
                        let end = Self.find("</\(name)", in: s, from: i) ?? s.count
                        out += Self.escapeText(String(String.UnicodeScalarView(s[i..<end])))
                        i = end
                    }
                    continue
                }
                appendText("<")
                i += 1
                continue
            }
            var j = i
            while j < s.count, s[j] != "<" { j += 1 }
            appendText(Self.decodeEntities(String(String.UnicodeScalarView(s[i..<j]))))
            i = j
        }
    }

    struct Tag {
        var name: String
        var closing: Bool
        var selfClosing: Bool
        var attributes: [(String, String?)]
        var end: Int
    }

    /// A tag starting at `s[i] == "<"`, or nil when what follows is not one (then `<` is text).
    static func parseTag(_ s: [Unicode.Scalar], at start: Int) -> Tag? {
        var i = start + 1
        var closing = false
        if i < s.count, s[i] == "/" { closing = true; i += 1 }
        guard i < s.count, s[i].properties.isAlphabetic else { return nil }
        var name = ""
        while i < s.count, !s[i].properties.isWhitespace, s[i] != ">", s[i] != "/" { name.unicodeScalars.append(s[i]); i += 1 }
        var attributes: [(String, String?)] = []
        var selfClosing = false
        while i < s.count {
            while i < s.count, s[i].properties.isWhitespace { i += 1 }
            guard i < s.count else { return nil }
            if s[i] == ">" { i += 1; break }
            if s[i] == "/" {
                if i + 1 < s.count, s[i + 1] == ">" { selfClosing = true; i += 2; break }
                i += 1; continue
            }
            var key = ""
            while i < s.count, !s[i].properties.isWhitespace, s[i] != "=", s[i] != ">", s[i] != "/" || key.isEmpty {
                key.unicodeScalars.append(s[i]); i += 1
            }
            while i < s.count, s[i].properties.isWhitespace { i += 1 }
            var value: String? = nil
            if i < s.count, s[i] == "=" {
                i += 1
                while i < s.count, s[i].properties.isWhitespace { i += 1 }
                guard i < s.count else { return nil }
                var v = ""
                if s[i] == "\"" || s[i] == "'" {
                    let quote = s[i]
                    i += 1
                    while i < s.count, s[i] != quote { v.unicodeScalars.append(s[i]); i += 1 }
                    guard i < s.count else { return nil }
                    i += 1
                } else {
                    while i < s.count, !s[i].properties.isWhitespace, s[i] != ">" { v.unicodeScalars.append(s[i]); i += 1 }
                }
                value = v
            }
            if !key.isEmpty { attributes.append((caseName(key), value)) }
        }
        return Tag(name: closing ? name.lowercased() : Self.caseName(name), closing: closing, selfClosing: selfClosing,
                   attributes: attributes, end: i)
    }

    /// HTML names are case-insensitive and XHTML's are lower case; SVG's camelCase names
    /// (`foreignObject`, `viewBox`) are case-sensitive: a name with an upper-case letter after a
    /// lower-case one is kept as written.
    static func caseName(_ name: String) -> String {
        let letters = Array(name)
        let camel = letters.indices.dropFirst().contains { letters[$0].isUppercase && letters[$0 - 1].isLowercase }
        return camel ? name : name.lowercased()
    }

    static func find(_ needle: String, in s: [Unicode.Scalar], from: Int) -> Int? {
        let n = Array(needle.unicodeScalars)
        guard from <= s.count - n.count else { return nil }
        var i = from
        while i <= s.count - n.count {
            var k = 0
            while k < n.count, Character(s[i + k]).lowercased() == Character(n[k]).lowercased() { k += 1 }
            if k == n.count { return i }
            i += 1
        }
        return nil
    }

    static func escapeText(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default:
                // Characters XML 1.0 forbids (C0 controls other than tab, newline, return).
                if c.value < 0x20, c != "\t", c != "\n", c != "\r" { continue }
                out.unicodeScalars.append(c)
            }
        }
        return out
    }

    static func escapeAttribute(_ text: String) -> String {
        escapeText(text).replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// `&amp;`, `&#955;`, `&#x3bb;` and the named references HTML authors use, as characters;
    /// an unknown reference stays as typed (its `&` escaped on output).
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            if let semi = after.prefix(32).firstIndex(of: ";") {
                let name = after[..<semi]
                var scalar: Unicode.Scalar? = nil
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    scalar = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if name.hasPrefix("#") {
                    scalar = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init)
                } else if let named = namedEntities[String(name)] {
                    out += named
                    rest = after[after.index(after: semi)...]
                    continue
                }
                if let scalar {
                    out.unicodeScalars.append(scalar)
                    rest = after[after.index(after: semi)...]
                    continue
                }
            }
            out += "&"
            rest = after
        }
        return out + rest
    }

    static let namedEntities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "ensp": "\u{2002}",
        "emsp": "\u{2003}", "thinsp": "\u{2009}", "ndash": "–", "mdash": "—", "hellip": "…", "lsquo": "‘", "rsquo": "’",
        "ldquo": "“", "rdquo": "”", "laquo": "«", "raquo": "»", "middot": "·", "bull": "•", "copy": "©", "reg": "®",
        "trade": "™", "deg": "°", "plusmn": "±", "times": "×", "divide": "÷", "minus": "−", "le": "≤", "ge": "≥",
        "ne": "≠", "asymp": "≈", "infin": "∞", "larr": "←", "rarr": "→", "uarr": "↑", "darr": "↓", "harr": "↔",
        "para": "¶", "sect": "§", "dagger": "†", "Dagger": "‡", "shy": "\u{AD}", "zwj": "\u{200D}", "zwnj": "\u{200C}",
        "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "eta": "η", "theta": "θ",
        "lambda": "λ", "mu": "μ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ", "omega": "ω",
        "Delta": "Δ", "Sigma": "Σ", "Omega": "Ω", "sum": "∑", "prod": "∏", "radic": "√", "part": "∂", "nabla": "∇",
    ]
}
