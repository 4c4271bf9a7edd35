import Foundation
import Notebook
import TeXMath

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
    /// The text of each inline value that ran, by index.
    public var inlineTexts: [Int: String]
    public var labels: LabelIndex
    /// Problems found while rendering: bad formulas, references to labels that do not exist.
    public internal(set) var problems: [Diagnostic] = []
    /// The book's bibliography, for `[@key]` citations; nil in a book without one.
    public var bibliography: Bibliography?
    /// Keys this chapter cites, in the order first cited.
    public internal(set) var citedKeys: [String] = []
    /// Problems that do not fail the build: script removed from raw HTML or a link.
    public internal(set) var warnings: [Diagnostic] = []
    /// book.yml's `trust-html: true`: raw HTML and link URLs are kept exactly as written.
    public var trustHTML = false
    /// Numbers the cells rendered so far printed, for the typed-result lint.
    var printed = TypedResultLint.Printed()
    /// Index in `sourceLines` of the last rendered cell's closing fence: a typed result is
    /// prose after the cell that printed it, so its position is searched from there on.
    var lintSearchStart = 0
    /// Per searched text, the line index and UTF-16 column after its last reported occurrence (`locateNext`).
    var nextOccurrence: [String: (Int, Int)] = [:]
    /// Bytes of every explorable figure's frames on this page.
    public internal(set) var explorableBytes = 0

    private let math = MathRenderer()
    lazy var sourceLines: [String] = chapter.body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var html = ""
    var outline: [Page.Heading] = []
    private var assets: [Page.Asset] = []
    var usedIDs: Set<String> = []
    private var title: String?
    /// Above 0 while rendering a link's text, where a cross-reference cannot be a link too.
    var insideLink = 0
    /// Footnote texts, in number order, and how often each number was referenced so far.
    var footnotes: [[Block]] = []
    var footnoteReferences: [Int: Int] = [:]
    /// Numbered blocks so far, by kind; the labelled ones, for search.
    var blockCounts: [String: Int] = [:]
    var numberedBlocks: [Page.Labelled] = []
    /// book.yml's `exercises`; the chapter's front matter may choose otherwise.
    public var bookExercises: ExercisePlacement = .inline
    /// Exercises held back for the chapter's "Exercises" section, in the order written.
    var heldExercises: [(title: [Inline], inner: [Block])] = []
    /// True while the held exercises are rendered into their section.
    var renderingHeldExercises = false

    public init(chapter: Chapter, document: Document, run: ChapterRun?, labels: LabelIndex = LabelIndex()) {
        self.chapter = chapter
        self.labels = labels
        self.document = document
        self.results = Dictionary(uniqueKeysWithValues: (run?.cells ?? []).map { ($0.index, $0) })
        self.outputDirectory = run?.outputDirectory
        self.inlineTexts = run?.inlineValues ?? [:]
    }

    public mutating func render() -> Page {
        for block in document.blocks { render(block) }
        renderExercisesSection()
        renderFootnotes()
        renderReferences()
        let pageTitle = chapter.frontMatter.title ?? title ?? chapter.slug
        return Page(chapter: chapter, title: pageTitle, body: html, outline: outline, assets: assets, blocks: numberedBlocks)
    }

    // MARK: Blocks

    mutating func render(_ block: Block) {
        switch block {
        case .paragraph(let inlines):
            html += "<p>\(inlineHTML(inlines))</p>\n"
        case .heading(let level, let inlines, let line, let anchor):
            let text = inlines.plainText
            if level == 1, title == nil {
                title = text
                let kicker = chapter.isNumbered ? "<span class=\"chapter-number\">\(chapter.kicker)</span> " : ""
                html += "<h1>\(kicker)\(inlineHTML(inlines))</h1>\n"
                return
            }
            let id = uniqueID(anchor ?? HTML.slug(text))
            if level <= 3 { outline.append(.init(level: level, text: text, id: id)) }
            let number = labels.sectionNumber(chapter: chapter.number, line: line)
                .map { "<span class=\"section-number\">\($0)</span> " } ?? ""
            let content = inlineHTML(inlines)
            if Self.containsLink(content) {
                // Links cannot nest: a title holding one keeps its id but not the self-link.
                html += "<h\(level) id=\"\(id)\">\(number)\(content)</h\(level)>\n"
            } else {
                html += "<h\(level) id=\"\(id)\"><a class=\"anchor\" href=\"#\(id)\">\(number)\(content)</a></h\(level)>\n"
            }
        case .code(let language, let text):
            let cls = language.isEmpty ? "" : " class=\"language-\(HTML.escape(language))\""
            let code = language == "swift" ? SwiftHighlighter.html(text) : HTML.escape(text)
            html += "<pre><code\(cls)>\(code)</code></pre>\n"
        case .cell(let cell):
            renderCell(cell)
        case .math(let tex, let line):
            let label = LabelIndex.equationLabel(in: tex)
            let number = labels.equationNumber(chapter: chapter.number, line: line)
            let id = label.map { " id=\"\(HTML.escape($0))\"" } ?? ""
            html += "<div class=\"equation\"\(id)>\(mathHTML(tex, display: true, line: line, number: number))</div>\n"
        case .blockQuote(let inner):
            html += "<blockquote>\n"
            inner.forEach { render($0) }
            html += "</blockquote>\n"
        case .callout(let kind, let titleInlines, let inner):
            if renderNumberedBlock(kind: kind, title: titleInlines, inner: inner) { return }
            let label = titleInlines.isEmpty ? kind.capitalized : inlineHTML(titleInlines)
            if kind == "details" || kind == "question" && !titleInlines.isEmpty {
                // An open question is part of the lesson: shown open, foldable by the reader.
                html += "<details class=\"callout callout-\(kind)\"\(kind == "question" ? " open" : "")><summary>\(label)</summary>\n"
                inner.forEach { render($0) }
                html += "</details>\n"
            } else {
                html += "<aside class=\"callout callout-\(kind)\"><p class=\"callout-title\">\(label)</p>\n"
                inner.forEach { render($0) }
                html += "</aside>\n"
            }
        case .list(let ordered, let start, let tight, let items):
            let tag = ordered ? "ol" : "ul"
            let startAttribute = ordered && start != 1 ? " start=\"\(start)\"" : ""
            html += "<\(tag)\(startAttribute)>\n"
            for item in items {
                html += "<li>"
                if let checked = item.checked {
                    html += "<input type=\"checkbox\" disabled\(checked ? " checked" : "")> "
                }
                // In a tight list an item's paragraphs render without <p>; any other block
                // starts on a line of its own.
                for block in item.blocks {
                    if tight, case .paragraph(let inlines) = block {
                        html += inlineHTML(inlines)
                    } else {
                        if html.last != "\n" { html += "\n" }
                        render(block)
                    }
                }
                html += "</li>\n"
            }
            html += "</\(tag)>\n"
        case .table(let table):
            html += "<div class=\"table-wrap\"><table>\n<thead><tr>"
            for (i, cell) in table.header.enumerated() {
                html += "<th\(Self.alignAttribute(table.alignments, i))>\(inlineHTML(cell))</th>"
            }
            html += "</tr></thead>\n"
            if !table.rows.isEmpty {
                html += "<tbody>\n"
                for row in table.rows {
                    html += "<tr>"
                    for (i, cell) in row.enumerated() {
                        html += "<td\(Self.alignAttribute(table.alignments, i))>\(inlineHTML(cell))</td>"
                    }
                    html += "</tr>\n"
                }
                html += "</tbody>\n"
            }
            html += "</table></div>\n"
        case .thematicBreak:
            html += "<hr>\n"
        case .html(let raw):
            html += rawHTML(raw)
            if html.last != "\n" { html += "\n" }
        case .footnoteDefinition(let blocks):
            footnotes.append(blocks)  // rendered after the chapter's last block
        }
    }

    /// Whether rendered inline HTML holds an `<a>` (a link, a cross-reference, raw HTML).
    static func containsLink(_ html: String) -> Bool {
        var rest = Substring(html.lowercased())
        while let open = rest.range(of: "<a") {
            let next = rest[open.upperBound...].first
            if next == nil || next == ">" || next!.isWhitespace { return true }
            rest = rest[open.upperBound...]
        }
        return false
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
        TypedResultLint.learn(cell: cell, result: results[cell.index], into: &printed)
        let sourceLineCount = cell.source.split(separator: "\n", omittingEmptySubsequences: false).count
        lintSearchStart = max(lintSearchStart, cell.firstLine + sourceLineCount - 1 - chapter.bodyLineOffset)
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
            if options.measured {
                html += "<p class=\"measured-note\">Measured on the machine that built this book: times and speeds differ between machines and runs. The measurements are kept from the first build with this engine, so rebuilding reproduces this page.</p>\n"
            }
            renderOutput(result, cell: cell)
        }
        html += "</div>\n"
    }

    mutating func renderOutput(_ result: CellResult, cell: Cell) {
        for claim in result.claims ?? [] where !claim.holds && claim.severity == .warning {
            warnings.append(Diagnostic(file: chapter.displayPath, line: claim.line, column: claim.column, severity: .warning,
                                       message: "claim does not hold: \(claim.statement)" + (claim.values.isEmpty ? "" : " (\(claim.values))")))
        }
        // Printed text and displays in the order they happened: each display knows how many
        // bytes had been printed before it (records without that count follow all the text).
        let printed = Array(result.text.utf8)
        var shown = 0, truncationShown = false
        func text(upTo offset: Int) {
            let end = min(max(offset, shown), printed.count)
            let truncated = end == printed.count && result.truncated && !truncationShown
            guard end > shown || truncated else { return }
            html += "<pre class=\"cell-output\"><samp>\(HTML.escape(String(decoding: printed[shown..<end], as: UTF8.self)))</samp>"
            if truncated {
                html += "<span class=\"truncated\">… output truncated at \(ChapterRunner.textLimit / 1024) KiB</span>"
                truncationShown = true
            }
            html += "</pre>\n"
            shown = end
        }
        var pictures: [String] = []
        var figureOffset: Int?  // where the first image was shown, in UTF-8 bytes of `html`
        for record in result.outputs {
            text(upTo: record.textOffset ?? printed.count)
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
            case .image(let file, let darkFile, let width, let height, let alt, let textPixels, let narrow):
                if figureOffset == nil { figureOffset = html.utf8.count }
                pictures.append(picture(file: file, darkFile: darkFile, width: width, height: height, alt: alt, cell: cell,
                                        caption: result.computedCaption, altText: result.computedAlt,
                                        textPixels: textPixels, narrow: narrow))
            case .explorable(let family):
                if figureOffset == nil { figureOffset = html.utf8.count }
                pictures.append(explorableHTML(family, cell: cell, caption: result.computedCaption, altText: result.computedAlt))
            case .failedClaim(let statement, let values):
                html += "<div class=\"claim-failed\" role=\"note\"><strong>This claim does not hold in this build:</strong> "
                    + HTML.escape(statement) + (values.isEmpty ? "" : " <span class=\"claim-values\">(\(HTML.escape(values)))</span>") + "</div>\n"
            }
        }
        text(upTo: printed.count)
        if let error = result.error {
            html += "<pre class=\"cell-error\"><samp>\(HTML.escape(error))</samp></pre>\n"
        }
        guard !pictures.isEmpty, let figureOffset else { return }
        // The cell's images form one figure, placed where the first of them was shown; a
        // captioned cell is one numbered figure, however many images it shows.
        var figure: String
        if let caption = result.computedCaption ?? cell.options.caption {
            let id = cell.options.label.map { " id=\"\(HTML.escape($0))\"" } ?? ""
            let number = labels.figureNumber(chapter: chapter.number, cell: cell.index) ?? chapter.displayNumber
            figure = "<figure\(id)>\(pictures.joined())<figcaption><span class=\"figure-number\">Figure \(number)</span> "
            figure += "\(HTML.escape(caption))</figcaption></figure>\n"
        } else {
            figure = "<figure>\(pictures.joined())</figure>\n"
        }
        html.insert(contentsOf: figure, at: html.utf8.index(html.utf8.startIndex, offsetBy: figureOffset))
    }

    /// The media query under which a figure's stacked layout (`Figure.stacked`) replaces its
    /// desktop one: the phone layout (up to 50rem) and the narrowest desktop windows, whose
    /// column (the window less a 15rem sidebar and 5rem of padding, at 18 px) is under 580 px,
    /// so that the desktop layout always has at least `Figure.legibleColumn` plus a scroll bar.
    static let narrowMedia = "(max-width: 939px)"

    mutating func picture(file: String, darkFile: String?, width: Int, height: Int, alt: String, cell: Cell,
                          caption: String? = nil, altText computedAlt: String? = nil,
                          textPixels: Double? = nil, narrow: OutputRecord.NarrowRecord? = nil) -> String {
        guard let outputDirectory else { return "" }
        let folder = "figures/\(chapter.fileStem)/"
        assets.append(.init(source: outputDirectory + "/" + file, destination: folder + file))
        let altText = computedAlt ?? cell.options.alt ?? (caption ?? cell.options.caption ?? (alt.isEmpty ? "Figure" : alt))
        func textAttribute(_ px: Double?) -> String {
            px.map { " data-text-px=\"\(HTML.escape(String(format: "%.2f", $0)))\"" } ?? ""
        }
        // The first matching source wins: narrow dark, narrow, dark, then the image itself.
        var picture = "<picture>"
        if let narrow {
            let size = " width=\"\(narrow.width)\" height=\"\(narrow.height)\"" + textAttribute(narrow.textPixels)
            if let dark = narrow.darkFile {
                assets.append(.init(source: outputDirectory + "/" + dark, destination: folder + dark))
                picture += "<source srcset=\"\(HTML.escape(folder + dark))\" media=\"(prefers-color-scheme: dark) and \(Self.narrowMedia)\"\(size) data-variant=\"narrow-dark\">"
            }
            assets.append(.init(source: outputDirectory + "/" + narrow.file, destination: folder + narrow.file))
            picture += "<source srcset=\"\(HTML.escape(folder + narrow.file))\" media=\"\(Self.narrowMedia)\"\(size) data-variant=\"narrow\">"
        }
        if let darkFile {
            assets.append(.init(source: outputDirectory + "/" + darkFile, destination: folder + darkFile))
            picture += "<source srcset=\"\(HTML.escape(folder + darkFile))\" media=\"(prefers-color-scheme: dark)\" data-variant=\"dark\">"
        }
        picture += "<img src=\"\(HTML.escape(folder + file))\" width=\"\(width)\" height=\"\(height)\" alt=\"\(HTML.escape(altText))\"\(textAttribute(textPixels)) loading=\"lazy\"></picture>"
        return picture
    }

    /// The bytes of one explorable figure's frames above which the build warns.
    public var explorableLimitBytes = 8 << 20

    /// An explorable figure: its initial frame as an ordinary picture (complete without
    /// JavaScript, in print and in search), its readout, and the slider `book.js` brings to
    /// life, with every frame's path in `data-` attributes.
    mutating func explorableHTML(_ family: OutputRecord.ExplorableRecord, cell: Cell, caption: String?, altText: String?) -> String {
        guard let outputDirectory, !family.files.isEmpty else { return "" }
        let folder = "figures/\(chapter.fileStem)/"
        let k = min(family.initial, family.files.count - 1)
        var bytes = 0
        let narrow = family.narrow.flatMap { $0.count == family.files.count ? $0 : nil }
        let initialFiles = [family.files[k], family.darkFiles[k], narrow?[k].file, narrow?[k].darkFile].compactMap { $0 }
        let narrowFiles = (narrow ?? []).flatMap { [$0.file] + ($0.darkFile.map { [$0] } ?? []) }
        for file in family.files + family.darkFiles.compactMap({ $0 }) + narrowFiles {
            if !initialFiles.contains(file) {
                assets.append(.init(source: outputDirectory + "/" + file, destination: folder + file))
            }
            bytes += ((try? FileManager.default.attributesOfItem(atPath: outputDirectory + "/" + file))?[.size] as? Int) ?? 0
        }
        if bytes > explorableLimitBytes {
            warnings.append(Diagnostic(file: chapter.displayPath, line: cell.fenceLine, column: 1, severity: .warning,
                                       message: "explorable figure over \(family.parameter): \(family.files.count) frames, \(ExecutionLimits.describe(bytes)), more than the \(ExecutionLimits.describe(explorableLimitBytes)) limit (explorable-limit in book.yml)"))
        }
        explorableBytes += bytes
        func json(_ values: [String?]) -> String {
            let data = (try? JSONSerialization.data(withJSONObject: values.map { $0 ?? NSNull() as Any }, options: [.withoutEscapingSlashes])) ?? Data("[]".utf8)
            return HTML.escape(String(decoding: data, as: UTF8.self))
        }
        let picture = picture(file: family.files[k], darkFile: family.darkFiles[k], width: family.width, height: family.height,
                              alt: family.alt, cell: cell, caption: caption, altText: altText,
                              textPixels: family.textPixels, narrow: narrow?[k])
        var out = "<div class=\"explorable\" data-frames=\"\(json(family.files.map { folder + $0 }))\" data-dark-frames=\"\(json(family.darkFiles.map { $0.map { folder + $0 } }))\" data-labels=\"\(json(family.labels))\""
        if let narrow {
            out += " data-narrow-frames=\"\(json(narrow.map { folder + $0.file }))\" data-narrow-dark-frames=\"\(json(narrow.map { $0.darkFile.map { folder + $0 } }))\""
        }
        if let readouts = family.readouts { out += " data-readouts=\"\(json(readouts))\"" }
        out += ">" + picture
        let label = family.labels.indices.contains(k) ? family.labels[k] : ""
        if let axes = family.axes, axes.count == 2, axes[1].labels.count > 0,
           axes[0].labels.count * axes[1].labels.count == family.files.count {
            // Two knobs: one labelled slider each; frame i·m + j.
            let m = axes[1].labels.count
            out = out.replacingOccurrences(of: "<div class=\"explorable\"", with: "<div class=\"explorable explorable-grid\" data-columns=\"\(m)\"")
            out += "<div class=\"explorer\" hidden>"
            for (a, axis) in axes.enumerated() {
                let index = a == 0 ? k / m : k % m
                let value = axis.labels.indices.contains(index) ? axis.labels[index] : ""
                out += "<div class=\"explore-axis\" data-labels=\"\(json(axis.labels))\"><span>\(HTML.escape(axis.parameter))</span>"
                out += "<input type=\"range\" min=\"0\" max=\"\(axis.labels.count - 1)\" step=\"1\" value=\"\(index)\" aria-label=\"\(HTML.escape(axis.parameter))\" aria-valuetext=\"\(HTML.escape(value))\">"
                out += "<output>\(HTML.escape(value))</output></div>"
            }
            out += "</div>"
        } else {
            out += "<div class=\"explorer\" hidden>"
            if family.animated { out += "<button type=\"button\" class=\"explore-play\" aria-label=\"Play\" hidden>\u{25B6}</button>" }
            out += "<input type=\"range\" min=\"0\" max=\"\(family.files.count - 1)\" step=\"1\" value=\"\(k)\" aria-label=\"\(HTML.escape(family.parameter))\" aria-valuetext=\"\(HTML.escape(label))\">"
            out += "<output>\(HTML.escape(label))</output></div>"
        }
        if let readouts = family.readouts, readouts.indices.contains(k) {
            out += "<p class=\"explore-readout\" aria-live=\"polite\">\(HTML.escape(readouts[k]))</p>"
        }
        return out + "</div>"
    }

    // MARK: Math and references

    /// MathML for a formula; a malformed one is reported at its line in the chapter.
    mutating func mathHTML(_ tex: String, display: Bool, line: Int, number: String? = nil) -> String {
        do throws(MathError) {
            return try math.render(tex, display: display, number: number).mathML
        } catch {
            let location = error.location(in: tex)
            var column = 0
            // Where the formula's first written line is in the chapter: `$$` may stand alone on
            // the line above it, and the TeX may or may not keep the newline after it.
            let texLines = tex.split(separator: "\n", omittingEmptySubsequences: false)
            let lead = texLines.prefix { $0.trimmingCharacters(in: .whitespaces).isEmpty }.count
            var first = line  // chapter line of TeX line `lead + 1`
            if lead < texLines.count {
                let text = texLines[lead].trimmingCharacters(in: .whitespaces)
                for k in 0..<4 {
                    let candidate = line - chapter.bodyLineOffset + k
                    if candidate >= 1, candidate <= sourceLines.count, sourceLines[candidate - 1].contains(text) {
                        first = line + k
                        break
                    }
                }
            }
            let errorLine = first + location.line - lead - 1
            let bodyLine = errorLine - chapter.bodyLineOffset
            var sourceLine: String?
            if bodyLine >= 1, bodyLine <= sourceLines.count {
                sourceLine = sourceLines[bodyLine - 1]
                let firstLine = tex.split(separator: "\n", omittingEmptySubsequences: false)[location.line - 1]
                if location.line == 1, let range = sourceLine!.range(of: firstLine) {
                    column = sourceLine!.distance(from: sourceLine!.startIndex, to: range.lowerBound) + location.column
                } else if location.line > 1 {
                    column = location.column
                }
            }
            problems.append(Diagnostic(file: chapter.displayPath, line: errorLine, column: column,
                                       message: "in math: \(error.message)", sourceLine: sourceLine))
            return "<code class=\"math-error\">\(HTML.escape(tex))</code>"
        }
    }

    static let referencePattern = try! NSRegularExpression(
        pattern: #"(?<![\w.@])@((?:"# + LabelIndex.referencePrefixes.joined(separator: "|") + #")-[A-Za-z0-9_-]*[A-Za-z0-9])"#)

    /// Text with `@fig-…`, `@eq-…`, `@sec-…` turned into links ("Figure 3.2").
    mutating func textHTML(_ text: String) -> String {
        for number in TypedResultLint.typed(in: text, printed: printed) {
            let (line, column) = locate(number, fromLine: lintSearchStart)
            warnings.append(Diagnostic(file: chapter.displayPath, line: line, column: column, severity: .warning,
                                       message: "typed result: \(number) is what a cell above printed; use an inline value (`{swift} …`) so it cannot go stale"))
        }
        guard text.contains("@") else { return HTML.escape(text) }
        if let cited = citationsHTML(text) { return cited }
        let ns = text as NSString
        var out = ""
        var position = 0
        for match in Self.referencePattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            out += HTML.escape(ns.substring(with: NSRange(location: position, length: match.range.location - position)))
            let label = ns.substring(with: match.range(at: 1))
            if let target = labels.targets[label] {
                let href = target.page == chapter.pageName ? "#\(target.anchor)" : "\(target.page)#\(target.anchor)"
                // Inside a link's text the reference reads as its number: anchors cannot nest.
                out += insideLink > 0 ? HTML.escape(target.text)
                    : "<a class=\"xref\" href=\"\(HTML.escape(href))\">\(HTML.escape(target.text))</a>"
            } else {
                let (line, column) = locateNext("@" + label)
                problems.append(Diagnostic(file: chapter.displayPath, line: line, column: column,
                                           message: "reference to unknown label '\(label)'",
                                           sourceLine: line > 0 ? sourceLines[line - chapter.bodyLineOffset - 1] : nil))
                out += HTML.escape("@" + label)
            }
            position = match.range.location + match.range.length
        }
        out += HTML.escape(ns.substring(from: position))
        return out
    }

    /// Raw HTML as the page gets it: tag-filtered always, and with script removed unless trusted.
    mutating func rawHTML(_ raw: String) -> String {
        let filtered = HTML.tagFiltered(raw)
        guard !trustHTML else { return filtered }
        let (safe, removed) = HTMLPolicy.sanitize(filtered)
        for removal in removed { warnScript(removal.description + " in raw HTML", needle: removal.needle) }
        return safe
    }

    mutating func warnScript(_ what: String, needle: String) {
        let (line, column) = locate(needle)
        warnings.append(Diagnostic(file: chapter.displayPath, line: line, column: column, severity: .warning,
                                   message: "removed \(what): it would run script in the page (set trust-html: true in book.yml to keep raw HTML as written)"))
    }

    /// Where `needle` occurs in the chapter after the place this method last returned for
    /// it: the renderer meets a chapter's text in order, so the k-th problem with the same
    /// text (a repeated unknown `@fig-x`) is reported at the k-th occurrence, not always at the
    /// first. Past the last occurrence, the first.
    mutating func locateNext(_ needle: String) -> (Int, Int) {
        let (startLine, startColumn) = nextOccurrence[needle] ?? (0, 0)
        for i in startLine..<sourceLines.count {
            let line = sourceLines[i]
            let from = i == startLine ? startColumn : 0
            guard from <= line.utf16.count,
                  let range = line.range(of: needle, range: String.Index(utf16Offset: from, in: line)..<line.endIndex) else { continue }
            let offset = range.lowerBound.utf16Offset(in: line)
            nextOccurrence[needle] = (i, offset + needle.utf16.count)
            return (i + 1 + chapter.bodyLineOffset, line.distance(from: line.startIndex, to: range.lowerBound) + 1)
        }
        return locate(needle)
    }

    /// Where `needle` first occurs in the chapter, at or after the line with index `fromLine`
    /// (then anywhere, if it is not found there): line and column, (0, 0) if absent.
    mutating func locate(_ needle: String, fromLine: Int = 0) -> (Int, Int) {
        if fromLine > 0, fromLine < sourceLines.count {
            for i in fromLine..<sourceLines.count {
                if let range = sourceLines[i].range(of: needle) {
                    return (i + 1 + chapter.bodyLineOffset, sourceLines[i].distance(from: sourceLines[i].startIndex, to: range.lowerBound) + 1)
                }
            }
        }
        for (i, line) in sourceLines.enumerated() {
            if let range = line.range(of: needle) {
                return (i + 1 + chapter.bodyLineOffset, line.distance(from: line.startIndex, to: range.lowerBound) + 1)
            }
        }
        return (0, 0)
    }

    // MARK: Inlines

    mutating func inlineHTML(_ inlines: [Inline]) -> String {
        var out = ""
        for inline in inlines { out += inlineHTML(inline) }
        return out
    }

    mutating func inlineHTML(_ inline: Inline) -> String {
        switch inline {
        case .text(let s): return textHTML(s)
        case .code(let s): return "<code>\(HTML.escape(s))</code>"
        case .emphasis(let c): return "<em>\(inlineHTML(c))</em>"
        case .strong(let c): return "<strong>\(inlineHTML(c))</strong>"
        case .strikethrough(let c): return "<del>\(inlineHTML(c))</del>"
        case .link(var destination, let title, let c):
            // Links between chapters may name the Markdown file; the site has the page. Only
            // relative paths: `mailto:someone@host.md` or `https://x.md` are not chapters.
            if destination.range(of: #"^[A-Za-z][A-Za-z0-9+.-]*:"#, options: .regularExpression) == nil,
               let range = destination.range(of: #"\.md(?=$|#)"#, options: .regularExpression) {
                destination.replaceSubrange(range, with: ".html")
            }
            let titleAttribute = title.isEmpty ? "" : " title=\"\(HTML.escape(title))\""
            if !trustHTML, let scheme = HTMLPolicy.dangerousScheme(destination) {
                warnScript("a \(scheme): URL in a link (the link text is kept, without the link)", needle: destination)
                return inlineHTML(c)
            }
            insideLink += 1
            defer { insideLink -= 1 }
            return "<a href=\"\(HTML.escapeURL(destination))\"\(titleAttribute)>\(inlineHTML(c))</a>"
        case .image(let source, let title, let alt):
            if !trustHTML, let scheme = HTMLPolicy.dangerousScheme(source, image: true) {
                warnScript("a \(scheme): URL as an image (its alt text is shown instead)", needle: source)
                return HTML.escape(alt)
            }
            let titleAttribute = title.isEmpty ? "" : " title=\"\(HTML.escape(title))\""
            return "<img src=\"\(HTML.escapeURL(source))\" alt=\"\(HTML.escape(alt))\"\(titleAttribute)>"
        case .html(let raw): return rawHTML(raw)
        case .softBreak: return "\n"
        case .lineBreak: return "<br>\n"
        case .math(let tex, let display, let line):
            return mathHTML(tex, display: display, line: line)
        case .footnoteReference(let number):
            return footnoteReferenceHTML(number)
        case .inlineValue(let value):
            if let text = inlineTexts[value.index] {
                return "<span class=\"inline-value\">\(HTML.escape(text))</span>"
            }
            // Not run (an `eval: false` chapter, or a failed build shown with --keep-going): the code.
            return "<code>\(HTML.escape(InlineValue.marker + " " + value.expression))</code>"
        }
    }
}
