import SwiftIDEUtils
import SwiftParser
import SwiftSyntax

/// Highlights Swift at build time with swift-syntax's own token classification, so pages
/// need no JavaScript to show colored code.
enum SwiftHighlighter {
    /// CSS class for each kind of token (`nil`: plain text).
    static func cssClass(_ kind: SyntaxClassification) -> String? {
        switch kind {
        case .keyword: return "kw"
        case .type: return "ty"
        case .stringLiteral, .regexLiteral: return "str"
        case .integerLiteral, .floatLiteral: return "num"
        case .lineComment, .blockComment: return "com"
        case .docLineComment, .docBlockComment: return "doc"
        case .attribute: return "attr"
        case .ifConfigDirective: return "pp"
        case .operator: return "op"
        case .argumentLabel: return "label"
        default: return nil
        }
    }

    /// The source's text, with `<span class="…">` around classified tokens.
    static func nodes(_ source: String) -> [HTMLNode] {
        let tree = Parser.parse(source: source)
        let bytes = Array(source.utf8)
        var out: [HTMLNode] = []
        var position = 0
        for range in tree.classifications {
            let start = range.range.lowerBound.utf8Offset, end = range.range.upperBound.utf8Offset
            guard start >= position, end <= bytes.count else { continue }
            if start > position { out.append(.text(String(decoding: bytes[position..<start], as: UTF8.self))) }
            let text = HTMLNode.text(String(decoding: bytes[start..<end], as: UTF8.self))
            if let cls = cssClass(range.kind) {
                out.append(.el("span", ["class": cls], [text]))
            } else {
                out.append(text)
            }
            position = end
        }
        if position < bytes.count { out.append(.text(String(decoding: bytes[position...], as: UTF8.self))) }
        return out
    }
}
