import Foundation
import Notebook
import TeXMath

/// Stage 5: a parsed chapter plus its cells' results → its page's document tree.
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
    /// Bytes of every explorable figure's frames on this page.
    public internal(set) var explorableBytes = 0

    private let math = MathRenderer()
    /// The chapter's lines, from the parser: what diagnostics quote, and where a problem
    /// inside an inline is looked for from the inline's own position.
    var lines: LineMap { document.lines }
    /// What the blocks rendered so far produced, at the level being built (`collecting`).
    var out: [HTMLNode] = []
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
        return Page(chapter: chapter, title: pageTitle, content: out, outline: outline, assets: assets, blocks: numberedBlocks)
    }

    /// The nodes `body` renders, kept apart from the page's (for an element's children).
    mutating func collecting(_ body: (inout PageRenderer) -> Void) -> [HTMLNode] {
        let saved = out
        out = []
        body(&self)
        let collected = out
        out = saved
        return collected
    }

    /// The nodes `blocks` render.
    mutating func rendered(_ blocks: [Block]) -> [HTMLNode] {
        collecting { renderer in blocks.forEach { renderer.render($0) } }
    }

    // MARK: Blocks

    mutating func render(_ block: Block) {
        switch block {
        case .paragraph(let inlines):
            out += [.el("p", [:], inlineNodes(inlines)), .newline]
        case .heading(let level, let inlines, let line, let anchor):
            let text = inlines.plainText
            if level == 1, title == nil {
                title = text
                let kicker: [HTMLNode] = chapter.isNumbered
                    ? [.el("span", ["class": "chapter-number"], [.text(chapter.kicker)]), .text(" ")] : []
                out += [.el("h1", [:], kicker + inlineNodes(inlines)), .newline]
                return
            }
            let id = uniqueID(anchor ?? HTML.slug(text))
            let sectionNumber = labels.sectionNumber(chapter: chapter.number, line: line)
            if level <= 3 { outline.append(.init(level: level, text: text, id: id, number: sectionNumber)) }
            let number: [HTMLNode] = sectionNumber.map { [.el("span", ["class": "section-number"], [.text($0)]), .text(" ")] } ?? []
            let content = inlineNodes(inlines)
            if content.containsLink {
                // Links cannot nest: a title holding one keeps its id but not the self-link.
                out += [.el("h\(level)", ["id": id], number + content), .newline]
            } else {
                out += [.el("h\(level)", ["id": id], [.el("a", ["class": "anchor", "href": "#\(id)"], number + content)]), .newline]
            }
        case .code(let language, let text):
            let code: [HTMLNode] = language == "swift" ? SwiftHighlighter.nodes(text) : [.text(text)]
            let attributes = language.isEmpty ? [] : [HTMLAttribute("class", "language-" + language)]
            out += [.el("pre", [:], [.el("code", attributes: attributes, code)]), .newline]
        case .cell(let cell):
            renderCell(cell)
        case .math(let tex, let line):
            let label = LabelIndex.equationLabel(in: tex)
            let number = labels.equationNumber(chapter: chapter.number, line: line)
            let attributes = [HTMLAttribute("class", "equation")] + (label.map { [HTMLAttribute("id", $0)] } ?? [])
            out += [.el("div", attributes: attributes, [mathNode(tex, display: true, line: line, number: number)]), .newline]
        case .blockQuote(let inner):
            out += [.el("blockquote", [:], [.newline] + rendered(inner)), .newline]
        case .callout(let kind, let titleInlines, let inner):
            if renderNumberedBlock(kind: kind, title: titleInlines, inner: inner) { return }
            let label: [HTMLNode] = titleInlines.isEmpty ? [.text(kind.capitalized)] : inlineNodes(titleInlines)
            if kind == "details" || kind == "question" && !titleInlines.isEmpty {
                // An open question is part of the lesson: shown open, foldable by the reader.
                let attributes = [HTMLAttribute("class", "callout callout-\(kind)")] + (kind == "question" ? [.flag("open")] : [])
                out += [.el("details", attributes: attributes, [.el("summary", [:], label), .newline] + rendered(inner)), .newline]
            } else {
                out += [.el("aside", ["class": "callout callout-\(kind)"],
                            [.el("p", ["class": "callout-title"], label), .newline] + rendered(inner)), .newline]
            }
        case .list(let ordered, let start, let tight, let items):
            var list: [HTMLNode] = [.newline]
            for item in items {
                var entry: [HTMLNode] = []
                if let checked = item.checked {
                    entry += [.el("input", attributes: [HTMLAttribute("type", "checkbox"), .flag("disabled")] + (checked ? [.flag("checked")] : [])),
                              .text(" ")]
                }
                // In a tight list an item's paragraphs render without <p>; any other block
                // starts on a line of its own.
                for block in item.blocks {
                    if tight, case .paragraph(let inlines) = block {
                        entry += inlineNodes(inlines)
                    } else {
                        if !entry.endsWithNewline { entry.append(.newline) }
                        entry += rendered([block])
                    }
                }
                list += [.el("li", [:], entry), .newline]
            }
            let attributes = ordered && start != 1 ? [HTMLAttribute("start", "\(start)")] : []
            out += [.el(ordered ? "ol" : "ul", attributes: attributes, list), .newline]
        case .table(let table):
            var header: [HTMLNode] = []
            for (i, cell) in table.header.enumerated() {
                header.append(.el("th", attributes: Self.alignAttribute(table.alignments, i), inlineNodes(cell)))
            }
            var rows: [HTMLNode] = [.newline, .el("thead", [:], [.el("tr", [:], header)]), .newline]
            if !table.rows.isEmpty {
                var body: [HTMLNode] = [.newline]
                for row in table.rows {
                    var cells: [HTMLNode] = []
                    for (i, cell) in row.enumerated() {
                        cells.append(.el("td", attributes: Self.alignAttribute(table.alignments, i), inlineNodes(cell)))
                    }
                    body += [.el("tr", [:], cells), .newline]
                }
                rows += [.el("tbody", [:], body), .newline]
            }
            out += [.el("div", ["class": "table-wrap"], [.el("table", [:], rows)]), .newline]
        case .thematicBreak:
            out += [.el("hr"), .newline]
        case .html(let raw, let at):
            let node = rawNode(raw, at: at)
            out.append(node)
            if case .raw(let markup, _) = node, !markup.isEmpty, !markup.hasSuffix("\n") { out.append(.newline) }
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

    static func alignAttribute(_ alignments: [Table.Alignment], _ i: Int) -> [HTMLAttribute] {
        guard i < alignments.count else { return [] }
        switch alignments[i] {
        case .none: return []
        case .left: return [HTMLAttribute("style", "text-align:left")]
        case .center: return [HTMLAttribute("style", "text-align:center")]
        case .right: return [HTMLAttribute("style", "text-align:right")]
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
        let children = collecting { renderer in
            if options.echo {
                let code: [HTMLNode] = [.el("pre", ["class": "cell-source"], [.el("code", ["class": "language-swift"], SwiftHighlighter.nodes(cell.source))]),
                                        .newline]
                if options.collapse {
                    renderer.out += [.el("details", ["class": "cell-fold"], [.el("summary", [:], [.text("Code")]), .newline] + code), .newline]
                } else {
                    renderer.out += code
                }
            }
            if options.output, let result = renderer.results[cell.index] {
                if options.measured {
                    renderer.out += [.el("p", ["class": "measured-note"], [.text(Self.measuredNote)]), .newline]
                }
                renderer.renderOutput(result, cell: cell)
            }
        }
        out += [.el("div", ["class": "cell", "id": "cell-\(cell.index + 1)"], [.newline] + children), .newline]
    }

    static let measuredNote = "Measured on the machine that built this book: times and speeds differ between machines and runs. The measurements are kept from the first build with this engine, so rebuilding reproduces this page."

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
            var output: [HTMLNode] = [.el("samp", [:], [.text(String(decoding: printed[shown..<end], as: UTF8.self))])]
            if truncated {
                output.append(.el("span", ["class": "truncated"], [.text("… output truncated at \(ChapterRunner.textLimit / 1024) KiB")]))
                truncationShown = true
            }
            out += [.el("pre", ["class": "cell-output"], output), .newline]
            shown = end
        }
        var pictures: [HTMLNode] = []
        var figureIndex: Int?  // where in `out` the first image was shown
        for record in result.outputs {
            text(upTo: record.textOffset ?? printed.count)
            switch record.item {
            case .value(let text):
                out += [.el("pre", ["class": "cell-value"], [.el("samp", [:], [.text(text)])]), .newline]
            case .table(let table):
                var rows: [HTMLNode] = [.newline]
                for row in table.rows {
                    rows += [.el("tr", [:], row.map { .el("td", [:], [.text($0)]) }), .newline]
                }
                let header = HTMLNode.el("thead", [:], [.el("tr", [:], table.header.map { .el("th", [:], [.text($0)]) })])
                out += [.el("div", ["class": "table-wrap cell-table"], [.el("table", [:], [.newline, header, .newline, .el("tbody", [:], rows), .newline])]),
                        .newline]
            case .image(let file, let darkFile, let width, let height, let alt, let textPixels, let narrow):
                if figureIndex == nil { figureIndex = out.count }
                if let node = picture(file: file, darkFile: darkFile, width: width, height: height, alt: alt, cell: cell,
                                      caption: result.computedCaption, altText: result.computedAlt,
                                      textPixels: textPixels, narrow: narrow) { pictures.append(node) }
            case .explorable(let family):
                if figureIndex == nil { figureIndex = out.count }
                if let node = explorableNode(family, cell: cell, caption: result.computedCaption, altText: result.computedAlt) {
                    pictures.append(node)
                }
            case .failedClaim(let statement, let values):
                var note: [HTMLNode] = [.el("strong", [:], [.text("This claim does not hold in this build:")]), .text(" " + statement)]
                if !values.isEmpty { note += [.text(" "), .el("span", ["class": "claim-values"], [.text("(\(values))")])] }
                out += [.el("div", ["class": "claim-failed", "role": "note"], note), .newline]
            }
        }
        text(upTo: printed.count)
        if let error = result.error {
            out += [.el("pre", ["class": "cell-error"], [.el("samp", [:], [.text(error)])]), .newline]
        }
        guard let figureIndex else { return }
        // The cell's images form one figure, placed where the first of them was shown; a
        // captioned cell is one numbered figure, however many images it shows.
        let figure: HTMLNode
        if let caption = result.computedCaption ?? cell.options.caption {
            let number = labels.figureNumber(chapter: chapter.number, cell: cell.index) ?? chapter.displayNumber
            let figcaption = HTMLNode.el("figcaption", [:], [.el("span", ["class": "figure-number"], [.text("Figure \(number)")]), .text(" " + caption)])
            figure = .el("figure", attributes: cell.options.label.map { [HTMLAttribute("id", $0)] } ?? [], pictures + [figcaption])
        } else {
            figure = .el("figure", [:], pictures)
        }
        out.insert(contentsOf: [figure, .newline], at: figureIndex)
    }

    /// The media query under which a figure's stacked layout (`Figure.stacked`) replaces its
    /// desktop one: the phone layout (up to 50rem) and the narrowest desktop windows, whose
    /// column (the window less a 15rem sidebar and 5rem of padding, at 18 px) is under 580 px,
    /// so that the desktop layout always has at least `Figure.legibleColumn` plus a scroll bar.
    static let narrowMedia = "(max-width: 939px)"

    mutating func picture(file: String, darkFile: String?, width: Int, height: Int, alt: String, cell: Cell,
                          caption: String? = nil, altText computedAlt: String? = nil,
                          textPixels: Double? = nil, narrow: OutputRecord.NarrowRecord? = nil) -> HTMLNode? {
        guard let outputDirectory else { return nil }
        let folder = "figures/\(chapter.fileStem)/"
        assets.append(.init(source: outputDirectory + "/" + file, destination: folder + file))
        let altText = computedAlt ?? cell.options.alt ?? (caption ?? cell.options.caption ?? (alt.isEmpty ? "Figure" : alt))
        func textAttribute(_ px: Double?) -> [HTMLAttribute] {
            px.map { [HTMLAttribute("data-text-px", String(format: "%.2f", $0))] } ?? []
        }
        // The first matching source wins: narrow dark, narrow, dark, then the image itself.
        var sources: [HTMLNode] = []
        if let narrow {
            let size = [HTMLAttribute("width", "\(narrow.width)"), HTMLAttribute("height", "\(narrow.height)")] + textAttribute(narrow.textPixels)
            if let dark = narrow.darkFile {
                assets.append(.init(source: outputDirectory + "/" + dark, destination: folder + dark))
                sources.append(.el("source", attributes: [HTMLAttribute("srcset", folder + dark),
                                                          HTMLAttribute("media", "(prefers-color-scheme: dark) and \(Self.narrowMedia)")]
                                    + size + [HTMLAttribute("data-variant", "narrow-dark")]))
            }
            assets.append(.init(source: outputDirectory + "/" + narrow.file, destination: folder + narrow.file))
            sources.append(.el("source", attributes: [HTMLAttribute("srcset", folder + narrow.file), HTMLAttribute("media", Self.narrowMedia)]
                                + size + [HTMLAttribute("data-variant", "narrow")]))
        }
        if let darkFile {
            assets.append(.init(source: outputDirectory + "/" + darkFile, destination: folder + darkFile))
            sources.append(.el("source", ["srcset": folder + darkFile, "media": "(prefers-color-scheme: dark)", "data-variant": "dark"]))
        }
        let image = HTMLNode.el("img", attributes: [HTMLAttribute("src", folder + file), HTMLAttribute("width", "\(width)"),
                                                    HTMLAttribute("height", "\(height)"), HTMLAttribute("alt", altText)]
                                    + textAttribute(textPixels) + [HTMLAttribute("loading", "lazy")])
        return .el("picture", [:], sources + [image])
    }

    /// The bytes of one explorable figure's frames above which the build warns.
    public var explorableLimitBytes = 8 << 20

    /// An explorable figure: its initial frame as an ordinary picture (complete without
    /// JavaScript, in print and in search), its readout, and the slider `book.js` brings to
    /// life, with every frame's path in `data-` attributes.
    mutating func explorableNode(_ family: OutputRecord.ExplorableRecord, cell: Cell, caption: String?, altText: String?) -> HTMLNode? {
        guard let outputDirectory, !family.files.isEmpty else { return nil }
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
            return String(decoding: data, as: UTF8.self)
        }
        let picture = picture(file: family.files[k], darkFile: family.darkFiles[k], width: family.width, height: family.height,
                              alt: family.alt, cell: cell, caption: caption, altText: altText,
                              textPixels: family.textPixels, narrow: narrow?[k])
        var attributes = [HTMLAttribute("class", "explorable")]
        var children: [HTMLNode] = []
        let label = family.labels.indices.contains(k) ? family.labels[k] : ""
        func slider(max: Int, value: Int, parameter: String, text: String) -> HTMLNode {
            .el("input", ["type": "range", "min": "0", "max": "\(max)", "step": "1", "value": "\(value)",
                          "aria-label": parameter, "aria-valuetext": text])
        }
        if let axes = family.axes, axes.count == 2, axes[1].labels.count > 0,
           axes[0].labels.count * axes[1].labels.count == family.files.count {
            // Two knobs: one labelled slider each; frame i·m + j.
            let m = axes[1].labels.count
            attributes = [HTMLAttribute("class", "explorable explorable-grid"), HTMLAttribute("data-columns", "\(m)")]
            var knobs: [HTMLNode] = []
            for (a, axis) in axes.enumerated() {
                let index = a == 0 ? k / m : k % m
                let value = axis.labels.indices.contains(index) ? axis.labels[index] : ""
                knobs.append(.el("div", ["class": "explore-axis", "data-labels": json(axis.labels)], [
                    .el("span", [:], [.text(axis.parameter)]),
                    slider(max: axis.labels.count - 1, value: index, parameter: axis.parameter, text: value),
                    .el("output", [:], [.text(value)]),
                ]))
            }
            children.append(.el("div", attributes: [HTMLAttribute("class", "explorer"), .flag("hidden")], knobs))
        } else {
            var controls: [HTMLNode] = []
            if family.animated {
                controls.append(.el("button", attributes: [HTMLAttribute("type", "button"), HTMLAttribute("class", "explore-play"),
                                                           HTMLAttribute("aria-label", "Play"), .flag("hidden")], [.text("\u{25B6}")]))
            }
            controls += [slider(max: family.files.count - 1, value: k, parameter: family.parameter, text: label),
                         .el("output", [:], [.text(label)])]
            children.append(.el("div", attributes: [HTMLAttribute("class", "explorer"), .flag("hidden")], controls))
        }
        attributes += [HTMLAttribute("data-frames", json(family.files.map { folder + $0 })),
                       HTMLAttribute("data-dark-frames", json(family.darkFiles.map { $0.map { folder + $0 } })),
                       HTMLAttribute("data-labels", json(family.labels))]
        if let narrow {
            attributes += [HTMLAttribute("data-narrow-frames", json(narrow.map { folder + $0.file })),
                           HTMLAttribute("data-narrow-dark-frames", json(narrow.map { $0.darkFile.map { folder + $0 } }))]
        }
        if let readouts = family.readouts { attributes.append(HTMLAttribute("data-readouts", json(readouts))) }
        if let readouts = family.readouts, readouts.indices.contains(k) {
            children.append(.el("p", ["class": "explore-readout", "aria-live": "polite"], [.text(readouts[k])]))
        }
        return .el("div", attributes: attributes, (picture.map { [$0] } ?? []) + children)
    }

    // MARK: Math and references

    /// MathML for a formula; a malformed one is reported at its line in the chapter.
    mutating func mathNode(_ tex: String, display: Bool, line: Int, number: String? = nil) -> HTMLNode {
        do throws(MathError) {
            let rendered = try math.render(tex, display: display, number: number)
            return .raw(rendered.mathML, text: " " + rendered.plainText + (rendered.tag.map { " " + $0 } ?? "") + " ")
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
                    if lines.text(ofLine: line + k)?.contains(text) == true {
                        first = line + k
                        break
                    }
                }
            }
            let errorLine = first + location.line - lead - 1
            var sourceLine: String?
            if let text = lines.text(ofLine: errorLine) {
                sourceLine = text
                let firstLine = tex.split(separator: "\n", omittingEmptySubsequences: false)[location.line - 1]
                if location.line == 1, let range = sourceLine!.range(of: firstLine) {
                    column = sourceLine!.distance(from: sourceLine!.startIndex, to: range.lowerBound) + location.column
                } else if location.line > 1 {
                    column = location.column
                }
            }
            problems.append(Diagnostic(file: chapter.displayPath, line: errorLine, column: column,
                                       message: "in math: \(error.message)", sourceLine: sourceLine))
            return .el("code", ["class": "math-error"], [.text(tex)])
        }
    }

    static let referencePattern = try! NSRegularExpression(
        pattern: #"(?<![\w.@])@((?:"# + LabelIndex.referencePrefixes.joined(separator: "|") + #")-[A-Za-z0-9_-]*[A-Za-z0-9])"#)

    /// Text with `@fig-…`, `@eq-…`, `@sec-…` turned into links ("Figure 3.2"). `position`: where
    /// the text starts in the chapter; what it reports is looked for from there.
    mutating func textNodes(_ text: String, at position: SourcePosition) -> [HTMLNode] {
        var lint = lines.cursor(at: position)
        for number in TypedResultLint.typed(in: text, printed: printed) {
            let place = lint.next(number) ?? position
            warnings.append(Diagnostic(file: chapter.displayPath, at: place, severity: .warning,
                                       message: "typed result: \(number) is what a cell above printed; use an inline value (`{swift} …`) so it cannot go stale"))
        }
        guard text.contains("@") else { return [.text(text)] }
        if let cited = citationNodes(text, at: position) { return cited }
        let ns = text as NSString
        var out: [HTMLNode] = []
        var offset = 0
        var references = lines.cursor(at: position)
        for match in Self.referencePattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            out.append(.text(ns.substring(with: NSRange(location: offset, length: match.range.location - offset))))
            let label = ns.substring(with: match.range(at: 1))
            let place = references.next("@" + label) ?? position
            if let target = labels.targets[label] {
                let href = target.page == chapter.pageName ? "#\(target.anchor)" : "\(target.page)#\(target.anchor)"
                // Inside a link's text the reference reads as its number: anchors cannot nest.
                out.append(insideLink > 0 ? .text(target.text) : .el("a", ["class": "xref", "href": href], [.text(target.text)]))
            } else {
                problems.append(Diagnostic(file: chapter.displayPath, at: place,
                                           message: "reference to unknown label '\(label)'", sourceLine: lines.text(ofLine: place.line)))
                out.append(.text("@" + label))
            }
            offset = match.range.location + match.range.length
        }
        out.append(.text(ns.substring(from: offset)))
        return out
    }

    /// Raw HTML as the page gets it: tag-filtered always, and with script removed unless trusted.
    mutating func rawNode(_ raw: String, at position: SourcePosition) -> HTMLNode {
        let filtered = HTML.tagFiltered(raw)
        guard !trustHTML else { return .raw(filtered, text: PlainText.of(filtered)) }
        let (safe, removed) = HTMLPolicy.sanitize(filtered)
        for removal in removed { warnScript(removal.description + " in raw HTML", needle: removal.needle, at: position) }
        return .raw(safe, text: PlainText.of(safe))
    }

    /// `needle`: the offending text, looked for from `position` (the raw HTML or the link), on
    /// its line and then on the next few (a raw HTML block spans lines).
    mutating func warnScript(_ what: String, needle: String, at position: SourcePosition) {
        let place = lines.find(needle, from: position, lineCount: 64) ?? position
        warnings.append(Diagnostic(file: chapter.displayPath, at: place, severity: .warning,
                                   message: "removed \(what): it would run script in the page (set trust-html: true in book.yml to keep raw HTML as written)"))
    }

    // MARK: Inlines

    mutating func inlineNodes(_ inlines: [Inline]) -> [HTMLNode] {
        var out: [HTMLNode] = []
        for inline in inlines { out += inlineNodes(inline) }
        return out
    }

    mutating func inlineNodes(_ inline: Inline) -> [HTMLNode] {
        switch inline {
        case .text(let s, let at): return textNodes(s, at: at)
        case .code(let s, _): return [.el("code", [:], [.text(s)])]
        case .emphasis(let c): return [.el("em", [:], inlineNodes(c))]
        case .strong(let c): return [.el("strong", [:], inlineNodes(c))]
        case .strikethrough(let c): return [.el("del", [:], inlineNodes(c))]
        case .link(var destination, let title, let c, let at):
            // Links between chapters may name the Markdown file; the site has the page. Only
            // relative paths: `mailto:someone@host.md` or `https://x.md` are not chapters.
            if destination.range(of: #"^[A-Za-z][A-Za-z0-9+.-]*:"#, options: .regularExpression) == nil,
               let range = destination.range(of: #"\.md(?=$|#)"#, options: .regularExpression) {
                destination.replaceSubrange(range, with: ".html")
            }
            if !trustHTML, let scheme = HTMLPolicy.dangerousScheme(destination) {
                warnScript("a \(scheme): URL in a link (the link text is kept, without the link)", needle: destination, at: at)
                return inlineNodes(c)
            }
            insideLink += 1
            defer { insideLink -= 1 }
            let attributes = [HTMLAttribute.url("href", destination)] + (title.isEmpty ? [] : [HTMLAttribute("title", title)])
            return [.el("a", attributes: attributes, inlineNodes(c))]
        case .image(let source, let title, let alt, let at):
            if !trustHTML, let scheme = HTMLPolicy.dangerousScheme(source, image: true) {
                warnScript("a \(scheme): URL as an image (its alt text is shown instead)", needle: source, at: at)
                return [.text(alt)]
            }
            let attributes = [HTMLAttribute.url("src", source), HTMLAttribute("alt", alt)] + (title.isEmpty ? [] : [HTMLAttribute("title", title)])
            return [.el("img", attributes: attributes)]
        case .html(let raw, let at): return [rawNode(raw, at: at)]
        case .softBreak: return [.newline]
        case .lineBreak: return [.el("br"), .newline]
        case .math(let tex, let display, let at):
            return [mathNode(tex, display: display, line: at.line)]
        case .footnoteReference(let number):
            return [footnoteReferenceNode(number)]
        case .inlineValue(let value):
            if let text = inlineTexts[value.index] {
                return [.el("span", ["class": "inline-value"], [.text(text)])]
            }
            // Not run (an `eval: false` chapter, or a failed build shown with --keep-going): the code.
            return [.el("code", [:], [.text(InlineValue.marker + " " + value.expression)])]
        }
    }
}
