import Foundation
import Testing
@testable import BookBuilder

/// Footnotes, numbered blocks and exercises, and the bibliography through a whole build.
@Suite(.serialized) struct ScholarlyBookTests {
    func body(_ markdown: String, labels: LabelIndex? = nil) throws -> (String, PageRenderer) {
        var chapter = Chapter.fixture
        chapter.body = markdown
        let document = try MarkdownParser.parse(markdown, file: chapter.displayPath)
        let index = try labels ?? LabelIndex.build(chapters: [chapter], documents: [document])
        var renderer = PageRenderer(chapter: chapter, document: document, run: nil, labels: index)
        let page = renderer.render()
        return (page.body, renderer)
    }

    @Test func footnotesAreNumberedInReferenceOrderWithBackLinks() throws {
        let (html, renderer) = try body("""
            Text[^b] and[^a] again[^b], and [^undefined].

            [^a]: Note *A*.
            [^b]: Note B
                on two lines.
            [^unused]: Never referenced.
            """)
        #expect(renderer.problems.isEmpty)
        #expect(html == """
            <p>Text<sup class="footnote-ref"><a href="#fn-1" id="fnref-1">1</a></sup> and<sup class="footnote-ref"><a href="#fn-2" id="fnref-2">2</a></sup> again<sup class="footnote-ref"><a href="#fn-1" id="fnref-1-2">1</a></sup>, and [^undefined].</p>
            <section class="footnotes" aria-label="Footnotes">
            <ol>
            <li id="fn-1">
            <p>Note B
            on two lines. <a href="#fnref-1" class="footnote-back" aria-label="Back to reference 1 (1)">↩<sup>1</sup></a> <a href="#fnref-1-2" class="footnote-back" aria-label="Back to reference 1 (2)">↩<sup>2</sup></a></p>
            </li>
            <li id="fn-2">
            <p>Note <em>A</em>. <a href="#fnref-2" class="footnote-back" aria-label="Back to reference 2">↩</a></p>
            </li>
            </ol>
            </section>

            """)
    }

    @Test func footnoteTextIsInTheSearchText() throws {
        var chapter = Chapter.fixture
        chapter.body = "# T\n\n## One\n\nA claim.[^1]\n\n[^1]: Shown by a careful argument.\n"
        let document = try MarkdownParser.parse(chapter.body, file: chapter.displayPath)
        var renderer = PageRenderer(chapter: chapter, document: document, run: nil)
        let index = SearchIndex(pages: [renderer.render()])
        #expect(index.entries.last?.text.contains("Shown by a careful argument.") == true)
    }

    @Test func numberedBlocksCountPerKindAndResolveReferences() throws {
        let markdown = """
            > [!DEFINITION] Strict saddle {#def-strict-saddle}
            > A critical point with a negative Hessian eigenvalue.

            > [!THEOREM] Escape {#thm-escape}
            > Gradient descent escapes @def-strict-saddle.

            > [!PROOF]
            > By the stable manifold theorem.

            > [!DEFINITION]
            > Unlabelled, still numbered.

            See @thm-escape and @def-strict-saddle.
            """
        let (html, renderer) = try body(markdown)
        #expect(renderer.problems.isEmpty)
        #expect(html == """
            <div class="callout callout-definition numbered" id="def-strict-saddle"><p class="callout-title"><span class="block-number">Definition 1.1</span> (Strict saddle)</p>
            <p>A critical point with a negative Hessian eigenvalue.</p>
            </div>
            <div class="callout callout-theorem numbered" id="thm-escape"><p class="callout-title"><span class="block-number">Theorem 1.1</span> (Escape)</p>
            <p>Gradient descent escapes <a class="xref" href="#def-strict-saddle">Definition 1.1</a>.</p>
            </div>
            <details class="callout callout-proof"><summary>Proof</summary>
            <p>By the stable manifold theorem.</p>
            </details>
            <div class="callout callout-definition numbered"><p class="callout-title"><span class="block-number">Definition 1.2</span></p>
            <p>Unlabelled, still numbered.</p>
            </div>
            <p>See <a class="xref" href="#thm-escape">Theorem 1.1</a> and <a class="xref" href="#def-strict-saddle">Definition 1.1</a>.</p>

            """)
        var again = PageRenderer(chapter: renderer.chapter, document: renderer.document, run: nil, labels: renderer.labels)
        let page = again.render()
        #expect(page.blocks.map(\.title) == ["Definition 1.1 Strict saddle", "Theorem 1.1 Escape"])
        let search = SearchIndex(pages: [page])
        #expect(search.entries.contains { $0.href == "01-x.html#thm-escape" && $0.title == "Theorem 1.1 Escape" })
    }

    @Test func aFormulaInsideADefinitionLosesItsQuoteMarkers() throws {
        let markdown = """
            > [!DEFINITION] Index {#def-index}
            > The index is
            >
            > $$
            > \\operatorname{ind} = \\#\\{ i : \\lambda_i < 0 \\}
            > \\label{eq-index}
            > $$
            >
            > > [!SOLUTION]
            > > With $a +
            > > b$ inline.
            """
        let document = try MarkdownParser.parse(markdown, file: "Chapters/01-x.md")
        guard case .callout(_, _, let inner)? = document.blocks.first else { Issue.record("no callout"); return }
        #expect(inner.contains(.math(tex: "\\operatorname{ind} = \\#\\{ i : \\lambda_i < 0 \\}\n\\label{eq-index}", line: 4)))
        let (html, renderer) = try body(markdown)
        #expect(renderer.problems.isEmpty)
        #expect(html.contains("<div class=\"equation\" id=\"eq-index\">"))
        #expect(!html.contains("&gt;"))
    }

    @Test func exerciseWithAFoldedSolution() throws {
        let (html, _) = try body("""
            > [!EXERCISE] Step sizes {#exr-step}
            > Try $\\eta = 1$.
            >
            > > [!SOLUTION]
            > > It diverges.
            """)
        #expect(html.hasPrefix("""
            <div class="callout callout-exercise numbered" id="exr-step"><p class="callout-title"><span class="block-number">Exercise 1.1</span> (Step sizes)</p>
            """))
        #expect(html.contains("<details class=\"callout callout-solution\"><summary>Solution</summary>\n<p>It diverges.</p>\n</details>\n</div>\n"))
    }

    @Test func danglingAndMislabelledBlocksAreErrors() throws {
        let (_, renderer) = try body("See @thm-nowhere.\n")
        #expect(renderer.problems.map(\.message) == ["reference to unknown label 'thm-nowhere'"])
        #expect(renderer.problems.first?.line == 1 && renderer.problems.first?.column == 5)
        var chapter = Chapter.fixture
        chapter.body = "Intro.\n\n> [!LEMMA] Wrong {#def-wrong}\n> Text.\n"
        let document = try MarkdownParser.parse(chapter.body, file: chapter.displayPath)
        #expect(throws: BuildFailure.self) { try LabelIndex.build(chapters: [chapter], documents: [document]) }
        do {
            _ = try LabelIndex.build(chapters: [chapter], documents: [document])
        } catch {
            #expect(error.diagnostics.first?.line == 3)
            #expect(error.diagnostics.first?.message == "the label of lemma 1.1 must start with 'lem-' (it is 'def-wrong')")
        }
    }

    // MARK: Numbering per book, exercises at the chapter's end

    /// Two chapters: the first with two definitions, the second with one and a theorem that
    /// refers back to the first chapter's.
    func twoChapters() throws -> ([Chapter], [Document]) {
        var first = Chapter.fixture
        first.body = "> [!DEFINITION] Saddle {#def-saddle}\n> A.\n\n> [!DEFINITION] Plateau {#def-plateau}\n> B.\n"
        var second = Chapter(displayPath: "Chapters/02-y.md", path: "/tmp/02-y.md", slug: "y", number: 2,
                             body: "", bodyLineOffset: 0, frontMatter: FrontMatter())
        second.label = "2"
        second.body = "> [!DEFINITION] Basin {#def-basin}\n> C.\n\n> [!THEOREM] Escape {#thm-escape}\n> From @def-saddle into @def-basin.\n"
        let chapters = [first, second]
        return (chapters, try chapters.map { try MarkdownParser.parse($0.body, file: $0.displayPath) })
    }

    @Test func numberedBlocksCanCountThroughTheWholeBook() throws {
        let (chapters, documents) = try twoChapters()
        let labels = try LabelIndex.build(chapters: chapters, documents: documents, numbering: .book)
        #expect(labels.targets["def-saddle"]?.text == "Definition 1")
        #expect(labels.targets["def-plateau"]?.text == "Definition 2")
        #expect(labels.targets["def-basin"]?.text == "Definition 3")
        #expect(labels.targets["thm-escape"]?.text == "Theorem 1")
        var renderer = PageRenderer(chapter: chapters[1], document: documents[1], run: nil, labels: labels)
        let page = renderer.render()
        #expect(renderer.problems.isEmpty)
        #expect(page.body == """
            <div class="callout callout-definition numbered" id="def-basin"><p class="callout-title"><span class="block-number">Definition 3</span> (Basin)</p>
            <p>C.</p>
            </div>
            <div class="callout callout-theorem numbered" id="thm-escape"><p class="callout-title"><span class="block-number">Theorem 1</span> (Escape)</p>
            <p>From <a class="xref" href="01-x.html#def-saddle">Definition 1</a> into <a class="xref" href="#def-basin">Definition 3</a>.</p>
            </div>

            """)
        #expect(page.blocks.map(\.title) == ["Definition 3 Basin", "Theorem 1 Escape"])
        // The default stays per chapter.
        let perChapter = try LabelIndex.build(chapters: chapters, documents: documents)
        #expect(perChapter.targets["def-basin"]?.text == "Definition 2.1")
        #expect(perChapter.targets["def-plateau"]?.text == "Definition 1.2")
    }

    @Test func bookYmlChoosesNumberingAndExercisePlacement() throws {
        let config = try BookLoader.parseConfig("title: T\nnumbering: book\nexercises: end\n", display: "Chapters/book.yml")
        #expect(config.numbering == .book && config.exercises == .end)
        #expect(BookConfig().numbering == .chapter && BookConfig().exercises == .inline)
        do {
            _ = try BookLoader.parseConfig("title: T\nnumbering: section\n", display: "Chapters/book.yml")
            Issue.record("an unknown numbering was accepted")
        } catch {
            #expect(error.diagnostics.map(\.line) == [2])
            #expect(error.diagnostics.first?.message == "'numbering' must be chapter or book, not 'section'")
        }
        do {
            _ = try BookLoader.parseConfig("title: T\n\nexercises: yes please\n", display: "Chapters/book.yml")
            Issue.record("an unknown exercise placement was accepted")
        } catch {
            #expect(error.diagnostics.map(\.line) == [3])
            #expect(error.diagnostics.first?.message == "'exercises' must be inline or end, not 'yes please'")
        }
        let front = try BookLoader.parseFrontMatter("title: X\nexercises: inline\n", display: "Chapters/01-x.md")
        #expect(front.exercises == .inline)
        #expect(try BookLoader.parseFrontMatter("title: X\n", display: "Chapters/01-x.md").exercises == nil)
    }

    static let chapterWithExercises = """
        # Steps

        ## Gradient descent

        Take a step.[^1]

        > [!EXERCISE] Step sizes {#exr-step}
        > Try a step of one.
        >
        > > [!SOLUTION]
        > > It diverges.

        ## Momentum

        > [!DEFINITION] Heavy ball {#def-ball}
        > A step with memory.

        > [!EXERCISE]
        > Compare with @exr-step.

        [^1]: A small one.
        """

    @Test func exercisesCanBeCollectedAtTheChaptersEnd() throws {
        var chapter = Chapter.fixture
        chapter.body = Self.chapterWithExercises
        let document = try MarkdownParser.parse(chapter.body, file: chapter.displayPath)
        let labels = try LabelIndex.build(chapters: [chapter], documents: [document])
        var renderer = PageRenderer(chapter: chapter, document: document, run: nil, labels: labels)
        renderer.bookExercises = .end
        let page = renderer.render()
        #expect(renderer.problems.isEmpty)
        #expect(page.body == """
            <h1><span class="chapter-number">Chapter 1</span> Steps</h1>
            <h2 id="gradient-descent"><a class="anchor" href="#gradient-descent"><span class="section-number">1.1</span> Gradient descent</a></h2>
            <p>Take a step.<sup class="footnote-ref"><a href="#fn-1" id="fnref-1">1</a></sup></p>
            <h2 id="momentum"><a class="anchor" href="#momentum"><span class="section-number">1.2</span> Momentum</a></h2>
            <div class="callout callout-definition numbered" id="def-ball"><p class="callout-title"><span class="block-number">Definition 1.1</span> (Heavy ball)</p>
            <p>A step with memory.</p>
            </div>
            <section class="exercises-section" aria-labelledby="exercises">
            <h2 id="exercises"><a class="anchor" href="#exercises">Exercises</a></h2>
            <div class="callout callout-exercise numbered" id="exr-step"><p class="callout-title"><span class="block-number">Exercise 1.1</span> (Step sizes)</p>
            <p>Try a step of one.</p>
            <details class="callout callout-solution"><summary>Solution</summary>
            <p>It diverges.</p>
            </details>
            </div>
            <div class="callout callout-exercise numbered"><p class="callout-title"><span class="block-number">Exercise 1.2</span></p>
            <p>Compare with <a class="xref" href="#exr-step">Exercise 1.1</a>.</p>
            </div>
            </section>
            <section class="footnotes" aria-label="Footnotes">
            <ol>
            <li id="fn-1">
            <p>A small one. <a href="#fnref-1" class="footnote-back" aria-label="Back to reference 1">↩</a></p>
            </li>
            </ol>
            </section>

            """)
        #expect(page.outline.map(\.text) == ["Gradient descent", "Momentum", "Exercises"])
        #expect(page.blocks.map(\.title) == ["Definition 1.1 Heavy ball", "Exercise 1.1 Step sizes"])
        // Search: the exercises are found in their own section, and by name.
        let search = SearchIndex(pages: [page])
        let section = search.entries.first { $0.href == "01-x.html#exercises" }
        #expect(section?.text.contains("It diverges.") == true)
        #expect(search.entries.first { $0.href == "01-x.html#momentum" }?.text.contains("Compare with") == false)
        #expect(search.entries.contains { $0.href == "01-x.html#exr-step" && $0.title == "Exercise 1.1 Step sizes" })
        // The EPUB's contents list the section too.
        let nav = EPUBWriter.navigation(.init(title: "B", language: "en", identifier: "x", modified: "2026-01-01T00:00:00Z"), pages: [page])
        #expect(nav.contains("#exercises"))
    }

    @Test func aChapterCanKeepItsExercisesInline() throws {
        var chapter = Chapter.fixture
        chapter.body = Self.chapterWithExercises
        chapter.frontMatter.exercises = .inline
        let document = try MarkdownParser.parse(chapter.body, file: chapter.displayPath)
        var renderer = PageRenderer(chapter: chapter, document: document, run: nil,
                                    labels: try LabelIndex.build(chapters: [chapter], documents: [document]))
        renderer.bookExercises = .end
        let page = renderer.render()
        #expect(!page.body.contains("exercises-section"))
        #expect(page.outline.map(\.text) == ["Gradient descent", "Momentum"])
        let step = try #require(page.body.range(of: "id=\"exr-step\""))
        let momentum = try #require(page.body.range(of: "id=\"momentum\""))
        #expect(step.lowerBound < momentum.lowerBound)
        // And a chapter may gather them where the book does not.
        chapter.frontMatter.exercises = .end
        var gathering = PageRenderer(chapter: chapter, document: document, run: nil, labels: renderer.labels)
        #expect(gathering.render().outline.last?.text == "Exercises")
    }

    // MARK: The whole build

    @Test func aBookWithABibliography() throws {
        let sandbox = try BuildEndToEndTests.Sandbox("xref")
        defer { sandbox.remove() }
        _ = try sandbox.build()
        let first = try sandbox.page("01-bowls.html")
        #expect(first.contains("(<a class=\"cite\" href=\"#ref-hochreiter1997\">Hochreiter and Schmidhuber, 1997</a>; "
            + "see <a class=\"cite\" href=\"#ref-keskar2017\">Keskar et al., 2017</a>, sec. 2)"))
        #expect(first.contains("<a class=\"cite\" href=\"#ref-keskar2017\">Keskar et al. (2017)</a> measured"))
        #expect(first.contains("<li id=\"ref-keskar2017\">Nitish Shirish Keskar, Dheevatsa Mudigere, Jorge Nocedal, Mikhail Smelyanskiy, and Ping Tak Peter Tang (2017). "
            + "<span class=\"ref-title\">On Large-Batch Training for Deep Learning: Generalization Gap and Sharp Minima.</span> "
            + "In <em>International Conference on Learning Representations</em>. "
            + "<a class=\"ref-arxiv\" href=\"https://arxiv.org/abs/1609.04836\">arXiv:1609.04836</a></li>"))
        #expect(!first.contains("ref-nocedal2006"), "a chapter lists what it cites")
        #expect(first.contains("<a href=\"#references\">References</a>"), "the outline lists the references")
        let second = try sandbox.page("02-elsewhere.html")
        #expect(second.contains("<a class=\"xref\" href=\"01-bowls.html#def-bowl\">Definition 1.1</a>"))
        #expect(second.contains("<a class=\"xref\" href=\"01-bowls.html#exr-step\">Exercise 1.1</a>"))
        let bibliography = try sandbox.page("bibliography.html")
        #expect(bibliography.contains("<h1>Bibliography</h1>"))
        #expect(bibliography.contains("<li id=\"ref-keskar2017\">"))
        #expect(bibliography.contains("Cited in <a href=\"01-bowls.html#references\">Chapter 1</a>, <a href=\"02-elsewhere.html#references\">Chapter 2</a>."))
        #expect(!bibliography.contains("nocedal2006"), "only cited works")
        #expect(try sandbox.page("index.html").contains("<a class=\"contents-chapter\" href=\"bibliography.html\"><span class=\"chapter-number\"></span> Bibliography</a>"))
        #expect(first.contains("<a href=\"bibliography.html\"><span class=\"chapter-number\"></span> Bibliography</a>"), "in the sidebar")

        let summary = try BookCheck.run(chapters: sandbox.chapters)
        #expect(summary.warnings.map(\.message) == ["entry 'nocedal2006' is cited nowhere"])
        #expect(summary.warnings.first?.line == 19 && summary.warnings.first?.file.hasSuffix("references.bib") == true)
    }

    @Test func bibliographyErrorsStopTheBuild() throws {
        let sandbox = try BuildEndToEndTests.Sandbox("xref")
        defer { sandbox.remove() }
        try sandbox.edit("references.bib") { $0.replacingOccurrences(of: "booktitle = iclr", with: "booktitle = icml") }
        try sandbox.edit("02-elsewhere.md") { $0 + "\nAnd [@nobody].\n" }
        do {
            _ = try sandbox.build()
            Issue.record("the build should fail")
        } catch let failure as BuildFailure {
            #expect(failure.diagnostics.map(\.headline) == [
                "\(sandbox.chapters)/references.bib:15:15: error: unknown macro 'icml' (define it with @string, or put the value in braces)",
            ])
        }
        try sandbox.edit("references.bib") { $0.replacingOccurrences(of: "booktitle = icml", with: "booktitle = iclr") }
        do {
            _ = try sandbox.build()
            Issue.record("the build should fail")
        } catch let failure as BuildFailure {
            #expect(failure.diagnostics.map(\.headline) == [
                "\(sandbox.chapters)/02-elsewhere.md:10:6: error: citation of unknown key 'nobody' (not in \(sandbox.chapters)/references.bib)",
            ])
        }
    }

    @Test func bookYmlNumberingAndExercisesThroughAWholeBuild() throws {
        let sandbox = try BuildEndToEndTests.Sandbox("xref")
        defer { sandbox.remove() }
        try "title: Fixture\nnumbering: book\nexercises: end\n".write(toFile: sandbox.chapters + "/book.yml", atomically: true, encoding: .utf8)
        _ = try BookCheck.run(chapters: sandbox.chapters)
        _ = try sandbox.build()
        let first = try sandbox.page("01-bowls.html")
        #expect(first.contains("<span class=\"block-number\">Definition 1</span> (Quadratic bowl)"))
        #expect(first.contains("<section class=\"exercises-section\" aria-labelledby=\"exercises\">"))
        let exercise = try #require(first.range(of: "id=\"exr-step\""))
        let section = try #require(first.range(of: "class=\"exercises-section\""))
        #expect(section.lowerBound < exercise.lowerBound)
        let second = try sandbox.page("02-elsewhere.html")
        #expect(second.contains("<a class=\"xref\" href=\"01-bowls.html#def-bowl\">Definition 1</a>"))
        #expect(second.contains("<a class=\"xref\" href=\"01-bowls.html#exr-step\">Exercise 1</a>"))
        try "title: Fixture\nnumbering: part\n".write(toFile: sandbox.chapters + "/book.yml", atomically: true, encoding: .utf8)
        #expect(throws: BuildFailure.self) { try sandbox.build() }
    }

    @Test func theBibliographyPathIsConfigurable() throws {
        let sandbox = try BuildEndToEndTests.Sandbox("xref")
        defer { sandbox.remove() }
        try FileManager.default.createDirectory(atPath: sandbox.chapters + "/refs", withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: sandbox.chapters + "/references.bib", toPath: sandbox.chapters + "/refs/works.bib")
        try "title: Fixture\nbibliography: refs/works.bib\n".write(toFile: sandbox.chapters + "/book.yml", atomically: true, encoding: .utf8)
        _ = try sandbox.build()
        #expect(try sandbox.page("bibliography.html").contains("ref-hochreiter1997"))
        try "title: Fixture\nbibliography: missing.bib\n".write(toFile: sandbox.chapters + "/book.yml", atomically: true, encoding: .utf8)
        #expect(throws: BuildFailure.self) { try sandbox.build() }
    }

    @Test func typedCitationsAreLinted() {
        let found = TypedCitationLint.matches(in: "As Foret et al., 2021 and (Kingma & Ba, 2015) and Hochreiter and Schmidhuber (1997) and (Papyan, 2019) "
            + "showed, not `Foret et al., 2021` nor In 2023 nor in March, 2020 or [@foret2021].")
        #expect(found.map(\.1) == ["Foret et al., 2021", "Kingma & Ba, 2015", "Hochreiter and Schmidhuber (1997", "Papyan, 2019"])
        #expect(found.first?.0 == 3)
        let across = TypedCitationLint.matches(in: "as Loshchilov & Hutter,\n2019 showed")
        #expect(across.map(\.1) == ["Loshchilov & Hutter, 2019"], "a citation broken across lines")
        var chapter = Chapter.fixture
        chapter.body = "Intro.\n\n```swift\n// Foret et al., 2021\n```\nSAM (Foret\net al., 2021) works.\n"
        let warnings = TypedCitationLint.warnings([chapter])
        #expect(warnings.map(\.headline) == ["Chapters/01-x.md:6:6: warning: typed citation 'Foret et al., 2021': cite it from the bibliography, e.g. [@key]"])
    }
}
