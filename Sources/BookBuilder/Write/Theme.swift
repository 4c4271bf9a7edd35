import Foundation
import Mustache

/// The book's pages: the chrome around each chapter's `<article>` and the title page, rendered
/// from the Mustache templates in `Templates` (or a book's own, in `Chapters/theme/`).
///
/// Every page reads with JavaScript off. A one-line script in `<head>` marks the page as
/// scripted (`html.js`) and applies a stored theme before the first paint, so the menu
/// button, theme toggle and search box appear without a layout shift or a flash;
/// everything else is in the deferred `assets/book.js`.
///
/// What the templates see: `title`, `description`, `preload`, `icons.menu`, `icons.theme`,
/// `book.title|subtitle|author`, `search.shards`, `toc` (per chapter: `part`, `href`,
/// `number`, `title`, `current`, `openSections`, `hasSections`, `sections` with `id`,
/// `number`, `title`), and on a chapter page `body`, `previous`/`next` (`href`, `label`),
/// `hasOutline` and `outline` (sections with `children`); on the title page `start`.
struct Theme {
    /// From Debian's fonts-texgyre-math.
    static let mathFontSource = "/usr/share/texmf/fonts/opentype/public/tex-gyre-math/texgyrepagella-math.otf"

    /// What every page of one site shares.
    struct Site {
        var book: BookConfig
        var pages: [Page]
        /// Number of `search/index-N.js` shards.
        var searchShards: Int
    }

    static let themeKey = "litopt-theme"
    static let preload = "<script>document.documentElement.className=\"js\";try{var t=localStorage.getItem(\"\(themeKey)\");"
        + "if(t)document.documentElement.dataset.theme=t}catch(e){}</script>"

    static let menuIcon = "<svg viewBox=\"0 0 20 20\" width=\"20\" height=\"20\" aria-hidden=\"true\"><path d=\"M3 5h14M3 10h14M3 15h14\" stroke=\"currentColor\" stroke-width=\"2\" stroke-linecap=\"round\"/></svg>"
    static let themeIcon = "<svg viewBox=\"0 0 20 20\" width=\"20\" height=\"20\" aria-hidden=\"true\"><circle cx=\"10\" cy=\"10\" r=\"7.5\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.8\"/><path d=\"M10 2.5a7.5 7.5 0 0 1 0 15z\" fill=\"currentColor\"/></svg>"

    let library: MustacheLibrary

    /// The built-in templates, with any `NAME.mustache` in `overrides` taking the place of NAME.
    init(overrides: String? = nil) throws(BuildFailure) {
        var library = MustacheLibrary()
        for (name, text) in Templates.builtIn {
            do {
                try library.register(text, named: name)
            } catch {
                preconditionFailure("built-in template \(name) does not parse: \(error)")
            }
        }
        if let overrides, let names = try? FileManager.default.contentsOfDirectory(atPath: overrides) {
            var problems: [Diagnostic] = []
            for file in names.sorted() where file.hasSuffix(".mustache") {
                let name = String(file.dropLast(".mustache".count))
                let path = overrides + "/" + file
                guard Templates.builtIn[name] != nil else {
                    problems.append(Diagnostic(file: path, message: "unknown template '\(name)' (the theme has: \(Templates.builtIn.keys.sorted().joined(separator: ", ")))"))
                    continue
                }
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                    problems.append(Diagnostic(file: path, message: "cannot read the template"))
                    continue
                }
                do {
                    try library.register(text, named: name)
                } catch let error as MustacheTemplate.ParserError {
                    problems.append(Diagnostic(file: path, line: error.context.lineNumber, column: error.context.columnNumber + 1,
                                               message: "template does not parse: \(error.error)", sourceLine: error.context.line))
                } catch {
                    problems.append(Diagnostic(file: path, message: "template does not parse: \(error)"))
                }
            }
            if !problems.isEmpty { throw BuildFailure(problems) }
        }
        self.library = library
    }

    func render(_ template: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: template) ?? ""
    }

    // MARK: Contexts

    static func common(_ site: Site, current: Int?, title: String, description: String?) -> [String: Any] {
        var book: [String: Any] = ["title": site.book.title]
        if let subtitle = site.book.subtitle { book["subtitle"] = subtitle }
        if let author = site.book.author { book["author"] = author }
        var context: [String: Any] = [
            "title": title, "preload": preload, "icons": ["menu": menuIcon, "theme": themeIcon], "book": book,
            "toc": site.pages.indices.map { toc(site, $0, current: current) },
        ]
        if let description { context["description"] = description }
        if site.searchShards > 0 { context["search"] = ["shards": site.searchShards] }
        return context
    }

    static func toc(_ site: Site, _ i: Int, current: Int?) -> [String: Any] {
        let page = site.pages[i]
        let sections = site.pages[i].sections.filter { $0.level == 2 }.map(section)
        var entry: [String: Any] = [
            "href": page.chapter.pageName, "number": page.chapter.displayNumber, "title": page.title,
            "current": i == current, "sections": sections, "hasSections": !sections.isEmpty,
            "openSections": i == current && !sections.isEmpty,
        ]
        if let part = page.chapter.frontMatter.part { entry["part"] = part }
        return entry
    }

    static func section(_ section: Page.Section) -> [String: Any] {
        // Always set: a missing key would make Mustache look up the chapter's `number` instead.
        let number: Any = section.number ?? false
        return ["id": section.id, "title": section.title, "number": number]
    }

    /// Level-2 sections with their level-3 sections as `children`.
    static func outline(_ list: [Page.Section]) -> [[String: Any]] {
        var result: [[String: Any]] = []
        var k = 0
        while k < list.count {
            var entry = section(list[k])
            let parent = list[k]
            k += 1
            var children: [[String: Any]] = []
            while parent.level == 2, k < list.count, list[k].level > 2 {
                children.append(section(list[k]))
                k += 1
            }
            entry["children"] = children
            entry["hasChildren"] = !children.isEmpty
            result.append(entry)
        }
        return result
    }

    /// "3 Second-order methods", or just the title for an unnumbered chapter.
    static func pagerTitle(_ page: Page) -> String {
        let number = page.chapter.displayNumber
        return (number.isEmpty ? "" : number + " ") + page.title
    }

    // MARK: Pages

    func indexPage(_ site: Site) -> String {
        var context = Self.common(site, current: nil, title: site.book.title, description: site.book.subtitle)
        if let first = site.pages.first { context["start"] = first.chapter.pageName }
        return render("index", context)
    }

    func chapterPage(_ site: Site, index i: Int) -> String {
        let page = site.pages[i]
        var context = Self.common(site, current: i, title: "\(page.title) — \(site.book.title)", description: nil)
        context["body"] = page.body
        context["previous"] = i > 0
            ? ["href": site.pages[i - 1].chapter.pageName, "label": Self.pagerTitle(site.pages[i - 1])]
            : ["href": "index.html", "label": "Contents"]
        if i + 1 < site.pages.count {
            context["next"] = ["href": site.pages[i + 1].chapter.pageName, "label": Self.pagerTitle(site.pages[i + 1])]
        }
        let outline = Self.outline(site.pages[i].sections)
        context["outline"] = outline
        context["hasOutline"] = !outline.isEmpty
        return render("chapter", context)
    }
}
