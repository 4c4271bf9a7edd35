/// Definitions, theorems and their kin, written in the callout syntax and numbered per
/// chapter like figures: `> [!DEFINITION] Strict saddle {#def-strict-saddle}` renders as
/// "Definition 7.2 (Strict saddle)" and `@def-strict-saddle` links to it. Each kind counts
/// on its own (Definition 7.1, Theorem 7.1). Exercises are numbered the same way; a
/// `> [!SOLUTION]` inside one, and any `> [!PROOF]`, fold into a `<details>` that the reader
/// opens (it needs no script).
enum NumberedBlock {
    /// Callout kind → the prefix its labels carry and the name readers see.
    static let kinds: [String: (prefix: String, name: String)] = [
        "definition": ("def", "Definition"), "theorem": ("thm", "Theorem"), "proposition": ("prp", "Proposition"),
        "lemma": ("lem", "Lemma"), "corollary": ("cor", "Corollary"), "example": ("exm", "Example"),
        "remark": ("rem", "Remark"), "exercise": ("exr", "Exercise"),
    ]
    /// Callouts that fold: closed until the reader opens them.
    static let folded: [String: String] = ["proof": "Proof", "solution": "Solution"]

    static var prefixes: [String] { kinds.values.map(\.prefix).sorted() }

    /// The title without a trailing `{#label}`, and the label.
    static func split(_ title: [Inline]) -> (title: [Inline], label: String?) {
        guard case .text(let last, let at)? = title.last, last.hasSuffix("}"),
              let open = last.range(of: "{#", options: .backwards) else { return (title, nil) }
        let name = String(last[open.upperBound..<last.index(before: last.endIndex)])
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else { return (title, nil) }
        var kept = title
        let rest = String(last[..<open.lowerBound]).replacingOccurrences(of: " +$", with: "", options: .regularExpression)
        if rest.isEmpty { kept.removeLast() } else { kept[kept.count - 1] = .text(rest, at: at) }
        return (kept, name)
    }
}

extension PageRenderer {
    /// Renders a numbered or folded callout; false for any other kind.
    mutating func renderNumberedBlock(kind: String, title: [Inline], inner: [Block]) -> Bool {
        if let name = NumberedBlock.folded[kind] {
            let label: [HTMLNode] = title.isEmpty ? [.text(name)] : inlineNodes(title)
            out += [.el("details", ["class": "callout callout-\(kind)"], [.el("summary", [:], label), .newline] + rendered(inner)), .newline]
            return true
        }
        guard let name = NumberedBlock.kinds[kind]?.name else { return false }
        if kind == "exercise", collectsExercises, !renderingHeldExercises {
            heldExercises.append((title, inner))
            return true
        }
        let count = (blockCounts[kind] ?? 0) + 1
        blockCounts[kind] = count
        let number = labels.blockNumber(chapter: chapter.number, kind: kind, ordinal: count)
            ?? (chapter.isNumbered ? "\(chapter.displayNumber).\(count)" : "\(count)")
        let (titleInlines, label) = NumberedBlock.split(title)
        var heading: [HTMLNode] = [.el("span", ["class": "block-number"], [.text("\(name) \(number)")])]
        if !titleInlines.isEmpty { heading += [.text(" (")] + inlineNodes(titleInlines) + [.text(")")] }
        let attributes = [HTMLAttribute("class", "callout callout-\(kind) numbered")] + (label.map { [HTMLAttribute("id", $0)] } ?? [])
        let block: [HTMLNode] = [.el("div", attributes: attributes, [.el("p", ["class": "callout-title"], heading), .newline] + rendered(inner)),
                                 .newline]
        out += block
        if let label {
            let text = titleInlines.isEmpty ? "\(name) \(number)" : "\(name) \(number) \(titleInlines.plainText)"
            numberedBlocks.append(Page.Labelled(id: label, title: text, text: PlainText.of(block)))
        }
        return true
    }
}

extension PageRenderer {
    /// Whether this chapter's exercises go to an "Exercises" section at its end: its front
    /// matter's `exercises`, else book.yml's.
    var collectsExercises: Bool { (chapter.frontMatter.exercises ?? bookExercises) == .end }

    /// The chapter's exercises, in the order written, under an "Exercises" heading after the
    /// last block (and before the footnotes and references). Each keeps its number, id and
    /// folded solution; nothing is left where it was written, as in a printed textbook.
    mutating func renderExercisesSection() {
        guard !heldExercises.isEmpty else { return }
        let exercises = heldExercises
        heldExercises = []
        renderingHeldExercises = true
        defer { renderingHeldExercises = false }
        let id = uniqueID("exercises")
        outline.append(.init(level: 2, text: "Exercises", id: id))
        let blocks = collecting { renderer in
            for exercise in exercises { _ = renderer.renderNumberedBlock(kind: "exercise", title: exercise.title, inner: exercise.inner) }
        }
        out += [.el("section", ["class": "exercises-section", "aria-labelledby": id],
                    [.newline, Self.selfLinkedHeading(level: 2, id: id, "Exercises"), .newline] + blocks), .newline]
    }
}

extension PageRenderer {
    /// `<hN id="…"><a class="anchor" href="#…">title</a></hN>`, for the sections the builder adds.
    static func selfLinkedHeading(level: Int, id: String, _ title: String) -> HTMLNode {
        .el("h\(level)", ["id": id], [.el("a", ["class": "anchor", "href": "#" + id], [.text(title)])])
    }
}
