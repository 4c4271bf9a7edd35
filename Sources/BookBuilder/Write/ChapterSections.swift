/// A chapter page cut at its outline's headings: what the on-page outline lists and what
/// search results link to (`page.html#section`).
///
/// The cut points are the `<h2 … id="…">`/`<h3 … id="…">` tags the renderer wrote for the
/// headings of `Page.outline`; each section's text runs to the next outline heading. A
/// heading that cannot be found leaves its text to the section before it.
struct ChapterSections {
    struct Section: Equatable {
        var level: Int
        var id: String
        /// `1.2`, when the heading is numbered.
        var number: String?
        var title: String
        /// Visible text of the section, heading excluded.
        var text: String
    }

    /// Text before the first outline heading (the chapter's title and introduction).
    var introduction: String
    var sections: [Section]

    init(_ page: Page) {
        let body = page.body
        var cuts: [(heading: Page.Heading, start: String.Index, headingEnd: String.Index)] = []
        var searchFrom = body.startIndex
        for heading in page.outline {
            // The heading's start tag, whatever other attributes it carries.
            let idAttribute = " id=\"\(heading.id)\""
            var found: (start: String.Index, end: String.Index)?
            var from = searchFrom
            while found == nil, let attribute = body.range(of: idAttribute, range: from..<body.endIndex) {
                from = attribute.upperBound
                guard let tagStart = body[..<attribute.lowerBound].lastIndex(of: "<"),
                      body[tagStart..<attribute.lowerBound].hasPrefix("<h\(heading.level)"),
                      let end = body.range(of: "</h\(heading.level)>", range: attribute.upperBound..<body.endIndex)
                else { continue }
                found = (tagStart, end.upperBound)
            }
            guard let found else { continue }
            cuts.append((heading, found.start, found.end))
            searchFrom = found.end
        }
        var intro = body[..<(cuts.first?.start ?? body.endIndex)]
        if let title = intro.range(of: "</h1>") { intro = intro[title.upperBound...] }
        introduction = PlainText.of(String(intro))
        sections = cuts.indices.map { i in
            let cut = cuts[i]
            let headingHTML = String(body[cut.start..<cut.headingEnd])
            let textEnd = i + 1 < cuts.count ? cuts[i + 1].start : body.endIndex
            var number: String?
            if let open = headingHTML.range(of: "<span class=\"section-number\">"),
               let close = headingHTML.range(of: "</span>", range: open.upperBound..<headingHTML.endIndex) {
                number = String(headingHTML[open.upperBound..<close.lowerBound])
            }
            return Section(level: cut.heading.level, id: cut.heading.id, number: number, title: cut.heading.text,
                           text: PlainText.of(String(body[cut.headingEnd..<textEnd])))
        }
    }
}
