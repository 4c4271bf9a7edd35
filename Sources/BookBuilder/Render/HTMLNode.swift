/// What the renderer builds: an owned tree of HTML. `Write` serializes it (`html`) and reads
/// its visible text (`PlainText.of(_:)`) from the tree; nothing parses the page back.
///
/// Text and attribute values are kept unescaped and escaped once, when serialized, so a node
/// cannot carry markup by accident: only `raw` holds markup, and only markup made elsewhere
/// (MathML from TeXMath, an author's raw HTML after the page's policy), with its visible text
/// beside it.
public indirect enum HTMLNode: Sendable, Equatable {
    case element(String, [HTMLAttribute], [HTMLNode])
    case text(String)
    /// Serialized markup and the text a reader sees in it.
    case raw(String, text: String)

    public static let newline = HTMLNode.text("\n")

    /// `<name a="…" …>children</name>`, attributes in the order written, values as text.
    static func el(_ name: String, _ attributes: KeyValuePairs<String, String> = [:], _ children: [HTMLNode] = []) -> HTMLNode {
        .element(name, attributes.map { HTMLAttribute($0.key, $0.value) }, children)
    }

    static func el(_ name: String, attributes: [HTMLAttribute], _ children: [HTMLNode] = []) -> HTMLNode {
        .element(name, attributes, children)
    }

    /// Elements written without an end tag.
    static let voidElements: Set<String> = ["area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]

    func write(into out: inout String) {
        switch self {
        case .text(let text): out += HTML.escape(text)
        case .raw(let markup, _): out += markup
        case .element(let name, let attributes, let children):
            out += "<" + name
            for attribute in attributes {
                out += " " + attribute.name
                switch attribute.value {
                case .none: break
                case .text(let value): out += "=\"" + HTML.escape(value) + "\""
                case .url(let value): out += "=\"" + HTML.escapeURL(value) + "\""
                }
            }
            out += ">"
            for child in children { child.write(into: &out) }
            if !Self.voidElements.contains(name) { out += "</" + name + ">" }
        }
    }

    /// Whether the tree holds a link (an `<a>` element, or one in raw markup): links cannot nest.
    var containsLink: Bool {
        switch self {
        case .text: return false
        case .raw(let markup, _): return PageRenderer.containsLink(markup)
        case .element(let name, _, let children): return name == "a" || children.contains(where: \.containsLink)
        }
    }

    /// The value of attribute `name`, when it is text.
    func attribute(_ name: String) -> String? {
        guard case .element(_, let attributes, _) = self else { return nil }
        for attribute in attributes where attribute.name == name {
            if case .text(let value) = attribute.value { return value }
        }
        return nil
    }
}

public struct HTMLAttribute: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        /// A bare attribute: `disabled`, `hidden`, `open`.
        case none
        case text(String)
        /// A link destination, percent-encoded as cmark spells it (`HTML.escapeURL`).
        case url(String)
    }

    public var name: String
    public var value: Value

    init(_ name: String, _ value: String) {
        self.name = name
        self.value = .text(value)
    }

    init(_ name: String, value: Value) {
        self.name = name
        self.value = value
    }

    static func flag(_ name: String) -> HTMLAttribute { HTMLAttribute(name, value: .none) }
    static func url(_ name: String, _ destination: String) -> HTMLAttribute { HTMLAttribute(name, value: .url(destination)) }
}

extension Array where Element == HTMLNode {
    /// The serialized HTML.
    var html: String {
        var out = ""
        for node in self { node.write(into: &out) }
        return out
    }

    /// Whether the serialized HTML would end with a line break.
    var endsWithNewline: Bool {
        for node in reversed() {
            switch node {
            case .element: return false
            case .text(let text), .raw(let text, _):
                if text.isEmpty { continue }
                return text.hasSuffix("\n")
            }
        }
        return false
    }

    var containsLink: Bool { contains(where: \.containsLink) }
}
