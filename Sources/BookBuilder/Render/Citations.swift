import Foundation

/// Citations in prose, written the way pandoc and Quarto read them:
///
/// - `[@foret2021]` → (Foret et al., 2021)
/// - `[@keskar2017; @dinh2017]` → (Keskar et al., 2017; Dinh et al., 2017)
/// - `[see @li2018, sec. 4]` → (see Li et al., 2018, sec. 4); `[-@foret2021]` → (2021)
/// - `@foret2021` → Foret et al. (2021); `@foret2021 [sec. 3]` → Foret et al. (2021, sec. 3)
///
/// A key that starts like a cross-reference label (`fig-`, `eq-`, `sec-`, `def-`, …) is not
/// a citation: `@fig-bowl` stays a reference to a figure, so the two never read alike.
struct Citation: Equatable {
    struct Item: Equatable {
        /// "see " before the key, "sec. 4" after it (the comma dropped).
        var prefix: String
        var key: String
        var locator: String
        /// `-@key`: the year alone.
        var suppressAuthor: Bool
    }

    var items: [Item]
    /// `@key` in the sentence rather than `[@key]` in brackets.
    var inText: Bool

    enum Segment: Equatable {
        case text(String)
        case citation(Citation)
    }

    /// `text` cut into plain runs and citations. `inText`: whether a bare `@key` is a citation
    /// (only in a book with a bibliography; elsewhere an `@word` is just text).
    static func segments(_ text: String, inText: Bool) -> [Segment] {
        let chars = Array(text)
        var segments: [Segment] = []
        var plain = ""
        var i = 0
        func flush() {
            if !plain.isEmpty { segments.append(.text(plain)); plain = "" }
        }
        while i < chars.count {
            let c = chars[i]
            if c == "[", let close = chars[(i + 1)...].firstIndex(where: { $0 == "]" || $0 == "[" }), chars[close] == "]",
               let items = group(String(chars[(i + 1)..<close])) {
                flush()
                segments.append(.citation(Citation(items: items, inText: false)))
                i = close + 1
                continue
            }
            if inText, c == "@", i == 0 || !(chars[i - 1].isLetter || chars[i - 1].isNumber || "_.@".contains(chars[i - 1])),
               let found = key(chars, from: i + 1), !isCrossReference(found.key) {
                flush()
                let end = found.end
                var item = Item(prefix: "", key: found.key, locator: "", suppressAuthor: false)
                var next = end
                // `@key [sec. 3]`: a locator in brackets right after the key.
                var j = end
                if j < chars.count, chars[j] == " " { j += 1 }
                if j < chars.count, chars[j] == "[",
                   let close = chars[(j + 1)...].firstIndex(where: { $0 == "]" || $0 == "[" || $0 == "@" }), chars[close] == "]" {
                    let locator = String(chars[(j + 1)..<close]).trimmingCharacters(in: .whitespaces)
                    if !locator.isEmpty {
                        item.locator = locator
                        next = close + 1
                    }
                }
                segments.append(.citation(Citation(items: [item], inText: true)))
                i = next
                continue
            }
            plain.append(c)
            i += 1
        }
        flush()
        return segments
    }

    /// The items of `[…]`'s contents when every `;`-separated part holds one `@key`; else nil.
    static func group(_ content: String) -> [Item]? {
        var items: [Item] = []
        for part in content.split(separator: ";", omittingEmptySubsequences: false) {
            let chars = Array(part)
            // The `@` that starts the key: at the start or after a space, optionally with `-` before it.
            guard let at = chars.indices.first(where: { k in
                chars[k] == "@" && (k == 0 || chars[k - 1].isWhitespace
                    || (chars[k - 1] == "-" && (k == 1 || chars[k - 2].isWhitespace)))
            }), let found = key(chars, from: at + 1), !isCrossReference(found.key) else { return nil }
            let end = found.end
            let suppress = at > 0 && chars[at - 1] == "-"
            let prefix = String(chars[..<(suppress ? at - 1 : at)]).trimmingCharacters(in: .whitespaces)
            var locator = String(chars[end...]).trimmingCharacters(in: .whitespaces)
            if locator.hasPrefix(",") { locator = String(locator.dropFirst()).trimmingCharacters(in: .whitespaces) }
            if locator.contains("@") { return nil }
            items.append(Item(prefix: prefix, key: found.key, locator: locator, suppressAuthor: suppress))
        }
        return items.isEmpty ? nil : items
    }

    /// A citation key at `start`: letters, digits and `_`, with `:`, `.`, `-`, `/` inside it
    /// (a key never ends with punctuation: `@foret2021.` cites foret2021).
    static func key(_ chars: [Character], from start: Int) -> (key: String, end: Int)? {
        func isKeyCharacter(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_") }
        guard start < chars.count, isKeyCharacter(chars[start]) else { return nil }
        var end = start + 1
        while end < chars.count {
            if isKeyCharacter(chars[end]) { end += 1; continue }
            if ":.-/".contains(chars[end]), end + 1 < chars.count, isKeyCharacter(chars[end + 1]) { end += 2; continue }
            break
        }
        return (String(chars[start..<end]), end)
    }

    static func isCrossReference(_ key: String) -> Bool {
        LabelIndex.referencePrefixes.contains { key.hasPrefix($0 + "-") }
    }
}

extension PageRenderer {
    /// `text` with its citations rendered, or nil when it holds none (then it is ordinary text).
    /// `position`: where `text` starts in the chapter; each citation's keys are looked for from
    /// there on, in order.
    mutating func citationNodes(_ text: String, at position: SourcePosition) -> [HTMLNode]? {
        let segments = Citation.segments(text, inText: bibliography != nil)
        guard segments.contains(where: { if case .citation = $0 { return true } else { return false } }) else { return nil }
        var out: [HTMLNode] = []
        var cursor = lines.cursor(at: position)
        for segment in segments {
            switch segment {
            case .text(let plain):
                // Placed where it reads on the line, when it reads as written; the next
                // citation is looked for after it.
                let before = cursor.position
                out += textNodes(plain, at: cursor.next(plain) ?? before)
            case .citation(let citation): out += citationNodes(citation, cursor: &cursor, node: position)
            }
        }
        return out
    }

    mutating func citationNodes(_ citation: Citation, cursor: inout LineMap.Cursor, node: SourcePosition) -> [HTMLNode] {
        var parts: [[HTMLNode]] = []
        for item in citation.items {
            let place = Self.nextKey(item.key, cursor: &cursor) ?? node
            guard let bibliography, bibliography[item.key] != nil else {
                let (line, column) = (place.line, place.column)
                let message = bibliography == nil
                    ? "citation '@\(item.key)', but the book has no bibliography (add Chapters/references.bib, or name one with 'bibliography:' in book.yml)"
                    : "citation of unknown key '\(item.key)' (not in \(bibliography!.file))"
                problems.append(Diagnostic(file: chapter.displayPath, line: line, column: column, message: message,
                                           sourceLine: lines.text(ofLine: line)))
                parts.append([.text((item.prefix.isEmpty ? "" : item.prefix + " ") + "@" + item.key)])
                continue
            }
            if !citedKeys.contains(item.key) { citedKeys.append(item.key) }
            let authors = bibliography.authors(item.key), year = bibliography.year(item.key)
            let label: String
            if citation.inText {
                label = "\(authors) (\(year)\(item.locator.isEmpty ? "" : ", " + item.locator))"
            } else {
                label = item.suppressAuthor ? year : "\(authors), \(year)"
            }
            var part: [HTMLNode] = item.prefix.isEmpty ? [] : [.text(item.prefix + " ")]
            // Inside a link's text the citation reads as its label: anchors cannot nest.
            part.append(insideLink > 0 ? .text(label) : .el("a", ["class": "cite", "href": "#ref-" + item.key], [.text(label)]))
            if !citation.inText, !item.locator.isEmpty { part.append(.text(", " + item.locator)) }
            parts.append(part)
        }
        if citation.inText { return parts.flatMap { $0 } }
        return [.text("(")] + Array(parts.joined(separator: [.text("; ")])) + [.text(")")]
    }

    /// Where `@key` next occurs on the cursor's line, not as the start of a longer key; the
    /// cursor moves past it, or stays where it was if it is not there.
    static func nextKey(_ key: String, cursor: inout LineMap.Cursor) -> SourcePosition? {
        let needle = "@" + key
        var probe = cursor
        while let place = probe.next(needle) {
            let after = probe.lines.text(ofLine: place.line)?.dropFirst(probe.position.column - 1).first
            if after.map({ !($0.isLetter || $0 == "_" || $0.isNumber) }) ?? true {
                cursor = probe
                return place
            }
        }
        return nil
    }

    /// The chapter's "References": every work it cites, in reference-list order.
    mutating func renderReferences() {
        guard let bibliography, !citedKeys.isEmpty else { return }
        let id = uniqueID("references")
        outline.append(.init(level: 2, text: "References", id: id))
        out += [.el("section", ["class": "references-section", "aria-labelledby": id],
                    [.newline, Self.selfLinkedHeading(level: 2, id: id, "References"), .newline] + bibliography.listNodes(citedKeys)),
                .newline]
    }
}

/// The book's bibliography page: every cited work, each with links to the chapters citing it.
enum BibliographyPage {
    static let fileStem = "bibliography"

    /// `cited[i]`: the keys page `i` cites. Nil when nothing is cited.
    static func page(_ bibliography: Bibliography, pages: [Page], cited: [[String]], directory: String) throws(BuildFailure) -> Page? {
        if let clash = pages.first(where: { $0.chapter.pageName == fileStem + ".html" }) {
            throw BuildFailure([Diagnostic(file: clash.chapter.displayPath,
                                           message: "this chapter's page would replace the bibliography page (\(fileStem).html); rename the file")])
        }
        var citedIn: [String: [Int]] = [:]
        for (i, keys) in cited.enumerated() {
            for key in keys where citedIn[key]?.last != i { citedIn[key, default: []].append(i) }
        }
        guard !citedIn.isEmpty else { return nil }
        var body: [HTMLNode] = [.el("h1", [:], [.text("Bibliography")]), .newline]
        body += bibliography.listNodes(citedIn.keys) { key in
            let links = citedIn[key]!.map { i -> [HTMLNode] in
                let chapter = pages[i].chapter
                let name = chapter.isNumbered ? chapter.kicker : pages[i].title
                return [.el("a", ["href": chapter.pageName + "#references"], [.text(name)])]
            }
            return [.text(" "), .el("span", ["class": "cited-in"], [.text("Cited in ")] + Array(links.joined(separator: [.text(", ")])) + [.text(".")])]
        }
        var front = FrontMatter(title: "Bibliography")
        front.numbered = false
        var chapter = Chapter(displayPath: bibliography.file, path: directory + "/\(fileStem).md", slug: fileStem,
                              number: (pages.map(\.chapter.number).max() ?? 0) + 1, body: "", bodyLineOffset: 0,
                              frontMatter: front)
        chapter.label = ""
        return Page(chapter: chapter, title: "Bibliography", content: body, outline: [], assets: [])
    }
}
