import Foundation

/// HTML escaping for text and attribute values.
enum HTML {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A link destination for an `href`/`src` attribute, spelled as cmark spells it: ASCII
    /// letters, digits and `-_.+!*(),%#@?=;:/$~` stay, `&` and `'` become entities, every other
    /// byte of the UTF-8 (spaces, `"`, `<`, `\\`, `[`, non-ASCII) is percent-encoded.
    static func escapeURL(_ url: String) -> String {
        var out = ""
        out.reserveCapacity(url.utf8.count)
        for byte in url.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case _ where urlSafe.contains(byte):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "&"): out += "&amp;"
            case UInt8(ascii: "'"): out += "&#x27;"
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0xF)])
            }
        }
        return out
    }

    private static let urlSafe = Set("-_.+!*(),%#@?=;:/$~".utf8)

    /// GFM's tagfilter: raw HTML may not open or close these tags (they would change how the
    /// rest of the page parses), so their `<` becomes `&lt;`. As in cmark-gfm, the name matches
    /// in any case (`<ScRiPt>` too) and must end at whitespace, `>` or `/>` (`<scripts>` stays).
    static func tagFiltered(_ html: String) -> String {
        guard html.contains("<") else { return html }
        let bytes = Array(html.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for i in bytes.indices {
            if bytes[i] == UInt8(ascii: "<"), opensFilteredTag(bytes, at: i) {
                out += "&lt;".utf8
            } else {
                out.append(bytes[i])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let filteredTags = ["title", "textarea", "style", "xmp", "iframe", "noembed", "noframes", "script", "plaintext"]

    private static func opensFilteredTag(_ bytes: [UInt8], at start: Int) -> Bool {
        var nameStart = start + 1
        if nameStart < bytes.count, bytes[nameStart] == UInt8(ascii: "/") { nameStart += 1 }
        for tag in filteredTags {
            var j = nameStart
            var matches = true
            for c in tag.utf8 {
                guard j < bytes.count, bytes[j] | 0x20 == c else { matches = false; break }
                j += 1
            }
            guard matches, j < bytes.count else { continue }
            switch bytes[j] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), 0x0B, 0x0C, UInt8(ascii: "\r"), UInt8(ascii: ">"):
                return true
            case UInt8(ascii: "/"):
                if j + 1 < bytes.count, bytes[j + 1] == UInt8(ascii: ">") { return true }
            default: break
            }
        }
        return false
    }

    /// `Loss landscapes & minima` → `loss-landscapes-minima`.
    static func slug(_ text: String) -> String {
        var out = ""
        var dash = false
        for c in text.lowercased() {
            if c.isLetter || c.isNumber {
                out.append(c)
                dash = false
            } else if !dash, !out.isEmpty {
                out.append("-")
                dash = true
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "section" : out
    }
}
