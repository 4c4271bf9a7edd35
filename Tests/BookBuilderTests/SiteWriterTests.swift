import Foundation
import Testing
@testable import BookBuilder

/// The site around the chapters: chrome, title page, search index, and the atomic write.
/// Pages are made by hand, shaped like the renderer's, so no chapter is compiled.
@Suite struct SiteWriterTests {
    static let book = BookConfig(title: "Bowls & Saddles", subtitle: "A short test book", author: "A. Reader")

    static func chapter(_ number: Int, _ slug: String) -> Chapter {
        Chapter(displayPath: "Chapters/0\(number)-\(slug).md", path: "/tmp/0\(number)-\(slug).md", slug: slug,
                number: number, body: "", bodyLineOffset: 0, frontMatter: FrontMatter())
    }

    static func heading(_ level: Int, _ id: String, _ number: String?, _ text: String,
                        extra: [HTMLAttribute] = []) -> [HTMLNode] {
        let span: [HTMLNode] = number.map { [.el("span", ["class": "section-number"], [.text($0)]), .text(" ")] } ?? []
        return [.el("h\(level)", attributes: extra + [HTMLAttribute("id", id)],
                    [.el("a", ["class": "anchor", "href": "#\(id)"], span + [.text(text)])]), .newline]
    }

    static func title(_ number: Int, _ text: String) -> [HTMLNode] {
        [.el("h1", [:], [.el("span", ["class": "chapter-number"], [.text("\(number)")]), .text(" " + text)]), .newline]
    }

    static func paragraph(_ nodes: HTMLNode...) -> [HTMLNode] { [.el("p", [:], nodes), .newline] }

    /// Formulas as the renderer places them: MathML (TeX in its annotation) and their text.
    static func math(_ identifier: String, tex: String) -> HTMLNode {
        .raw("<math><mi>\(identifier)</mi><annotation encoding=\"application/x-tex\">\(tex)</annotation></math>", text: " \(identifier) ")
    }

    static func bowls(headingAttributes: [HTMLAttribute] = []) -> [HTMLNode] {
        title(1, "Bowls")
            + paragraph(.text("A quadratic bowl is the "), .el("em", [:], [.text("simplest")]), .text(" loss."))
            + heading(2, "sec-setup", "1.1", "Setup", extra: headingAttributes)
            + paragraph(.text("The curvature "), math("H", tex: "H"), .text(" sets the sharpness."))
            + [.el("div", ["class": "cell"], [.el("pre", ["class": "cell-source"], [.el("code", ["class": "language-swift"], [.text("let hiddenCodeWord = 1")])])]),
               .newline]
            + heading(3, "eigen", nil, "Eigenvalues")
            + paragraph(.text("Hessian eigenvalues measure curvature."))
    }

    static let bowlsOutline: [Page.Heading] = [.init(level: 2, text: "Setup", id: "sec-setup", number: "1.1"),
                                               .init(level: 3, text: "Eigenvalues", id: "eigen")]

    static let pages: [Page] = [
        Page(chapter: chapter(1, "bowls"), title: "Bowls", content: bowls(), outline: bowlsOutline, assets: []),
        Page(chapter: chapter(2, "saddles"), title: "Saddles",
             content: title(2, "Saddles")
                + heading(2, "escaping", "2.1", "Escaping")
                + paragraph(.text("Rate "), math("λ", tex: "\\lambda_{texonly}"), .text(" decides."))
                + [.el("figure", ["id": "fig-monkey"], [.el("figcaption", [:], [.el("span", ["class": "figure-number"], [.text("Figure 2.1")]),
                                                                                 .text(" A monkey saddle.")])]), .newline],
             outline: [.init(level: 2, text: "Escaping", id: "escaping", number: "2.1")],
             assets: []),
    ]

    struct Folder {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("litopt-site-\(UUID().uuidString)").path
        var site: String { root + "/Site" }
        func remove() { try? FileManager.default.removeItem(atPath: root) }
        func file(_ name: String) throws -> String { try String(contentsOfFile: site + "/" + name, encoding: .utf8) }
        func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: site + "/" + name) }

        /// Every file under `folder` with its bytes.
        func snapshot(_ folder: String? = nil) -> [String: Data] {
            let base = folder ?? site
            var files: [String: Data] = [:]
            let enumerator = FileManager.default.enumerator(atPath: base)
            while let path = enumerator?.nextObject() as? String {
                if let data = FileManager.default.contents(atPath: base + "/" + path) { files[path] = data }
            }
            return files
        }
    }

    func written(_ pages: [Page] = pages) throws -> Folder {
        let folder = Folder()
        try SiteWriter.write(book: Self.book, pages: pages, to: folder.site)
        return folder
    }

    @Test func theTitlePageHasTheBookAndNumberedContents() throws {
        let folder = try written()
        defer { folder.remove() }
        let index = try folder.file("index.html")
        #expect(index.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(index.contains("<title>Bowls &amp; Saddles</title>"))
        #expect(index.contains("<h1>Bowls &amp; Saddles</h1>"))
        #expect(index.contains("<p class=\"subtitle\">A short test book</p>"))
        #expect(index.contains("<p class=\"author\">A. Reader</p>"))
        #expect(index.contains("<a class=\"contents-chapter\" href=\"01-bowls.html\"><span class=\"chapter-number\">1</span> Bowls</a>"))
        #expect(index.contains("<a href=\"01-bowls.html#sec-setup\"><span class=\"section-number\">1.1</span> Setup</a>"))
        #expect(index.contains("<a href=\"02-saddles.html\"><span class=\"chapter-number\">2</span> Saddles</a>"), "the sidebar lists chapters")
        #expect(!index.contains("aria-current"), "no chapter is current on the title page")
    }

    @Test func aChapterPageHasLandmarksOutlineAndPager() throws {
        let folder = try written()
        defer { folder.remove() }
        let first = try folder.file("01-bowls.html")
        #expect(first.contains("<html lang=\"en\">"))
        #expect(first.contains("<a class=\"skip-link\" href=\"#content\">Skip to content</a>"))
        #expect(first.contains("<header class=\"topbar\">"))
        #expect(first.contains("<nav class=\"sidebar\" id=\"sidebar\" aria-label=\"Contents\">"))
        #expect(first.contains("<main id=\"content\" class=\"content\" tabindex=\"-1\">\n<article>\n<h1>"))
        #expect(first.contains("<script src=\"assets/book.js\" defer></script>"))
        #expect(first.contains("<title>Bowls — Bowls &amp; Saddles</title>"))

        // The sidebar opens the current chapter at its sections.
        #expect(first.contains("<li class=\"current\"><a href=\"01-bowls.html\" aria-current=\"page\"><span class=\"chapter-number\">1</span> Bowls</a>\n<ol class=\"toc-sections\">\n<li><a href=\"#sec-setup\"><span class=\"section-number\">1.1</span> Setup</a></li>"))

        // The outline nests level-3 headings under their section.
        let outline = """
        <nav class="outline" aria-labelledby="outline-title">
        <h2 id="outline-title">On this page</h2>
        <ol>
        <li><a href="#sec-setup"><span class="section-number">1.1</span> Setup</a>
        <ol>
        <li><a href="#eigen">Eigenvalues</a></li>
        </ol>
        </li>
        </ol>
        </nav>
        """
        #expect(first.contains(outline))

        #expect(first.contains("<a class=\"prev\" rel=\"prev\" href=\"index.html\"><span>Previous</span>Contents</a>"))
        #expect(first.contains("<a class=\"next\" rel=\"next\" href=\"02-saddles.html\"><span>Next</span>2 Saddles</a>"))
        let second = try folder.file("02-saddles.html")
        #expect(second.contains("<a class=\"prev\" rel=\"prev\" href=\"01-bowls.html\"><span>Previous</span>1 Bowls</a>"))
        #expect(!second.contains("rel=\"next\""), "the last chapter has no next")
    }

    @Test func aChapterWithoutSectionsHasNoOutlineColumn() throws {
        let page = Page(chapter: Self.chapter(2, "saddles"), title: "Saddles",
                        content: Self.title(2, "Saddles") + Self.paragraph(.text("Only prose.")), outline: [], assets: [])
        let folder = try written([Self.pages[0], page])
        defer { folder.remove() }
        let second = try folder.file("02-saddles.html")
        #expect(second.contains("<div class=\"layout no-outline\">"))
        #expect(!second.contains("class=\"outline\""))
    }

    @Test func theSearchIndexShipsAsScriptShardsOverVisibleText() throws {
        let folder = try written()
        defer { folder.remove() }
        #expect(folder.exists("search/index-0.js"))
        #expect(!folder.exists("search/index-1.js"), "a small book has one shard")
        #expect(try folder.file("01-bowls.html").contains("<div class=\"search\" role=\"search\" data-shards=\"1\">"))
        let shard = try folder.file("search/index-0.js")
        #expect(shard.hasPrefix("litoptSearchShard(0,["))
        #expect(shard.hasSuffix("]);\n"))
        #expect(shard.contains(#"["01-bowls.html","1 Bowls","1 Bowls","A quadratic bowl is the simplest loss."]"#))
        #expect(shard.contains(#"["01-bowls.html#sec-setup","1.1 Setup","1 Bowls","The curvature H sets the sharpness."]"#))
        #expect(shard.contains(#"["01-bowls.html#eigen","Eigenvalues","1 Bowls","Hessian eigenvalues measure curvature."]"#))
        #expect(shard.contains("Rate λ decides."), "a formula contributes its visible text")
        #expect(!shard.contains("texonly"), "not its TeX annotation")
        #expect(shard.contains("Figure 2.1 A monkey saddle."), "captions are indexed")
        #expect(!shard.contains("hiddenCodeWord"), "code blocks are not")
        #expect(folder.exists("assets/book.js") && folder.exists("assets/style.css"))
        #expect(try folder.file("assets/book.js").contains("window.litoptSearchShard = function"))
    }

    @Test func sectionsAreFoundWhateverTheHeadingsOtherAttributes() {
        let page = Page(chapter: Self.chapter(1, "bowls"), title: "Bowls",
                        content: Self.bowls(headingAttributes: [HTMLAttribute("class", "numbered")]), outline: Self.bowlsOutline, assets: [])
        #expect(page.body.contains("<h2 class=\"numbered\" id=\"sec-setup\">"))
        let sections = page.sections
        #expect(sections.map(\.id) == ["sec-setup", "eigen"])
        #expect(sections.map(\.number) == ["1.1", nil])
        #expect(sections[0].text == "The curvature H sets the sharpness.")
    }

    @Test func aLargeBookSplitsItsIndexUnderTheBudget() throws {
        let paragraph = String(repeating: "curvature sharpness plateau basin barrier ", count: 40)
        let pages = (1...30).map { n in
            Page(chapter: Self.chapter(n, "c\(n)"), title: "Chapter \(n)",
                 content: [.el("h1", [:], [.text("C")]), .newline]
                    + (0..<4).flatMap { s in Self.heading(2, "s\(s)", "\(n).\(s)", "Section \(s)") + Self.paragraph(.text(paragraph)) },
                 outline: (0..<4).map { .init(level: 2, text: "Section \($0)", id: "s\($0)", number: "\(n).\($0)") }, assets: [])
        }
        let shards = SearchIndex(pages: pages).shards
        #expect(shards.count > 1)
        for (n, shard) in shards.enumerated() {
            #expect(shard.hasPrefix("litoptSearchShard(\(n),["))
            #expect(shard.utf8.count <= SearchIndex.shardBudget + 64)
        }
        let entries = shards.joined().components(separatedBy: "\n[").count - 1
        #expect(entries == 30 * 5, "every section and introduction is in exactly one shard")
    }

    @Test func writingTwiceGivesTheSameBytes() throws {
        let a = try written(), b = try written()
        defer { a.remove(); b.remove() }
        let first = a.snapshot(), second = b.snapshot()
        #expect(!first.isEmpty)
        #expect(first.keys.sorted() == second.keys.sorted())
        for (path, data) in first { #expect(second[path] == data, "\(path) differs between two writes") }
    }

    @Test func aFailedWriteLeavesThePreviousSiteAlone() throws {
        let folder = try written()
        defer { folder.remove() }
        let before = folder.snapshot()
        var broken = Self.pages
        broken[1].assets = [.init(source: folder.root + "/no-such-figure.png", destination: "figures/02-saddles/missing.png")]
        #expect(throws: BuildFailure.self) { try SiteWriter.write(book: Self.book, pages: broken, to: folder.site) }
        #expect(folder.snapshot() == before, "the previous site is byte-for-byte unchanged")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.root)
        #expect(leftovers == ["Site"], "no staging folder is left behind")
    }

    @Test func aBookCanReplaceATemplateOfTheTheme() throws {
        let folder = Folder()
        defer { folder.remove() }
        let theme = folder.root + "/theme"
        try FileManager.default.createDirectory(atPath: theme, withIntermediateDirectories: true)
        // A chapter template of the book's own, still using the built-in partials.
        try "{{>head}}<body class=\"mine\"><h1 class=\"running\">{{book.title}}</h1>{{{body}}}{{#next}}<a href=\"{{href}}\">{{label}}</a>{{/next}}</body>\n"
            .write(toFile: theme + "/chapter.mustache", atomically: true, encoding: .utf8)
        try SiteWriter.write(book: Self.book, pages: Self.pages, to: folder.site, theme: theme)
        let first = try folder.file("01-bowls.html")
        #expect(first.contains("<body class=\"mine\"><h1 class=\"running\">Bowls &amp; Saddles</h1><h1><span class=\"chapter-number\">1</span> Bowls</h1>"))
        #expect(first.contains("<a href=\"02-saddles.html\">2 Saddles</a></body>"))
        #expect(first.hasPrefix("<!DOCTYPE html>"), "the built-in head partial is still there")
        #expect(try folder.file("index.html").contains("<ol class=\"contents\">"), "templates not replaced stay built in")
    }

    @Test func aBrokenOrUnknownThemeTemplateIsAnErrorWithItsPosition() throws {
        let folder = Folder()
        defer { folder.remove() }
        let theme = folder.root + "/theme"
        try FileManager.default.createDirectory(atPath: theme, withIntermediateDirectories: true)
        try "<p>\n{{#book}}{{title}}\n".write(toFile: theme + "/chapter.mustache", atomically: true, encoding: .utf8)
        try "<p></p>".write(toFile: theme + "/footer.mustache", atomically: true, encoding: .utf8)
        do {
            try SiteWriter.write(book: Self.book, pages: Self.pages, to: folder.site, theme: theme)
            Issue.record("a broken template must fail the build")
        } catch {
            let messages = error.diagnostics.map(\.description)
            #expect(messages.count == 2)
            #expect(messages.contains { $0.contains("chapter.mustache:") && $0.contains("template does not parse") })
            #expect(messages.contains { $0.contains("footer.mustache: error: unknown template 'footer'") })
        }
        #expect(!folder.exists("index.html"), "nothing was written")
    }

    @Test func aNewWriteReplacesTheWholeSite() throws {
        let folder = try written()
        defer { folder.remove() }
        try Data("stale".utf8).write(to: URL(fileURLWithPath: folder.site + "/stale.html"))
        try SiteWriter.write(book: Self.book, pages: Self.pages, to: folder.site)
        #expect(!folder.exists("stale.html"))
        #expect(folder.exists("index.html"))
    }

    @Test(arguments: [
        ("<p><em>flat</em>ness &amp; width</p>", "flatness & width"),
        ("<p>A<br>B</p><p>C</p>", "A B C"),
        ("<p>x <math><mi>w</mi><mo>⊤</mo><annotation encoding=\"application/x-tex\">w^\\top</annotation></math>, y</p>", "x w ⊤, y"),
        ("<math display=\"block\"><semantics><mtable><mtr><mtd></mtd><mtd><mrow><mi>L</mi><mo>(</mo><mi>w</mi><mo>)</mo><mo>=</mo>"
            + "<mfrac><mn>1</mn><mn>2</mn></mfrac><msup><mi>w</mi><mi>⊤</mi></msup><mi>H</mi><mi>w</mi></mrow></mtd>"
            + "<mtd><mtext>(1.1)</mtext></mtd></mtr></mtable><annotation encoding=\"application/x-tex\">x</annotation></semantics></math>",
         "L(w) = 1/2 w^⊤ H w (1.1)"),
        ("<p>before</p><pre><code>let skipped = 1</code></pre><p>after</p>", "before after"),
        ("<p>&lt;tag&gt; &#955; &#x3bb; &quot;q&quot; &#39;s&#39; &unknown;</p>", "<tag> λ λ \"q\" 's' &unknown;"),
    ])
    func rawHTMLReadsAsTheReaderSeesIt(html: String, text: String) {
        #expect(PlainText.of(html) == text)
    }

    @Test func aPageTreeReadsAsTheReaderSeesIt() {
        let nodes: [HTMLNode] = [
            .el("p", [:], [.el("em", [:], [.text("flat")]), .text("ness & width, "), .el("code", [:], [.text("<w>")])]),
            .el("p", [:], [.text("A"), .el("br"), .text("B")]),
            .el("pre", [:], [.el("code", [:], [.text("let skipped = 1")])]),
            .el("ul", [:], [.el("li", [:], [.text("one")]), .el("li", [:], [.text("two")])]),
            .raw("<math><mi>w</mi></math>", text: " w "), .text("."),
        ]
        #expect(PlainText.of(nodes) == "flatness & width, <w> A B one two w.")
        #expect(nodes.html == "<p><em>flat</em>ness &amp; width, <code>&lt;w&gt;</code></p><p>A<br>B</p><pre><code>let skipped = 1</code></pre>"
            + "<ul><li>one</li><li>two</li></ul><math><mi>w</mi></math>.")
    }

    @Test func aFailedChapterBannerComesBeforeTheTitleAndStaysOutOfTheIntroduction() {
        var page = Self.pages[0]
        let introduction = page.introduction
        page.prepend([.el("div", ["class": "build-error"], [.text("This chapter failed to build.")]), .newline])
        #expect(page.body.hasPrefix("<div class=\"build-error\">This chapter failed to build.</div>\n<h1>"))
        #expect(page.introduction == introduction)
        #expect(page.sections == Self.pages[0].sections)
    }

    @Test func javaScriptStringsAreSafeInsideAScript() {
        #expect(SearchIndex.javaScriptString("a\"b\\c\nd</script>\u{2028}\u{1}") == #""a\"b\\c\nd<\/script>\u2028\u0001""#)
    }
}
