import Foundation

/// What raw HTML written in a chapter may do in the page.
///
/// By default a chapter's HTML is kept except what runs script: every event-handler
/// attribute (`onerror=`, `onclick=`, …), every URL attribute whose scheme is `javascript:`,
/// `vbscript:` or `data:` (a `data:image/…` picture excepted), `style` attributes holding a
/// script, and the tags that would act on the whole page (`<base>`, `<meta>`, `<link>`,
/// `<object>`, `<embed>`, `<applet>`, `<frame>`, `<frameset>`; GFM's tag filter already
/// disarms `<script>`, `<iframe>`, `<style>` and the like). Each removal is reported as a
/// warning at its line. Markdown links and images with such URLs lose the URL the same way.
/// `trust-html: true` in book.yml keeps raw HTML as written.
enum HTMLPolicy {
    /// What was removed, for the warning: "the onerror attribute", "a javascript: URL".
    struct Removal: Equatable {
        var description: String
        /// Text of the chapter to find the place by (`onerror`, the URL).
        var needle: String
    }

    static let urlAttributes: Set<String> = [
        "href", "src", "action", "formaction", "data", "xlink:href", "poster", "background", "cite", "codebase",
        "srcset", "lowsrc", "dynsrc", "ping", "manifest", "longdesc", "usemap", "icon", "archive", "classid", "srcdoc",
    ]
    static let blockedTags: Set<String> = ["base", "meta", "link", "object", "embed", "applet", "frame", "frameset"]

    /// The scheme of a URL as a browser reads it (entities decoded, whitespace and control
    /// characters ignored, any case), if it is one that runs script or smuggles a document.
    static func dangerousScheme(_ url: String, image: Bool = false) -> String? {
        let decoded = decodeEntities(url)
        let squeezed = String(String.UnicodeScalarView(decoded.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F }))
            .lowercased()
        for scheme in ["javascript:", "vbscript:", "data:", "livescript:"] where squeezed.hasPrefix(scheme) {
            if scheme == "data:", image,
               squeezed.range(of: #"^data:image/(png|jpeg|gif|webp|avif)[;,]"#, options: .regularExpression) != nil {
                return nil
            }
            return String(scheme.dropLast())
        }
        return nil
    }

    /// `&#106;`, `&#x6A;`, `&colon;`, `&Tab;`, `&NewLine;`, `&amp;` … decoded (enough for scheme checks).
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        let named: [String: String] = ["colon": ":", "tab": "\t", "newline": "\n", "amp": "&", "lt": "<", "gt": ">",
                                       "quot": "\"", "apos": "'", "sol": "/", "lpar": "(", "rpar": ")"]
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            rest = rest[rest.index(after: amp)...]
            let body = rest.prefix { $0.isLetter || $0.isNumber || $0 == "#" }
            var replacement: String?
            if body.hasPrefix("#x") || body.hasPrefix("#X") {
                replacement = UInt32(body.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
            } else if body.hasPrefix("#") {
                replacement = UInt32(body.dropFirst()).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
            } else {
                replacement = named[body.lowercased()]
            }
            if let replacement {
                out += replacement
                rest = rest.dropFirst(body.count)
                if rest.first == ";" { rest = rest.dropFirst() }
            } else {
                out += "&"
            }
        }
        return out + rest
    }

    /// `html` with everything that runs script removed, and what was removed.
    static func sanitize(_ html: String) -> (html: String, removed: [Removal]) {
        guard html.contains("<") else { return (html, []) }
        let s = Array(html.unicodeScalars)
        var out = String.UnicodeScalarView()
        var removed: [Removal] = []
        var i = 0
        func isNameStart(_ c: Unicode.Scalar) -> Bool { c.properties.isAlphabetic && c.isASCII }
        while i < s.count {
            let c = s[i]
            guard c == "<", i + 1 < s.count else { out.append(c); i += 1; continue }
            // Comments pass through whole.
            if s[i + 1] == "!" {
                out.append(c)
                i += 1
                continue
            }
            var j = i + 1
            let closing = s[j] == "/"
            if closing { j += 1 }
            guard j < s.count, isNameStart(s[j]) else { out.append(c); i += 1; continue }
            var name = ""
            while j < s.count, !(s[j].properties.isWhitespace || s[j] == ">" || s[j] == "/") {
                name.unicodeScalars.append(s[j])
                j += 1
            }
            let tag = name.lowercased()
            if blockedTags.contains(tag) {
                if !closing { removed.append(Removal(description: "the <\(tag)> tag", needle: "<" + name)) }
                out.append(contentsOf: "&lt;".unicodeScalars)
                i += 1
                continue
            }
            if closing { out.append(c); i += 1; continue }
            // Attributes, up to the tag's end.
            var rebuilt = String.UnicodeScalarView("<".unicodeScalars)
            rebuilt.append(contentsOf: name.unicodeScalars)
            var ended = false
            while j < s.count {
                let start = j
                while j < s.count, s[j].properties.isWhitespace { j += 1 }
                guard j < s.count else { break }
                if s[j] == ">" { rebuilt.append(contentsOf: s[start...j]); j += 1; ended = true; break }
                if s[j] == "/" { rebuilt.append(contentsOf: s[start...j]); j += 1; continue }
                var attribute = ""
                while j < s.count, !(s[j].properties.isWhitespace || s[j] == "=" || s[j] == ">" || (s[j] == "/" && !attribute.isEmpty)) {
                    attribute.unicodeScalars.append(s[j])
                    j += 1
                }
                if attribute.isEmpty { rebuilt.append(s[j]); j += 1; continue }
                var value: String?
                var k = j
                while k < s.count, s[k].properties.isWhitespace { k += 1 }
                if k < s.count, s[k] == "=" {
                    k += 1
                    while k < s.count, s[k].properties.isWhitespace { k += 1 }
                    var v = ""
                    if k < s.count, s[k] == "\"" || s[k] == "'" {
                        let quote = s[k]
                        k += 1
                        while k < s.count, s[k] != quote { v.unicodeScalars.append(s[k]); k += 1 }
                        if k < s.count { k += 1 }
                    } else {
                        while k < s.count, !(s[k].properties.isWhitespace || s[k] == ">") { v.unicodeScalars.append(s[k]); k += 1 }
                    }
                    value = v
                    j = k
                }
                let lower = attribute.lowercased()
                // The attribute as written, to find its place in the chapter by.
                let written = String(String.UnicodeScalarView(s[start..<j])).trimmingCharacters(in: .whitespacesAndNewlines)
                var drop: Removal?
                if lower.hasPrefix("on") {
                    drop = Removal(description: "the \(lower) attribute", needle: written)
                } else if urlAttributes.contains(lower), let value,
                          let scheme = dangerousScheme(value, image: tag == "img" && (lower == "src" || lower == "srcset")) {
                    drop = Removal(description: "a \(scheme): URL in \(lower)", needle: written)
                } else if lower == "style", let value {
                    let v = decodeEntities(value).lowercased().filter { !$0.isWhitespace }
                    if v.contains("expression(") || v.contains("javascript:") || v.contains("vbscript:") || v.contains("-moz-binding") {
                        drop = Removal(description: "a style attribute with a script in it", needle: written)
                    }
                }
                if let drop {
                    removed.append(drop)
                } else {
                    rebuilt.append(contentsOf: s[start..<j])
                }
            }
            out.append(contentsOf: rebuilt)
            if !ended { /* an unterminated tag: kept as parsed so far */ }
            i = j
        }
        return (String(out), removed)
    }
}
