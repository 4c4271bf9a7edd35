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

    /// GFM's tagfilter: raw HTML may not open these tags (they would change how the page parses).
    static func tagFiltered(_ html: String) -> String {
        var out = html
        for tag in ["title", "textarea", "style", "xmp", "iframe", "noembed", "noframes", "script", "plaintext"] {
            for opening in ["<\(tag)", "<\(tag.uppercased())", "</\(tag)", "</\(tag.uppercased())"] {
                out = out.replacingOccurrences(of: opening, with: "&lt;" + opening.dropFirst())
            }
        }
        return out
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
