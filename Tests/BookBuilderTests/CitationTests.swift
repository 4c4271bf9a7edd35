import Foundation
import Testing
@testable import BookBuilder

@Suite struct CitationTests {
    static let bib = #"""
        @inproceedings{foret2021,
          author = {Foret, Pierre and Kleiner, Ariel and Mobahi, Hossein and Neyshabur, Behnam},
          title = {Sharpness-Aware Minimization for Efficiently Improving Generalization},
          booktitle = {International Conference on Learning Representations}, year = 2021,
          eprint = {2010.01412}, archivePrefix = {arXiv}}
        @inproceedings{keskar2017,
          author = {Keskar, Nitish Shirish and Mudigere, Dheevatsa and Nocedal, Jorge and Smelyanskiy, Mikhail and Tang, Ping Tak Peter},
          title = {On Large-Batch Training for Deep Learning: Generalization Gap and Sharp Minima},
          booktitle = {International Conference on Learning Representations}, year = 2017, eprint = {1609.04836}}
        @inproceedings{dinh2017,
          author = {Dinh, Laurent and Pascanu, Razvan and Bengio, Samy and Bengio, Yoshua},
          title = {Sharp Minima Can Generalize for Deep Nets},
          booktitle = {International Conference on Machine Learning}, pages = {1019--1028}, year = 2017}
        @inproceedings{li2018,
          author = {Li, Hao and Xu, Zheng and Taylor, Gavin and Studer, Christoph and Goldstein, Tom},
          title = {Visualizing the Loss Landscape of Neural Nets},
          booktitle = {Advances in Neural Information Processing Systems}, volume = 31, year = 2018, eprint = {1712.09913}}
        @article{hochreiter1997, author = {Hochreiter, Sepp and Schmidhuber, J{\"u}rgen}, title = {Flat Minima},
          journal = {Neural Computation}, volume = 9, number = 1, pages = {1--42}, year = 1997, doi = {10.1162/neco.1997.9.1.1}}
        """#

    static func bibliography() throws -> Bibliography {
        try Bibliography(entries: BibTeXParser.parse(bib, file: "Chapters/references.bib"), file: "Chapters/references.bib")
    }

    /// The paragraph's HTML and the renderer (for its problems and cited keys).
    func render(_ markdown: String, bibliography: Bibliography? = nil) throws -> (String, PageRenderer) {
        var chapter = Chapter.fixture
        chapter.body = markdown
        let document = try MarkdownParser.parse(markdown, file: chapter.displayPath)
        var renderer = PageRenderer(chapter: chapter, document: document, run: nil)
        renderer.bibliography = try bibliography ?? Self.bibliography()
        let page = renderer.render()
        return (page.body, renderer)
    }

    @Test func parentheticalCitation() throws {
        let (html, renderer) = try render("Flat minima [@foret2021].\n")
        #expect(html.hasPrefix("<p>Flat minima (<a class=\"cite\" href=\"#ref-foret2021\">Foret et al., 2021</a>).</p>\n"))
        #expect(renderer.citedKeys == ["foret2021"])
    }

    @Test func groupedCitationWithPrefixAndLocator() throws {
        let (html, _) = try render("Sharp [@keskar2017; @dinh2017] and [see @li2018, sec. 4] and [-@hochreiter1997, p. 3].\n")
        #expect(html.hasPrefix("<p>Sharp (<a class=\"cite\" href=\"#ref-keskar2017\">Keskar et al., 2017</a>; "
            + "<a class=\"cite\" href=\"#ref-dinh2017\">Dinh et al., 2017</a>) and "
            + "(see <a class=\"cite\" href=\"#ref-li2018\">Li et al., 2018</a>, sec. 4) and "
            + "(<a class=\"cite\" href=\"#ref-hochreiter1997\">1997</a>, p. 3).</p>\n"))
    }

    @Test func inTextCitation() throws {
        let (html, renderer) = try render("As @foret2021 showed, and @hochreiter1997 [sec. 2] before them, see @sec-x.\n")
        #expect(html.hasPrefix("<p>As <a class=\"cite\" href=\"#ref-foret2021\">Foret et al. (2021)</a> showed, and "
            + "<a class=\"cite\" href=\"#ref-hochreiter1997\">Hochreiter and Schmidhuber (1997, sec. 2)</a> before them, see @sec-x.</p>\n"))
        // `@sec-x` is a cross-reference (here to a label that does not exist), never a citation.
        #expect(renderer.problems.map(\.message) == ["reference to unknown label 'sec-x'"])
        #expect(renderer.citedKeys == ["foret2021", "hochreiter1997"])
    }

    @Test func referenceListAtTheEndOfTheChapter() throws {
        let (html, renderer) = try render("# T\n\nOne [@li2018], two [@hochreiter1997], again @li2018.\n")
        let list = try #require(html.range(of: "<section class=\"references-section\"").map { String(html[$0.lowerBound...]) })
        #expect(list == """
            <section class="references-section" aria-labelledby="references">
            <h2 id="references"><a class="anchor" href="#references">References</a></h2>
            <ol class="references">
            <li id="ref-hochreiter1997">Sepp Hochreiter and Jürgen Schmidhuber (1997). <span class="ref-title">Flat Minima.</span> <em>Neural Computation</em>, 9(1), 1–42. <a class="ref-doi" href="https://doi.org/10.1162/neco.1997.9.1.1">doi:10.1162/neco.1997.9.1.1</a></li>
            <li id="ref-li2018">Hao Li, Zheng Xu, Gavin Taylor, Christoph Studer, and Tom Goldstein (2018). <span class="ref-title">Visualizing the Loss Landscape of Neural Nets.</span> In <em>Advances in Neural Information Processing Systems</em>, vol. 31. <a class="ref-arxiv" href="https://arxiv.org/abs/1712.09913">arXiv:1712.09913</a></li>
            </ol>
            </section>

            """)
        #expect(renderer.citedKeys == ["li2018", "hochreiter1997"])
        #expect(!html.contains("ref-foret2021"), "only what the chapter cites")
    }

    @Test func unknownKeyIsAnErrorAtTheCitingLine() throws {
        let (html, renderer) = try render("Intro.\n\nAs shown [see @foret2021; @nobody2020, p. 2].\n")
        let error = try #require(renderer.problems.first)
        #expect(error.file == "Chapters/01-x.md" && error.line == 3 && error.column == 27)
        #expect(error.message == "citation of unknown key 'nobody2020' (not in Chapters/references.bib)")
        #expect(html.contains("@nobody2020"))
    }

    @Test func notCitations() throws {
        let (html, renderer) = try render("Mail someone@foret2021.org, an array [1, 2] and [x @ y], `[@foret2021]`.\n")
        #expect(renderer.problems.isEmpty && renderer.citedKeys.isEmpty)
        #expect(html.contains("someone@foret2021.org") && html.contains("<code>[@foret2021]</code>"))
        // Without a bibliography a bare @word is text, but a bracketed citation is an error.
        var chapter = Chapter.fixture
        chapter.body = "See @foret2021 and [@foret2021].\n"
        var renderer2 = PageRenderer(chapter: chapter, document: try MarkdownParser.parse(chapter.body, file: chapter.displayPath), run: nil)
        let body = renderer2.render().body
        #expect(body.hasPrefix("<p>See @foret2021 and (@foret2021).</p>"))
        #expect(renderer2.problems.count == 1 && renderer2.problems[0].column == 21)
    }

    @Test func citationInsideALinkIsText() throws {
        let (html, _) = try render("[the SAM paper, @foret2021](https://example.org).\n")
        #expect(html.hasPrefix("<p><a href=\"https://example.org\">the SAM paper, Foret et al. (2021)</a>.</p>"))
    }

    @Test func segments() {
        #expect(Citation.segments("end @foret2021.", inText: true) == [
            .text("end "), .citation(Citation(items: [.init(prefix: "", key: "foret2021", locator: "", suppressAuthor: false)], inText: true)),
            .text("."),
        ])
        #expect(Citation.segments("[@fig-a; @b]", inText: false) == [.text("[@fig-a; @b]")], "a cross-reference is no citation")
        #expect(Citation.segments("@a:b/c-d", inText: true).count == 1)
    }
}
