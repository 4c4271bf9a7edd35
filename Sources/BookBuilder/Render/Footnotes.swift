/// GFM footnotes (`text[^note]` … `[^note]: …`), numbered per chapter in the order they are
/// first referenced, gathered at the end of the page with a link back to each reference.
extension PageRenderer {
    /// `<sup>` with a link to footnote `number`; the k-th reference to it is `fnref-N-k`.
    mutating func footnoteReferenceNode(_ number: Int) -> HTMLNode {
        // Inside a link's text the reference reads as its number: anchors cannot nest.
        guard insideLink == 0 else { return .el("sup", ["class": "footnote-ref"], [.text("\(number)")]) }
        let count = (footnoteReferences[number] ?? 0) + 1
        footnoteReferences[number] = count
        let id = count == 1 ? "fnref-\(number)" : "fnref-\(number)-\(count)"
        return .el("sup", ["class": "footnote-ref"], [.el("a", ["href": "#fn-\(number)", "id": id], [.text("\(number)")])])
    }

    /// The chapter's footnotes as an ordered list; each ends with links back to its references.
    mutating func renderFootnotes() {
        guard !footnotes.isEmpty else { return }
        var items: [HTMLNode] = [.newline]
        for (k, blocks) in footnotes.enumerated() {
            let number = k + 1
            var note = rendered(blocks)
            let count = max(1, footnoteReferences[number] ?? 0)
            var backs: [HTMLNode] = []
            for k in 1...count {
                let id = k == 1 ? "fnref-\(number)" : "fnref-\(number)-\(k)"
                let label = count == 1 ? "Back to reference \(number)" : "Back to reference \(number) (\(k))"
                if k > 1 { backs.append(.text(" ")) }
                backs.append(.el("a", ["href": "#\(id)", "class": "footnote-back", "aria-label": label],
                                 [.text("↩")] + (count == 1 ? [] : [.el("sup", [:], [.text("\(k)")])])))
            }
            // In the last paragraph, as GitHub does; else after the note's blocks.
            if note.count >= 2, note[note.count - 1] == .newline, case .element("p", let attributes, let children) = note[note.count - 2] {
                note[note.count - 2] = .element("p", attributes, children + [.text(" ")] + backs)
            } else {
                note += [.el("p", [:], backs), .newline]
            }
            items += [.el("li", ["id": "fn-\(number)"], [.newline] + note), .newline]
        }
        out += [.el("section", ["class": "footnotes", "aria-label": "Footnotes"], [.newline, .el("ol", [:], items), .newline]), .newline]
    }
}
