import Testing
@testable import BookBuilder

@Suite struct MarkdownParserTests {
    func parse(_ markdown: String, lineOffset: Int = 0) throws -> Document {
        try MarkdownParser.parse(markdown, file: "Chapters/01-x.md", lineOffset: lineOffset)
    }

    @Test func cellsCarrySourceOptionsAndFenceLine() throws {
        let doc = try parse("""
        # Title

        Prose.

        ```swift {echo=false, caption="A, b", timeout=5}
        let x = 1
        print(x)
        ```

        ```python
        not a cell
        ```

        ```swift
        x
        ```
        """, lineOffset: 3)
        let cells = doc.cells
        #expect(cells.count == 2)
        #expect(cells[0].source == "let x = 1\nprint(x)")
        #expect(cells[0].fenceLine == 5 + 3)
        #expect(cells[0].options.echo == false)
        #expect(cells[0].options.caption == "A, b")
        #expect(cells[0].options.timeout == 5)
        #expect(cells[1].index == 1)
        #expect(cells[1].fenceLine == 14 + 3)
        #expect(cells[1].options == CellOptions())
    }

    @Test func mathSpansSurviveUntouched() throws {
        let doc = try parse("Inline $a_1 * b_2 * c_3$ and $x_*$ with *real* emphasis, and `$not math$`.")
        guard case .paragraph(let inlines) = doc.blocks[0] else { Issue.record("not a paragraph"); return }
        #expect(inlines.contains(.math(tex: "a_1 * b_2 * c_3", display: false, at: SourcePosition(line: 1, column: 8))))
        #expect(inlines.contains(.math(tex: "x_*", display: false, at: SourcePosition(line: 1, column: 30))))
        #expect(inlines.contains(.emphasis([.text("real", at: SourcePosition(line: 1, column: 42))])))
        #expect(inlines.contains(.code("$not math$", at: SourcePosition(line: 1, column: 63))))
    }

    @Test func displayMathOnItsOwnBecomesABlockAndKeepsLaterLines() throws {
        let doc = try parse("""
        Before.

        $$
        L(w) = \\frac{1}{n} \\sum_i \\ell_i(w)
        $$

        ```swift
        print(1)
        ```
        """)
        #expect(doc.blocks[1] == .math(tex: "L(w) = \\frac{1}{n} \\sum_i \\ell_i(w)", line: 3))
        // The three-line formula became one token for cmark; the cell's line must not shift.
        #expect(doc.cells[0].fenceLine == 7)
    }

    @Test func dollarsThatAreNotMath() throws {
        let doc = try parse("It costs $5 and $10, or \\$3.")
        guard case .paragraph(let inlines) = doc.blocks[0] else { Issue.record("not a paragraph"); return }
        #expect(!inlines.contains { if case .math = $0 { return true } else { return false } })
    }

    @Test func gfmTablesAndStrikethrough() throws {
        let doc = try parse("""
        | method | memory |
        |:-------|-------:|
        | SGD    | 0      |
        | Adam   | ~~1~~ 2 |
        """)
        guard case .table(let table) = doc.blocks[0] else { Issue.record("not a table"); return }
        #expect(table.alignments == [.left, .right])
        #expect(table.header.map(\.plainText) == ["method", "memory"])
        #expect(table.rows.count == 2)
        #expect(table.rows[1][1].first == .strikethrough([.text("1", at: SourcePosition(line: 4, column: 14))]))
        var renderer = PageRenderer(chapter: .fixture, document: doc, run: nil)
        let html = renderer.render().body
        #expect(html.contains("<th style=\"text-align:left\">method</th>"))
        #expect(html.contains("<td style=\"text-align:right\"><del>1</del> 2</td>"))
    }

    @Test func calloutsFromBlockquoteMarkers() throws {
        let doc = try parse("""
        > [!TAKEAWAY] Flat is not the whole story
        > Sharpness depends on the parametrization.
        """)
        guard case .callout(let kind, let title, let body) = doc.blocks[0] else { Issue.record("no callout"); return }
        #expect(kind == "takeaway")
        #expect(title.plainText == "Flat is not the whole story")
        #expect(body == [.paragraph([.text("Sharpness depends on the parametrization.", at: SourcePosition(line: 2, column: 3))])])
    }

    @Test func unknownOptionPointsAtItsColumn() throws {
        #expect {
            try parse("Text.\n\n```swift {echo=false, colour=red}\nprint(1)\n```\n")
        } throws: { error in
            guard let failure = error as? BuildFailure, let d = failure.diagnostics.first else { return false }
            return d.line == 3 && d.column == 23 && d.message.hasPrefix("unknown cell option 'colour'")
                && d.message.contains("echo, output, eval")
        }
    }

    @Test func illTypedOptionIsAnError() throws {
        #expect(throws: BuildFailure.self) { try parse("```swift {timeout=soon}\nprint(1)\n```") }
        #expect(throws: BuildFailure.self) { try parse("```swift {echo=maybe}\nprint(1)\n```") }
        #expect(throws: BuildFailure.self) { try parse("```swift {echo=false\nprint(1)\n```") }
    }
}

extension Chapter {
    static let fixture = Chapter(displayPath: "Chapters/01-x.md", path: "/tmp/01-x.md", slug: "x", number: 1,
                                 body: "", bodyLineOffset: 0, frontMatter: FrontMatter())
}
