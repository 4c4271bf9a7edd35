import Foundation
import Testing
@testable import BookBuilder

/// Inline nodes carry where they start in the chapter file, and what the renderer reports
/// about a node is placed from it: the k-th of several identical mistakes at its own place,
/// in paragraphs, lists, quotes and tables, after formulas and wide characters, with front
/// matter above.
@Suite struct SourcePositionTests {
    /// The renderer's problems (line, column) for `markdown` parsed as a chapter whose body
    /// starts after `offset` lines of front matter.
    func problems(_ markdown: String, offset: Int = 0) throws -> [Diagnostic] {
        var chapter = Chapter.fixture
        chapter.body = markdown
        chapter.bodyLineOffset = offset
        let document = try MarkdownParser.parse(markdown, file: chapter.displayPath, lineOffset: offset)
        var renderer = PageRenderer(chapter: chapter, document: document, run: nil)
        _ = renderer.render()
        return renderer.problems + renderer.warnings
    }

    func places(_ diagnostics: [Diagnostic]) -> [String] { diagnostics.map { "\($0.line):\($0.column)" } }

    @Test func repeatedUnknownReferencesAreEachAtTheirOwnPlace() throws {
        let found = try problems("""
            See @fig-nope and @fig-nope, then *@fig-nope*.
            Again @fig-nope.

            - item @fig-nope
              continued @fig-nope
            """)
        #expect(places(found) == ["1:5", "1:19", "1:36", "2:7", "4:8", "5:13"])
        #expect(found.allSatisfy { $0.message == "reference to unknown label 'fig-nope'" })
        #expect(found[4].sourceLine == "- item @fig-nope")
    }

    @Test func aRepeatedMistakeThatOpensItsLineIsNotPlacedTwiceAtTheStart() throws {
        // The search for the second starts after the first, even when the first is where the
        // text starts.
        let found = try problems("@fig-nope and @fig-nope; @sec-none, @sec-none.")
        #expect(places(found) == ["1:1", "1:15", "1:26", "1:37"])
    }

    @Test func continuationLinesQuotesAndTablesArePlacedAsWritten() throws {
        // cmark-gfm places an indented continuation line's first inline at column 1.
        let found = try problems("""
            First line
                indented @fig-a

            > quoted @fig-b
            > > deeper @fig-c

            | a | b |
            |---|---|
            | x | y @fig-d |
            """)
        #expect(places(found) == ["2:14", "4:10", "5:12", "9:9"])
    }

    @Test func formulasAndWideCharactersBeforeAReferenceDoNotShiftIt() throws {
        // A formula is one token to cmark; a display formula inside a paragraph spans lines.
        let found = try problems("""
            λ-smooth — $\\sum_i x_i^2$ so @fig-a, and $$a +
            b$$ then @fig-b.
            """, offset: 4)
        #expect(places(found) == ["5:30", "6:10"])
    }

    @Test func theParserPlacesEveryInlineKind() throws {
        let document = try MarkdownParser.parse("""
            Text [link](a.html) ![alt](p.png) `code` <b>x</b> $y$.
            """, file: "x.md", lineOffset: 2)
        guard case .paragraph(let inlines) = document.blocks[0] else { Issue.record("no paragraph"); return }
        var places: [String] = []
        for inline in inlines {
            switch inline {
            case .text(let s, let at): places.append("text '\(s)' \(at)")
            case .link(_, _, _, let at): places.append("link \(at)")
            case .image(_, _, _, let at): places.append("image \(at)")
            case .code(_, let at): places.append("code \(at)")
            case .html(let raw, let at): places.append("html \(raw) \(at)")
            case .math(_, _, let at): places.append("math \(at)")
            default: break
            }
        }
        #expect(places == ["text 'Text ' 3:1", "link 3:6", "text ' ' 3:20", "image 3:21", "text ' ' 3:34", "code 3:36",
                           "text ' ' 3:41", "html <b> 3:42", "text 'x' 3:45", "html </b> 3:46", "text ' ' 3:50",
                           "math 3:51", "text '.' 3:54"])
    }

    @Test func scriptInALinkIsReportedAtItsURL() throws {
        let found = try problems("""
            Safe [one](https://x.org) and [two](javascript:alert(1)),
            then [three](javascript:alert(1)).
            """)
        #expect(places(found) == ["1:37", "2:14"])
        #expect(found.allSatisfy { $0.severity == .warning })
    }

    @Test func theLineMapPlacesOffsetsAndFindsFromAPosition() {
        let map = LineMap("ab\nλμ @x @x\n", lineOffset: 3)
        #expect(map.position(ofOffset: 0) == SourcePosition(line: 4, column: 1))
        #expect(map.position(ofOffset: 3) == SourcePosition(line: 5, column: 1))
        #expect(map.position(ofOffset: 6) == SourcePosition(line: 5, column: 4))
        #expect(map.text(ofLine: 5) == "λμ @x @x")
        #expect(map.text(ofLine: 3) == nil)
        let first = map.find("@x", from: SourcePosition(line: 5, column: 1))
        #expect(first == SourcePosition(line: 5, column: 4))
        #expect(map.find("@x", from: map.after("@x", at: first!)) == SourcePosition(line: 5, column: 7))
        #expect(map.find("@x", from: SourcePosition(line: 5, column: 8)) == nil)
    }
}
