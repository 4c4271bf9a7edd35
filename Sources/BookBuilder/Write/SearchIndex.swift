/// The book's offline search index: one entry per section of every chapter, shipped as
/// script files so it works from `file://` (where `fetch` of a local file is refused).
///
/// Each shard `search/index-N.js` is a single call `litoptSearchShard(N, [[href, title,
/// chapter, text], …])`; the page loads the shards by inserting `<script>` tags the first
/// time the reader uses the search box, so a page's own weight does not grow with the book.
/// Entries keep reading order and shards are cut at a byte budget, so the same pages give
/// the same bytes.
struct SearchIndex: Equatable {
    struct Entry: Equatable {
        /// `02-sharpness.html#sam`.
        var href: String
        /// `2.3 Sharpness-aware minimization`.
        var title: String
        /// `2 Sharpness`.
        var chapter: String
        var text: String
    }

    var entries: [Entry]

    /// Shards stay below this many bytes unless a single entry is larger.
    static let shardBudget = 48 * 1024

    init(pages: [Page]) {
        entries = []
        for page in pages {
            let chapter = page.chapter.isNumbered ? "\(page.chapter.displayNumber) \(page.title)" : page.title
            entries.append(Entry(href: page.chapter.pageName, title: chapter, chapter: chapter, text: page.introduction))
            for section in page.sections {
                let title = section.number.map { "\($0) \(section.title)" } ?? section.title
                entries.append(Entry(href: "\(page.chapter.pageName)#\(section.id)", title: title, chapter: chapter,
                                     text: section.text))
            }
            // Definitions, theorems, exercises by name, as results of their own.
            for block in page.blocks {
                entries.append(Entry(href: "\(page.chapter.pageName)#\(block.id)", title: block.title, chapter: chapter,
                                     text: block.text))
            }
        }
    }

    /// The shards' sources, in order: shard `i` is written to `search/index-i.js`.
    var shards: [String] {
        var groups: [[String]] = [[]]
        var size = 0
        for entry in entries {
            let item = "[" + [entry.href, entry.title, entry.chapter, entry.text].map(Self.javaScriptString).joined(separator: ",") + "]"
            if size > 0, size + item.utf8.count > Self.shardBudget {
                groups.append([])
                size = 0
            }
            groups[groups.count - 1].append(item)
            size += item.utf8.count + 2
        }
        return groups.enumerated().map { n, items in
            "litoptSearchShard(\(n),[\n" + items.joined(separator: ",\n") + "\n]);\n"
        }
    }

    /// A JSON string literal, which is also a JavaScript one (U+2028/9 escaped, `</` broken up).
    static func javaScriptString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "/": out += out.hasSuffix("<") ? "\\/" : "/"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                        + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
