import Foundation
import Testing
@testable import BookBuilder

@Suite(.serialized) struct CrossReferenceTests {
    @Test func referencesResolveToNumberedLinksAcrossChapters() throws {
        let sandbox = try BuildEndToEndTests.Sandbox("xref")
        defer { sandbox.remove() }
        _ = try sandbox.build()
        let first = try sandbox.page("01-bowls.html")
        let second = try sandbox.page("02-elsewhere.html")
        #expect(first.contains("<a class=\"xref\" href=\"#fig-bowl\">Figure 1.1</a>"))
        #expect(first.contains("<a class=\"xref\" href=\"#eq-quad\">Equation (1.1)</a>"))
        #expect(first.contains("<a class=\"xref\" href=\"02-elsewhere.html#sec-elsewhere\">Section 2.1</a>"))
        #expect(first.contains("<figure id=\"fig-bowl\">"))
        #expect(first.contains("<span class=\"figure-number\">Figure 1.1</span> A quadratic bowl."))
        #expect(first.contains("<div class=\"equation\" id=\"eq-quad\">"))
        #expect(first.contains("<mtext>(1.1)</mtext>"), "a labelled equation shows its number")
        #expect(first.contains("<h2 id=\"sec-setup\">"))
        #expect(second.contains("<a class=\"xref\" href=\"01-bowls.html#fig-bowl\">Figure 1.1</a>"))
        #expect(second.contains("<a class=\"xref\" href=\"01-bowls.html#eq-quad\">Equation (1.1)</a>"))
        #expect(second.contains("<a class=\"xref\" href=\"01-bowls.html#sec-setup\">Section 1.1</a>"))
        #expect(second.contains("someone@fig-example.org"), "an e-mail-like word is left alone")
        #expect(first.contains("alt=\"A quadratic bowl.\""), "the caption is the alt text by default")
    }

    @Test func aDanglingReferenceFailsWithItsPosition() throws {
        let diagnostics = try BuildEndToEndTests().failingBuild("dangling")
        let error = try #require(diagnostics.first)
        #expect(error.file.hasSuffix("01-dangling.md"))
        #expect(error.line == 5 && error.column == 4)
        #expect(error.message == "reference to unknown label 'fig-nowhere'")
    }

    @Test func aRepeatedUnknownReferenceIsReportedAtEachOccurrence() throws {
        let text = "# X\n\nSee @fig-gone here.\n\nAnd @fig-elsewhere, then @fig-gone again.\n\n- an item with @fig-gone\n"
        let doc = try MarkdownParser.parse(text, file: "Chapters/01-x.md")
        var chapter = Chapter.fixture
        chapter.body = text
        var renderer = PageRenderer(chapter: chapter, document: doc, run: nil)
        _ = renderer.render()
        let places = renderer.problems.map { "\($0.line):\($0.column) \($0.message)" }
        #expect(places == ["3:5 reference to unknown label 'fig-gone'", "5:5 reference to unknown label 'fig-elsewhere'",
                           "5:26 reference to unknown label 'fig-gone'", "7:16 reference to unknown label 'fig-gone'"], "\(places)")
    }

    @Test func aMalformedFormulaIsAnErrorAtItsLine() throws {
        let doc = try MarkdownParser.parse("Text.\n\nThe rate $\\eta \\frobnicate$ here.\n", file: "Chapters/01-x.md")
        var renderer = PageRenderer(chapter: .fixture, document: doc, run: nil)
        _ = renderer.render()
        let error = try #require(renderer.problems.first)
        #expect(error.line == 3)
        #expect(error.message.contains("frobnicate"))
    }
}

@Suite(.serialized) struct GalleryTests {
    /// Every mark type goes through the whole pipeline: cell → PNG (light and dark) → page.
    @Test func everyMarkTypeReachesThePage() throws {
        let sandbox = try BuildEndToEndTests.Sandbox("gallery")
        defer { sandbox.remove() }
        _ = try sandbox.build()
        let page = try sandbox.page("01-gallery.html")
        let labels = ["heatmap", "contour", "lines", "surface", "curves", "scatter", "spectrum", "bars", "regions", "grid"]
        for (i, label) in labels.enumerated() {
            #expect(page.contains("<figure id=\"fig-\(label)\">"), "figure \(label)")
            #expect(page.contains("Figure 1.\(i + 1)</span>"))
        }
        let figures = try FileManager.default.contentsOfDirectory(atPath: sandbox.site + "/figures/01-gallery")
        // Each figure in its desktop and its stacked (narrow) layout, light and dark.
        #expect(figures.filter { $0.hasSuffix("-narrow-dark.png") }.count == labels.count)
        #expect(figures.filter { $0.hasSuffix("-dark.png") }.count == 2 * labels.count)
        #expect(figures.filter { $0.hasSuffix("-narrow.png") }.count == labels.count)
        #expect(figures.count == 4 * labels.count)
        for name in figures where name.contains("-narrow") {
            let png = try Data(contentsOf: URL(fileURLWithPath: sandbox.site + "/figures/01-gallery/" + name))
            // Width in the IHDR chunk: the stacked layout is 400 CSS px at 2x.
            #expect(png.count > 24 && png[16..<20].reduce(0) { $0 << 8 | Int($1) } == 800, "\(name) is 800 px wide")
        }
        #expect(page.contains("media=\"(prefers-color-scheme: dark) and (max-width: 939px)\" width=\"400\""))
        #expect(page.contains("data-text-px=\""))
        for name in figures {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: sandbox.site + "/figures/01-gallery/" + name))
            #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(name) is a PNG")
            #expect(bytes.count > 5_000, "\(name) has content")
        }
    }
}

/// Front matter `numbered: false`, `part:` and `appendix: true`: a preface without a number,
/// parts in the contents, an appendix lettered A whose labels read "A.1".
@Suite(.serialized) struct PartsAndAppendicesTests {
    @Test func chaptersAreNumberedLetteredOrLeftUnnumbered() throws {
        let sandbox = try BuildEndToEndTests.Sandbox("parts")
        defer { sandbox.remove() }
        let book = try BookLoader.load(chaptersDirectory: sandbox.chapters, displayDirectory: "Chapters")
        #expect(book.chapters.map(\.displayNumber) == ["", "1", "2", "A"])
        #expect(book.chapters.map(\.kicker) == ["", "Chapter 1", "Chapter 2", "Appendix A"])
        #expect(book.chapters.map(\.frontMatter.part) == [nil, "Part I — Bowls", "Part II — Saddles", nil])
    }

    @Test func pagesShowPartsLettersAndUnnumberedSections() throws {
        let sandbox = try BuildEndToEndTests.Sandbox("parts")
        defer { sandbox.remove() }
        _ = try sandbox.build()
        let preface = try sandbox.page("00-preface.html")
        let bowls = try sandbox.page("01-bowls.html")
        let appendix = try sandbox.page("90-reference.html")
        let index = try sandbox.page("index.html")
        #expect(preface.contains("<h1>Preface</h1>"), "an unnumbered chapter has no kicker")
        #expect(preface.contains("<h2 id=\"sec-reading\"><a class=\"anchor\" href=\"#sec-reading\">How to read this book</a></h2>"),
                "its sections carry no number")
        #expect(preface.contains("<a class=\"xref\" href=\"01-bowls.html#sec-bowls\">Section 1.1</a>"))
        #expect(preface.contains("<a class=\"xref\" href=\"90-reference.html#sec-api\">Section A.1</a>"))
        #expect(bowls.contains("<h1><span class=\"chapter-number\">Chapter 1</span> Bowls</h1>"))
        #expect(bowls.contains("<a class=\"xref\" href=\"00-preface.html#sec-reading\">“How to read this book”</a>"),
                "a section of an unnumbered chapter is referred to by its title")
        #expect(appendix.contains("<h1><span class=\"chapter-number\">Appendix A</span> Reference</h1>"))
        #expect(appendix.contains("<a class=\"xref\" href=\"#eq-identity\">Equation (A.1)</a>"))
        #expect(appendix.contains("<span class=\"section-number\">A.1</span>"))
        #expect(index.contains("<li class=\"contents-part\">Part I — Bowls</li>\n<li><a class=\"contents-chapter\" href=\"01-bowls.html\">"))
        #expect(index.contains("<li class=\"contents-part\">Part II — Saddles</li>"))
        #expect(bowls.contains("<li class=\"toc-part\">Part I — Bowls</li>"), "the sidebar shows the parts")
        #expect(index.contains("<span class=\"chapter-number\">A</span> Reference</a>"))
    }

    @Test func contradictoryOrIllTypedKeysAreErrors() throws {
        #expect(throws: BuildFailure.self) { try BookLoader.parseFrontMatter("numbered: false\nappendix: true", display: "x.md") }
        #expect(throws: BuildFailure.self) { try BookLoader.parseFrontMatter("part: 3", display: "x.md") }
        #expect(throws: BuildFailure.self) { try BookLoader.parseFrontMatter("appendix: maybe", display: "x.md") }
    }
}
