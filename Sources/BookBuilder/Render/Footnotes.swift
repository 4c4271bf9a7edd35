/// GFM footnotes (`text[^note]` … `[^note]: …`), numbered per chapter in the order they are
/// first referenced, gathered at the end of the page with a link back to each reference.
extension PageRenderer {
    /// `<sup>` with a link to footnote `number`; the k-th reference to it is `fnref-N-k`.
    mutating func footnoteReferenceHTML(_ number: Int) -> String {
        // Inside a link's text the reference reads as its number: anchors cannot nest.
        guard insideLink == 0 else { return "<sup class=\"footnote-ref\">\(number)</sup>" }
        let count = (footnoteReferences[number] ?? 0) + 1
        footnoteReferences[number] = count
        let id = count == 1 ? "fnref-\(number)" : "fnref-\(number)-\(count)"
        return "<sup class=\"footnote-ref\"><a href=\"#fn-\(number)\" id=\"\(id)\">\(number)</a></sup>"
    }

    /// The chapter's footnotes as an ordered list; each ends with links back to its references.
    mutating func renderFootnotes() {
        guard !footnotes.isEmpty else { return }
        let before = html
        var items = ""
        for (k, blocks) in footnotes.enumerated() {
            let number = k + 1
            html = ""
            blocks.forEach { render($0) }
            var text = html
            let count = max(1, footnoteReferences[number] ?? 0)
            let backs = (1...count).map { k in
                let id = k == 1 ? "fnref-\(number)" : "fnref-\(number)-\(k)"
                let label = count == 1 ? "Back to reference \(number)" : "Back to reference \(number) (\(k))"
                return "<a href=\"#\(id)\" class=\"footnote-back\" aria-label=\"\(label)\">↩\(count == 1 ? "" : "<sup>\(k)</sup>")</a>"
            }.joined(separator: " ")
            // In the last paragraph, as GitHub does; else after the note's blocks.
            if text.hasSuffix("</p>\n") {
                text = String(text.dropLast("</p>\n".count)) + " " + backs + "</p>\n"
            } else {
                text += "<p>" + backs + "</p>\n"
            }
            items += "<li id=\"fn-\(number)\">\n" + text + "</li>\n"
        }
        html = before + "<section class=\"footnotes\" aria-label=\"Footnotes\">\n<ol>\n" + items + "</ol>\n</section>\n"
    }
}
