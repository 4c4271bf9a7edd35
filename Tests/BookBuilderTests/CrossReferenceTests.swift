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
        #expect(figures.filter { $0.hasSuffix("-dark.png") }.count == labels.count)
        #expect(figures.count == 2 * labels.count)
        for name in figures {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: sandbox.site + "/figures/01-gallery/" + name))
            #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(name) is a PNG")
            #expect(bytes.count > 5_000, "\(name) has content")
        }
    }
}
