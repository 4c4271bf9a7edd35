import Foundation

/// `litopt check`: everything a build verifies before running cells, and links, in well under a second.
///
/// Loads and parses every chapter (front matter, cell options), checks each cell's syntax,
/// resolves every `@fig-`/`@eq-`/`@sec-` reference and renders every formula, and checks
/// links between chapters and their `#anchors` and local images. Nothing is compiled or run
/// and nothing is fetched: external links are counted, not visited.
public enum BookCheck {
    public struct Summary: Sendable {
        public var chapters: Int
        public var cells: Int
        public var externalLinks: [String]
        /// Problems that do not fail the check (a bibliography entry cited nowhere).
        public var warnings: [Diagnostic] = []
    }

    /// `typecheck`: also type-check every chapter's program with the compiler (cells, inline
    /// values, computed captions), generating no code and running nothing; `cache` holds the
    /// compiler's module cache.
    public static func run(chapters directory: String, typecheck: Bool = false,
                           cache: String = ".litopt-cache", jobs: Int = ProcessInfo.processInfo.activeProcessorCount) throws(BuildFailure) -> Summary {
        let book = try BookLoader.load(chaptersDirectory: BookBuild.absolute(directory), displayDirectory: directory)
        var builds = book.chapters.map { ChapterBuild.planned($0, defaults: book.config.cellDefaults) }
        var problems = builds.flatMap(\.diagnostics)
        let documents = builds.map(\.document)
        let programs = builds.filter { $0.program != nil }
        if typecheck, problems.isEmpty, !programs.isEmpty {
            try OutputFolders.check(cache, kind: .cache, chapters: directory)
            OutputFolders.prepareCache(BookBuild.absolute(cache))
            let toolchain = try Toolchain.discover(cache: BookBuild.absolute(cache))
            let runner = ChapterRunner(toolchain: toolchain, moduleCache: BookBuild.absolute(cache) + "/module-cache")
            ChapterRunner.prepareModuleCache(runner.moduleCache)
            let work = TemporaryFiles.newFolder()
            defer { try? FileManager.default.removeItem(atPath: work) }
            let outcomes = ParallelMap.map(programs, jobs: max(1, jobs)) { build -> [Diagnostic] in
                do throws(BuildFailure) {
                    try runner.typecheck(build.program!, cells: build.document.cells, workDirectory: work + "/" + build.chapter.fileStem)
                    return []
                } catch {
                    return error.diagnostics
                }
            }
            problems += outcomes.flatMap { $0 }
        }
        let labels: LabelIndex
        do throws(BuildFailure) {
            labels = try LabelIndex.build(chapters: book.chapters, documents: documents, numbering: book.config.numbering)
        } catch {
            throw BuildFailure(problems + error.diagnostics)
        }
        let bibliography: Bibliography?
        do throws(BuildFailure) {
            bibliography = try Bibliography.load(for: book, chaptersDirectory: BookBuild.absolute(directory),
                                                 displayDirectory: directory)
        } catch {
            throw BuildFailure(problems + error.diagnostics)
        }
        // Rendered without results: what rendering finds (references, formulas, citations).
        for i in builds.indices {
            let before = builds[i].diagnostics.count
            builds[i].render(labels: labels, bibliography: bibliography, config: book.config)
            problems += builds[i].diagnostics[before...]
        }
        let pages = builds.map { $0.page! }
        let cited = Set(builds.flatMap(\.citedKeys))
        let renderWarnings = builds.flatMap(\.warnings)
        var warnings: [Diagnostic] = []
        for entry in bibliography?.entries.sorted(by: { $0.line < $1.line }) ?? [] where !cited.contains(entry.key) {
            warnings.append(Diagnostic(file: bibliography!.file, line: entry.line, column: entry.column, severity: .warning,
                                       message: "entry '\(entry.key)' is cited nowhere"))
        }
        warnings += TypedCitationLint.warnings(book.chapters)
        warnings += renderWarnings
        var external: [String] = []
        // Anchors each page defines.
        var anchors: [String: Set<String>] = [:]
        for page in pages {
            anchors[page.chapter.pageName] = Set(page.outline.map(\.id))
                .union(labels.targets.values.filter { $0.page == page.chapter.pageName }.map(\.anchor))
        }
        if bibliography != nil, !cited.isEmpty {
            anchors[BibliographyPage.fileStem + ".html"] = Set(cited.map { "ref-" + $0 })
        }
        let chaptersDirectory = BookBuild.absolute(directory)
        for (chapter, document) in zip(book.chapters, documents) {
            for (link, at) in document.links {
                // A javascript:/data: URL is not a file: the build removes it with a warning (or keeps it, trusted).
                if HTMLPolicy.dangerousScheme(link, image: true) != nil { continue }
                if link.contains("://") || link.hasPrefix("mailto:") {
                    external.append(link)
                    continue
                }
                let parts = link.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                var file = parts[0]
                if file.hasSuffix(".md") { file = String(file.dropLast(3)) + ".html" }
                let anchor = parts.count > 1 ? parts[1] : nil
                let page = file.isEmpty ? chapter.pageName : file
                if let pageAnchors = anchors[page] {
                    if let anchor, !anchor.isEmpty, !pageAnchors.contains(anchor) {
                        problems.append(located(document, chapter, link, at: at, "link to '#\(anchor)', which \(page) does not define"))
                    }
                } else if !FileManager.default.fileExists(atPath: chaptersDirectory + "/" + parts[0]) {
                    problems.append(located(document, chapter, link, at: at, "link to '\(link)', which is neither a chapter nor a file"))
                }
            }
        }
        guard problems.isEmpty else { throw BuildFailure(problems) }
        return Summary(chapters: book.chapters.count, cells: documents.map(\.cells.count).reduce(0, +),
                       externalLinks: external, warnings: warnings)
    }

    /// A problem with a link's destination, placed at the destination: looked for from the
    /// link's position, on its line and the next (`[text]\n(url)`), else at the link.
    static func located(_ document: Document, _ chapter: Chapter, _ destination: String, at link: SourcePosition,
                        _ message: String) -> Diagnostic {
        let lines = document.lines
        let place = lines.find("(" + destination, from: link)
            ?? lines.find("(" + destination, from: SourcePosition(line: link.line + 1, column: 1))
        let at = place.map { SourcePosition(line: $0.line, column: $0.column + 1) } ?? link
        return Diagnostic(file: chapter.displayPath, at: at, message: message, sourceLine: lines.text(ofLine: at.line))
    }
}

extension Document {
    /// Destinations of every link and image, in order, with where each link starts.
    var links: [(String, SourcePosition)] {
        var found: [(String, SourcePosition)] = []
        func visit(_ inlines: [Inline]) {
            for inline in inlines {
                switch inline {
                case .link(let destination, _, let inner, let at): found.append((destination, at)); visit(inner)
                case .image(let source, _, _, let at): found.append((source, at))
                case .emphasis(let c), .strong(let c), .strikethrough(let c): visit(c)
                default: break
                }
            }
        }
        func visit(_ blocks: [Block]) {
            for block in blocks {
                switch block {
                case .paragraph(let inlines), .heading(_, let inlines, _, _): visit(inlines)
                case .blockQuote(let inner), .footnoteDefinition(let inner): visit(inner)
                case .callout(_, let title, let inner): visit(title); visit(inner)
                case .list(_, _, _, let items): items.forEach { visit($0.blocks) }
                case .table(let table): table.header.forEach(visit); table.rows.forEach { $0.forEach(visit) }
                default: break
                }
            }
        }
        visit(blocks)
        return found
    }
}

/// `litopt new "Title"`: the next numbered chapter, with front matter and an example cell.
public enum ChapterTemplate {
    /// A YAML double-quoted scalar that reads back as exactly `text` (`A: b`, `#x`, `[1]`,
    /// quotes, backslashes): a JSON string is one, since YAML 1.2 contains JSON.
    static func yamlQuoted(_ text: String) -> String { SearchIndex.javaScriptString(text) }

    public static func create(title: String, chapters directory: String) throws -> String {
        let fm = FileManager.default
        let existing = (try? fm.contentsOfDirectory(atPath: directory)) ?? []
        let numbers = existing.compactMap { name -> Int? in
            guard name.hasSuffix(".md") else { return nil }
            return Int(name.prefix { $0.isNumber })
        }
        let number = (numbers.max() ?? 0) + 1
        let name = String(format: "%02d-%@.md", number, HTML.slug(title))
        let path = directory + "/" + name
        guard !fm.fileExists(atPath: path) else { throw CocoaError(.fileWriteFileExists) }
        let text = """
        ---
        title: \(yamlQuoted(title))
        ---
        # \(title)

        Write the chapter here. Cells are fenced `swift` blocks; they run in order and share state.

        ```swift
        let f: (Double, Double) -> Double = { x, y in x * x + 10 * y * y }
        show(Figure.contour(x: -2...2, y: -2...2) { x, y in f(x, y) }.title("A ravine"))
        ```

        """
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
