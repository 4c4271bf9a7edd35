import Foundation
import Notebook

/// Stage 5: a parsed chapter plus its cells' results → the HTML of its page.
///
/// Cell output is always escaped (a cell printing `<script>` shows that text). Images are
/// copied to `figures/<chapter>/` and referenced relatively, so pages open from `file://`.
public struct PageRenderer {
    public var chapter: Chapter
    public var document: Document
    /// Results by cell index; absent for cells that did not run.
    public var results: [Int: CellResult]
    /// Folder holding the files the results' manifests name.
    public var outputDirectory: String?

    private var html = ""
    private var outline: [Page.Heading] = []
    private var assets: [Page.Asset] = []
    private var usedIDs: Set<String> = []
    private var figureCount = 0
    private var title: String?

    public init(chapter: Chapter, document: Document, run: ChapterRun?) {
        self.chapter = chapter
        self.document = document
        self.results = Dictionary(uniqueKeysWithValues: (run?.cells ?? []).map { ($0.index, $0) })
        self.outputDirectory = run?.outputDirectory
    }

    public mutating func render() -> Page {
        for block in document.blocks { render(block) }
        let pageTitle = chapter.frontMatter.title ?? title ?? chapter.slug
        return Page(chapter: chapter, title: pageTitle, body: html, outline: outline, assets: assets)
    }

    // MARK: Blocks

    mutating func render(_ block: Block) {
        switch block {
        case .paragraph(let inlines):
            html += "<p>\(Self.inlineHTML(inlines))</p>\n"
        case .heading(let level, let inlines, _):
            let text = inlines.plainText
            if level == 1, title == nil {
                title = text
                html += "<h1><span class=\"chapter-number\">\(chapter.number)</span> \(Self.inlineHTML(inlines))</h1>\n"
                return
            }
            let id = uniqueID(HTML.slug(text))
            if level <= 3 { outline.append(.init(level: level, text: text, id: id)) }
            html += "<h\(level) id=\"\(id)\"><a class=\"anchor\" href=\"#\(id)\">\(Self.inlineHTML(inlines))</a></h\(level)>\n"
        case .code(let language, let text):
            let cls = language.isEmpty ? "" : " class=\"language-\(HTML.escape(language))\""
            let code = language == "swift" ? SwiftHighlighter.html(text) : HTML.escape(text)
            html += "<pre><code\(cls)>\(code)</code></pre>\n"
        case .cell(let cell):
            renderCell(cell)
        case .math(let tex, _):
            html += "<div class=\"math display\">\(HTML.escape("$$" + tex + "$$"))</div>\n"
        case .blockQuote(let inner):
            html += "<blockquote>\n"
            inner.forEach { render($0) }
            html += "</blockquote>\n"
        case .callout(let kind, let titleInlines, let inner):
            let label = titleInlines.isEmpty ? kind.capitalized : Self.inlineHTML(titleInlines)
            if kind == "details" || kind == "question" && !titleInlines.isEmpty {
                html += "<details class=\"callout callout-\(kind)\"><summary>\(label)</summary>\n"
                inner.forEach { render($0) }
                html += "</details>\n"
            } else {
                html += "<aside class=\"callout callout-\(kind)\"><p class=\"callout-title\">\(label)</p>\n"
                inner.forEach { render($0) }
                html += "</aside>\n"
            }
        case .list(let ordered, let start, let items):
            let tag = ordered ? "ol" : "ul"
            let startAttribute = ordered && start != 1 ? " start=\"\(start)\"" : ""
            html += "<\(tag)\(startAttribute)>\n"
            for item in items {
                html += "<li>"
                if let checked = item.checked {
                    html += "<input type=\"checkbox\" disabled\(checked ? " checked" : "")> "
                }
                // Tight lists: a lone paragraph renders without <p>.
                if item.blocks.count == 1, case .paragraph(let inlines) = item.blocks[0] {
                    html += Self.inlineHTML(inlines)
                } else {
                    html += "\n"
                    item.blocks.forEach { render($0) }
                }
                html += "</li>\n"
            }
            html += "</\(tag)>\n"
        case .table(let table):
            html += "<div class=\"table-wrap\"><table>\n<thead><tr>"
            for (i, cell) in table.header.enumerated() {
                html += "<th\(Self.alignAttribute(table.alignments, i))>\(Self.inlineHTML(cell))</th>"
            }
            html += "</tr></thead>\n<tbody>\n"
            for row in table.rows {
                html += "<tr>"
                for (i, cell) in row.enumerated() {
                    html += "<td\(Self.alignAttribute(table.alignments, i))>\(Self.inlineHTML(cell))</td>"
                }
                html += "</tr>\n"
            }
            html += "</tbody>\n</table></div>\n"
        case .thematicBreak:
            html += "<hr>\n"
        case .html(let raw):
            html += HTML.tagFiltered(raw)
        }
    }

    static func alignAttribute(_ alignments: [Table.Alignment], _ i: Int) -> String {
        guard i < alignments.count else { return "" }
        switch alignments[i] {
        case .none: return ""
        case .left: return " style=\"text-align:left\""
        case .center: return " style=\"text-align:center\""
        case .right: return " style=\"text-align:right\""
        }
    }

    mutating func uniqueID(_ base: String) -> String {
        var id = base
        var n = 1
        while usedIDs.contains(id) {
            n += 1
            id = "\(base)-\(n)"
        }
        usedIDs.insert(id)
        return id
    }

    // MARK: Cells

    mutating func renderCell(_ cell: Cell) {
        let options = cell.options
        html += "<div class=\"cell\" id=\"cell-\(cell.index + 1)\">\n"
        if options.echo {
            let code = "<pre class=\"cell-source\"><code class=\"language-swift\">\(SwiftHighlighter.html(cell.source))</code></pre>\n"
            if options.collapse {
                html += "<details class=\"cell-fold\"><summary>Code</summary>\n\(code)</details>\n"
            } else {
                html += code
            }
        }
        if options.output, let result = results[cell.index] {
            renderOutput(result, cell: cell)
        }
        html += "</div>\n"
    }

    mutating func renderOutput(_ result: CellResult, cell: Cell) {
        if !result.text.isEmpty || result.truncated {
            html += "<pre class=\"cell-output\"><samp>\(HTML.escape(result.text))</samp>"
            if result.truncated {
                html += "<span class=\"truncated\">… output truncated at \(ChapterRunner.textLimit / 1024) KiB</span>"
            }
            html += "</pre>\n"
        }
        if let error = result.error {
            html += "<pre class=\"cell-error\"><samp>\(HTML.escape(error))</samp></pre>\n"
        }
        for record in result.outputs {
            switch record.item {
            case .value(let text):
                html += "<pre class=\"cell-value\"><samp>\(HTML.escape(text))</samp></pre>\n"
            case .table(let table):
                html += "<div class=\"table-wrap cell-table\"><table>\n<thead><tr>"
                html += table.header.map { "<th>\(HTML.escape($0))</th>" }.joined()
                html += "</tr></thead>\n<tbody>\n"
                for row in table.rows {
                    html += "<tr>" + row.map { "<td>\(HTML.escape($0))</td>" }.joined() + "</tr>\n"
                }
                html += "</tbody>\n</table></div>\n"
            case .image(let file, let darkFile, let width, let height, let alt):
                renderImage(file: file, darkFile: darkFile, width: width, height: height, alt: alt, cell: cell)
            }
        }
    }

    mutating func renderImage(file: String, darkFile: String?, width: Int, height: Int, alt: String, cell: Cell) {
        guard let outputDirectory else { return }
        let folder = "figures/\(chapter.fileStem)/"
        assets.append(.init(source: outputDirectory + "/" + file, destination: folder + file))
        let altText = cell.options.alt ?? (alt.isEmpty ? (cell.options.caption ?? "Figure") : alt)
        var picture = "<picture>"
        if let darkFile {
            assets.append(.init(source: outputDirectory + "/" + darkFile, destination: folder + darkFile))
            picture += "<source srcset=\"\(HTML.escape(folder + darkFile))\" media=\"(prefers-color-scheme: dark)\">"
        }
        picture += "<img src=\"\(HTML.escape(folder + file))\" width=\"\(width)\" height=\"\(height)\" alt=\"\(HTML.escape(altText))\" loading=\"lazy\"></picture>"
        if let caption = cell.options.caption {
            figureCount += 1
            let id = cell.options.label.map { " id=\"\(HTML.escape($0))\"" } ?? ""
            html += "<figure\(id)>\(picture)<figcaption><span class=\"figure-number\">Figure \(chapter.number).\(figureCount)</span> \(HTML.escape(caption))</figcaption></figure>\n"
        } else {
            html += "<figure>\(picture)</figure>\n"
        }
    }

    // MARK: Inlines

    static func inlineHTML(_ inlines: [Inline]) -> String {
        inlines.map(inlineHTML).joined()
    }

    static func inlineHTML(_ inline: Inline) -> String {
        switch inline {
        case .text(let s): return HTML.escape(s)
        case .code(let s): return "<code>\(HTML.escape(s))</code>"
        case .emphasis(let c): return "<em>\(inlineHTML(c))</em>"
        case .strong(let c): return "<strong>\(inlineHTML(c))</strong>"
        case .strikethrough(let c): return "<del>\(inlineHTML(c))</del>"
        case .link(let destination, let title, let c):
            let titleAttribute = title.isEmpty ? "" : " title=\"\(HTML.escape(title))\""
            return "<a href=\"\(HTML.escape(destination))\"\(titleAttribute)>\(inlineHTML(c))</a>"
        case .image(let source, let title, let alt):
            let titleAttribute = title.isEmpty ? "" : " title=\"\(HTML.escape(title))\""
            return "<img src=\"\(HTML.escape(source))\" alt=\"\(HTML.escape(alt))\"\(titleAttribute)>"
        case .html(let raw): return HTML.tagFiltered(raw)
        case .softBreak: return "\n"
        case .lineBreak: return "<br>\n"
        case .math(let tex, let display, _):
            let delimiter = display ? "$$" : "$"
            return "<span class=\"math\(display ? " display" : "")\">\(HTML.escape(delimiter + tex + delimiter))</span>"
        }
    }
}
