/// The book's look: page templates and the stylesheet.
enum Theme {
    /// From Debian's fonts-texgyre-math.
    static let mathFontSource = "/usr/share/texmf/fonts/opentype/public/tex-gyre-math/texgyrepagella-math.otf"

    static func head(title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <title>\(HTML.escape(title))</title>
        <link rel="stylesheet" href="assets/style.css">
        </head>

        """
    }

    static func sidebar(book: BookConfig, pages: [Page], current: Page?) -> String {
        var html = "<nav class=\"sidebar\" aria-label=\"Chapters\">\n"
        html += "<a class=\"book-title\" href=\"index.html\">\(HTML.escape(book.title))</a>\n<ol class=\"toc\">\n"
        for page in pages {
            let isCurrent = page.chapter == current?.chapter
            html += "<li\(isCurrent ? " class=\"current\"" : "")><a href=\"\(page.chapter.pageName)\"\(isCurrent ? " aria-current=\"page\"" : "")>"
            html += "<span class=\"chapter-number\">\(page.chapter.number)</span> \(HTML.escape(page.title))</a>"
            if isCurrent, !page.outline.isEmpty {
                html += "\n<ol class=\"toc-sections\">"
                for heading in page.outline where heading.level == 2 {
                    html += "<li><a href=\"#\(heading.id)\">\(HTML.escape(heading.text))</a></li>"
                }
                html += "</ol>"
            }
            html += "</li>\n"
        }
        html += "</ol>\n</nav>\n"
        return html
    }

    static func indexPage(book: BookConfig, pages: [Page]) -> String {
        var html = head(title: book.title)
        html += "<body class=\"title-page\">\n<div class=\"layout\">\n"
        html += sidebar(book: book, pages: pages, current: nil)
        html += "<main class=\"content\">\n<header class=\"book-header\">\n<h1>\(HTML.escape(book.title))</h1>\n"
        if let subtitle = book.subtitle { html += "<p class=\"subtitle\">\(HTML.escape(subtitle))</p>\n" }
        if let author = book.author { html += "<p class=\"author\">\(HTML.escape(author))</p>\n" }
        html += "</header>\n<h2>Contents</h2>\n<ol class=\"contents\">\n"
        for page in pages {
            html += "<li><a href=\"\(page.chapter.pageName)\"><span class=\"chapter-number\">\(page.chapter.number)</span> \(HTML.escape(page.title))</a></li>\n"
        }
        html += "</ol>\n</main>\n</div>\n</body>\n</html>\n"
        return html
    }

    static func chapterPage(book: BookConfig, page: Page, pages: [Page], previous: Page?, next: Page?) -> String {
        var html = head(title: "\(page.title) — \(book.title)")
        html += "<body>\n<div class=\"layout\">\n"
        html += sidebar(book: book, pages: pages, current: page)
        html += "<main class=\"content\">\n<article>\n\(page.body)</article>\n"
        html += "<nav class=\"pager\" aria-label=\"Previous and next chapters\">\n"
        if let previous {
            html += "<a class=\"prev\" rel=\"prev\" href=\"\(previous.chapter.pageName)\"><span>Previous</span>\(HTML.escape(previous.title))</a>\n"
        } else {
            html += "<a class=\"prev\" rel=\"prev\" href=\"index.html\"><span>Previous</span>Contents</a>\n"
        }
        if let next {
            html += "<a class=\"next\" rel=\"next\" href=\"\(next.chapter.pageName)\"><span>Next</span>\(HTML.escape(next.title))</a>\n"
        }
        html += "</nav>\n</main>\n</div>\n</body>\n</html>\n"
        return html
    }

    static let stylesheet = """
    :root {
      --bg: #fdfdfb; --fg: #1d1f24; --muted: #5d6470; --rule: #e3e3dc; --accent: #2a5db0;
      --code-bg: #f4f4ef; --output-bg: #fbfbf7; --side-bg: #f6f6f1;
      --callout: #2a5db0; --font: "Charter", "Bitstream Charter", "DejaVu Serif", Georgia, serif;
      --sans: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif;
      --mono: "DejaVu Sans Mono", ui-monospace, "SFMono-Regular", Menlo, monospace;
    }
    @media (prefers-color-scheme: dark) {
      :root { --bg: #16181c; --fg: #e3e5e8; --muted: #a0a7b2; --rule: #30343b; --accent: #8fb4ff;
        --code-bg: #1e2126; --output-bg: #1a1c20; --side-bg: #1b1d22; --callout: #8fb4ff; }
    }
    * { box-sizing: border-box; }
    html { font-size: 18px; }
    body { margin: 0; background: var(--bg); color: var(--fg); font-family: var(--font); line-height: 1.6; }
    .layout { display: grid; grid-template-columns: 17rem minmax(0, 1fr); min-height: 100vh; }
    .sidebar { background: var(--side-bg); border-right: 1px solid var(--rule); padding: 1.5rem 1rem;
      font-family: var(--sans); font-size: 0.85rem; position: sticky; top: 0; height: 100vh; overflow-y: auto; }
    .sidebar .book-title { display: block; font-weight: 700; color: var(--fg); text-decoration: none; margin-bottom: 1rem; }
    .toc, .toc-sections, .contents { list-style: none; padding: 0; margin: 0; }
    .toc li { margin: 0.3rem 0; }
    .toc a { color: var(--muted); text-decoration: none; }
    .toc li.current > a { color: var(--accent); font-weight: 600; }
    .toc-sections { margin: 0.3rem 0 0.5rem 1.4rem; }
    .chapter-number { color: var(--muted); font-variant-numeric: tabular-nums; margin-right: 0.3em; }
    .content { max-width: 46rem; padding: 2.5rem 2rem 4rem; margin: 0 auto; width: 100%; }
    h1, h2, h3, h4 { font-family: var(--sans); line-height: 1.25; }
    h1 { font-size: 2rem; margin-top: 0; }
    h2 { font-size: 1.4rem; margin-top: 2.5rem; }
    h3 { font-size: 1.15rem; margin-top: 2rem; }
    a { color: var(--accent); }
    h2 a.anchor, h3 a.anchor, h4 a.anchor { color: inherit; text-decoration: none; }
    code { font-family: var(--mono); font-size: 0.85em; background: var(--code-bg); padding: 0.1em 0.3em; border-radius: 3px; }
    pre { background: var(--code-bg); padding: 0.8rem 1rem; overflow-x: auto; border-radius: 6px; line-height: 1.45; }
    pre code { background: none; padding: 0; font-size: 0.8rem; }
    .kw { color: #a626a4; } .ty { color: #0f6f8f; } .str { color: #3c7a1e; } .num { color: #b35c00; }
    .com, .doc { color: #7a7f87; font-style: italic; } .attr, .pp { color: #986801; } .label { color: #4a5560; }
    @media (prefers-color-scheme: dark) {
      .kw { color: #d09bf0; } .ty { color: #6cc7e0; } .str { color: #9ccc65; } .num { color: #f0a45d; }
      .com, .doc { color: #8b929c; } .attr, .pp { color: #e5c07b; } .label { color: #b8c0cc; }
    }
    .cell { margin: 1.4rem 0; }
    .cell pre.cell-source { margin-bottom: 0; border-left: 3px solid var(--accent); }
    .cell-output, .cell-value, .cell-error { background: var(--output-bg); border: 1px solid var(--rule);
      font-family: var(--mono); font-size: 0.78rem; margin-top: 0.4rem; }
    .cell-error { border-color: #c0392b; }
    .truncated { display: block; color: var(--muted); font-style: italic; margin-top: 0.5rem; }
    figure { margin: 1rem 0; text-align: center; }
    figure img { max-width: 100%; height: auto; }
    figcaption { font-family: var(--sans); font-size: 0.85rem; color: var(--muted); margin-top: 0.4rem; }
    .figure-number { font-weight: 600; color: var(--fg); }
    .table-wrap { overflow-x: auto; margin: 1rem 0; }
    table { border-collapse: collapse; font-family: var(--sans); font-size: 0.85rem; margin: 0 auto; }
    th, td { padding: 0.35rem 0.8rem; border-bottom: 1px solid var(--rule); text-align: left; }
    th { border-bottom: 2px solid var(--fg); }
    .cell-table td { font-variant-numeric: tabular-nums; }
    blockquote { margin: 1rem 0; padding: 0 1rem; border-left: 3px solid var(--rule); color: var(--muted); }
    .callout { margin: 1.5rem 0; padding: 0.8rem 1rem; border-left: 4px solid var(--callout);
      background: var(--code-bg); border-radius: 0 6px 6px 0; }
    .callout-title, .callout > summary { font-family: var(--sans); font-weight: 700; margin: 0 0 0.3rem; }
    @font-face { font-family: "Book Math"; src: url("math.otf") format("opentype"); font-display: swap; }
    math { font-family: "Book Math", "TeX Gyre Pagella Math", "Latin Modern Math", "STIX Two Math", math; font-size: 1.05em; }
    math[display="block"] { margin: 0.2rem 0; }
    .equation { margin: 1rem 0; overflow-x: auto; overflow-y: hidden; }
    .math-error { color: #c0392b; }
    .section-number { color: var(--muted); font-variant-numeric: tabular-nums; margin-right: 0.35em; }
    a.xref { text-decoration: none; border-bottom: 1px dotted var(--accent); }
    :target { scroll-margin-top: 1rem; }
    .pager { display: flex; justify-content: space-between; gap: 1rem; margin-top: 3rem; border-top: 1px solid var(--rule); padding-top: 1rem; font-family: var(--sans); }
    .pager a { text-decoration: none; display: flex; flex-direction: column; max-width: 48%; }
    .pager a span { font-size: 0.75rem; color: var(--muted); text-transform: uppercase; letter-spacing: 0.05em; }
    .pager a.next { margin-left: auto; text-align: right; }
    .book-header h1 { font-size: 2.4rem; margin-bottom: 0.3rem; }
    .subtitle { font-size: 1.2rem; color: var(--muted); margin-top: 0; }
    .contents li { margin: 0.5rem 0; font-size: 1.1rem; }
    .contents a { text-decoration: none; }
    @media (max-width: 50rem) {
      .layout { grid-template-columns: 1fr; }
      .sidebar { position: static; height: auto; border-right: none; border-bottom: 1px solid var(--rule); }
      .content { padding: 1.5rem 1rem 3rem; }
      html { font-size: 16px; }
    }
    @media print {
      .sidebar, .pager { display: none; }
      .layout { display: block; }
      .content { max-width: none; padding: 0; }
      pre { white-space: pre-wrap; }
    }
    """
}
