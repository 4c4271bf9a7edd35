/// The book's page templates: the chrome around each chapter's `<article>` and the title page.
///
/// Every page reads with JavaScript off. A one-line script in `<head>` marks the page as
/// scripted (`html.js`) and applies a stored theme before the first paint, so the menu
/// button, theme toggle and search box appear without a layout shift or a flash;
/// everything else is in the deferred `assets/book.js`.
enum Theme {
    /// From Debian's fonts-texgyre-math.
    static let mathFontSource = "/usr/share/texmf/fonts/opentype/public/tex-gyre-math/texgyrepagella-math.otf"

    /// What every page of one site shares.
    struct Site {
        var book: BookConfig
        var pages: [Page]
        var sections: [ChapterSections]
        /// Number of `search/index-N.js` shards.
        var searchShards: Int
    }

    static let themeKey = "litopt-theme"
    static let preload = "<script>document.documentElement.className=\"js\";try{var t=localStorage.getItem(\"\(themeKey)\");"
        + "if(t)document.documentElement.dataset.theme=t}catch(e){}</script>"

    static func head(title: String, description: String?) -> String {
        var html = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <title>\(HTML.escape(title))</title>

        """
        if let description { html += "<meta name=\"description\" content=\"\(HTML.escape(description))\">\n" }
        html += """
        <link rel="stylesheet" href="assets/style.css">
        \(preload)
        <script src="assets/book.js" defer></script>
        </head>

        """
        return html
    }

    static let menuIcon = "<svg viewBox=\"0 0 20 20\" width=\"20\" height=\"20\" aria-hidden=\"true\"><path d=\"M3 5h14M3 10h14M3 15h14\" stroke=\"currentColor\" stroke-width=\"2\" stroke-linecap=\"round\"/></svg>"
    static let themeIcon = "<svg viewBox=\"0 0 20 20\" width=\"20\" height=\"20\" aria-hidden=\"true\"><circle cx=\"10\" cy=\"10\" r=\"7.5\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.8\"/><path d=\"M10 2.5a7.5 7.5 0 0 1 0 15z\" fill=\"currentColor\"/></svg>"

    /// The bar on top: menu button (narrow screens, scripted), book title, theme toggle (scripted).
    static func topBar(book: BookConfig) -> String {
        """
        <a class="skip-link" href="#content">Skip to content</a>
        <header class="topbar">
        <button class="icon-button menu-button" type="button" aria-controls="sidebar" aria-expanded="false" aria-label="Contents and search">\(menuIcon)</button>
        <a class="topbar-title" href="index.html">\(HTML.escape(book.title))</a>
        <button class="icon-button theme-toggle" type="button" aria-pressed="false" aria-label="Dark theme" title="Switch between light and dark">\(themeIcon)</button>
        </header>

        """
    }

    static func searchBox(shards: Int) -> String {
        """
        <div class="search" role="search" data-shards="\(shards)">
        <label class="visually-hidden" for="search-input">Search the book</label>
        <input id="search-input" type="search" placeholder="Search the book" autocomplete="off" spellcheck="false" aria-describedby="search-status" aria-controls="search-results">
        <kbd class="search-key" aria-hidden="true">/</kbd>
        <p id="search-status" class="search-status" role="status"></p>
        <ol id="search-results" class="search-results"></ol>
        </div>

        """
    }

    /// Search, then the table of contents with the current chapter's sections open.
    static func sidebar(_ site: Site, current: Int?) -> String {
        var html = "<nav class=\"sidebar\" id=\"sidebar\" aria-label=\"Contents\">\n"
        if site.searchShards > 0 { html += searchBox(shards: site.searchShards) }
        html += "<ol class=\"toc\">\n"
        for (i, page) in site.pages.enumerated() {
            let isCurrent = i == current
            if let part = page.chapter.frontMatter.part { html += "<li class=\"toc-part\">\(HTML.escape(part))</li>\n" }
            html += "<li\(isCurrent ? " class=\"current\"" : "")><a href=\"\(page.chapter.pageName)\"\(isCurrent ? " aria-current=\"page\"" : "")>"
            html += "<span class=\"chapter-number\">\(page.chapter.displayNumber)</span> \(HTML.escape(page.title))</a>"
            let sections = site.sections[i].sections.filter { $0.level == 2 }
            if isCurrent, !sections.isEmpty {
                html += "\n<ol class=\"toc-sections\">\n"
                for section in sections {
                    html += "<li><a href=\"#\(section.id)\">\(numbered(section))</a></li>\n"
                }
                html += "</ol>\n"
            }
            html += "</li>\n"
        }
        html += "</ol>\n</nav>\n"
        return html
    }

    /// "3 Second-order methods", or just the title for an unnumbered chapter.
    static func pagerTitle(_ page: Page) -> String {
        let number = page.chapter.displayNumber
        return (number.isEmpty ? "" : number + " ") + HTML.escape(page.title)
    }

    static func numbered(_ section: ChapterSections.Section) -> String {
        let number = section.number.map { "<span class=\"section-number\">\(HTML.escape($0))</span> " } ?? ""
        return number + HTML.escape(section.title)
    }

    /// The right-hand "On this page" column: level-2 headings with their level-3 headings nested.
    static func outline(_ sections: ChapterSections) -> String {
        guard !sections.sections.isEmpty else { return "" }
        var html = "<nav class=\"outline\" aria-labelledby=\"outline-title\">\n<h2 id=\"outline-title\">On this page</h2>\n<ol>\n"
        let list = sections.sections
        var k = 0
        while k < list.count {
            let section = list[k]
            k += 1
            html += "<li><a href=\"#\(section.id)\">\(numbered(section))</a>"
            var children: [String] = []
            while section.level == 2, k < list.count, list[k].level > 2 {
                children.append("<li><a href=\"#\(list[k].id)\">\(numbered(list[k]))</a></li>\n")
                k += 1
            }
            if !children.isEmpty { html += "\n<ol>\n" + children.joined() + "</ol>\n" }
            html += "</li>\n"
        }
        html += "</ol>\n</nav>\n"
        return html
    }

    static func indexPage(_ site: Site) -> String {
        let book = site.book
        var html = head(title: book.title, description: book.subtitle)
        html += "<body class=\"title-page\">\n" + topBar(book: book)
        html += "<div class=\"layout no-outline\">\n" + sidebar(site, current: nil)
        html += "<main id=\"content\" class=\"content\" tabindex=\"-1\">\n<article>\n<header class=\"book-header\">\n"
        html += "<h1>\(HTML.escape(book.title))</h1>\n"
        if let subtitle = book.subtitle { html += "<p class=\"subtitle\">\(HTML.escape(subtitle))</p>\n" }
        if let author = book.author { html += "<p class=\"author\">\(HTML.escape(author))</p>\n" }
        if let first = site.pages.first {
            html += "<p class=\"start\"><a href=\"\(first.chapter.pageName)\">Start reading</a></p>\n"
        }
        html += "</header>\n<section class=\"contents-section\" aria-labelledby=\"contents-title\">\n"
        html += "<h2 id=\"contents-title\">Contents</h2>\n<ol class=\"contents\">\n"
        for (i, page) in site.pages.enumerated() {
            if let part = page.chapter.frontMatter.part { html += "<li class=\"contents-part\">\(HTML.escape(part))</li>\n" }
            html += "<li><a class=\"contents-chapter\" href=\"\(page.chapter.pageName)\"><span class=\"chapter-number\">\(page.chapter.displayNumber)</span> \(HTML.escape(page.title))</a>"
            let sections = site.sections[i].sections.filter { $0.level == 2 }
            if !sections.isEmpty {
                html += "\n<ol class=\"contents-sections\">\n"
                for section in sections {
                    html += "<li><a href=\"\(page.chapter.pageName)#\(section.id)\">\(numbered(section))</a></li>\n"
                }
                html += "</ol>\n"
            }
            html += "</li>\n"
        }
        html += "</ol>\n</section>\n</article>\n</main>\n</div>\n</body>\n</html>\n"
        return html
    }

    static func chapterPage(_ site: Site, index i: Int) -> String {
        let page = site.pages[i]
        let previous = i > 0 ? site.pages[i - 1] : nil
        let next = i + 1 < site.pages.count ? site.pages[i + 1] : nil
        let outline = outline(site.sections[i])
        var html = head(title: "\(page.title) — \(site.book.title)", description: nil)
        html += "<body>\n" + topBar(book: site.book)
        html += "<div class=\"layout\(outline.isEmpty ? " no-outline" : "")\">\n" + sidebar(site, current: i)
        html += "<main id=\"content\" class=\"content\" tabindex=\"-1\">\n<article>\n\(page.body)</article>\n"
        html += "<nav class=\"pager\" aria-label=\"Previous and next chapters\">\n"
        if let previous {
            html += "<a class=\"prev\" rel=\"prev\" href=\"\(previous.chapter.pageName)\"><span>Previous</span>"
            html += "\(pagerTitle(previous))</a>\n"
        } else {
            html += "<a class=\"prev\" rel=\"prev\" href=\"index.html\"><span>Previous</span>Contents</a>\n"
        }
        if let next {
            html += "<a class=\"next\" rel=\"next\" href=\"\(next.chapter.pageName)\"><span>Next</span>"
            html += "\(pagerTitle(next))</a>\n"
        }
        html += "</nav>\n</main>\n\(outline)</div>\n</body>\n</html>\n"
        return html
    }
}
