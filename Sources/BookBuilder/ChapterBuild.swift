import Foundation

/// One chapter on its way through the build: load → parse → plan → key → execute → render.
///
/// Each named step reads what the steps before it left in the value and adds its own part, so
/// nothing is threaded beside it by index. `BookBuild.run` calls every step; `BookCheck.run`
/// calls the front half (parse, plan) and render without a run. A step after a failed one
/// still runs where it can (a chapter whose program failed to plan is still rendered, so its
/// references are checked), and every problem lands in `diagnostics`, in the order found.
struct ChapterBuild: Sendable {
    /// load: the chapter file and its front matter.
    let chapter: Chapter
    /// parse: the chapter's blocks, cells and inline values (empty when it failed to parse).
    var document = Document(blocks: [])
    /// plan: the program its cells and inline values make; nil when it has nothing to execute
    /// or failed to plan.
    var program: Program?
    /// key: the content key of its results; nil when there is nothing to execute or another
    /// shard executes it.
    var key: String?
    /// execute: its results, and where they came from.
    var run: ChapterRun?
    var origin: ResultOrigin?
    /// render: its page, the bibliography keys it cites, and what rendering warned about.
    var page: Page?
    var citedKeys: [String] = []
    var warnings: [Diagnostic] = []
    /// Every problem any step found.
    var diagnostics: [Diagnostic] = []

    init(_ chapter: Chapter) { self.chapter = chapter }

    var failed: Bool { !diagnostics.isEmpty }
    /// Its results came from a cache tier: nothing was compiled or run.
    var cached: Bool { origin != nil && origin != .executed }
    /// Whether it has anything to execute (its cells or inline values).
    var hasProgram: Bool {
        document.cells.contains(where: \.options.eval) || document.inlineValues.contains(where: \.eval)
    }
}

extension ChapterBuild {
    /// parse: the chapter's Markdown into a document, with the book's `execute:` defaults.
    static func parse(_ chapter: Chapter, defaults: [String: String]) -> ChapterBuild {
        var build = ChapterBuild(chapter)
        do throws(BuildFailure) {
            build.document = try MarkdownParser.parse(chapter, defaults: defaults)
        } catch {
            build.diagnostics += error.diagnostics
        }
        return build
    }

    /// The front half every command shares: parse, then plan.
    static func planned(_ chapter: Chapter, defaults: [String: String]) -> ChapterBuild {
        var build = parse(chapter, defaults: defaults)
        build.plan()
        return build
    }

    /// plan: the program of a parsed chapter that has something to execute.
    mutating func plan() {
        guard !failed, hasProgram else { return }
        do throws(BuildFailure) {
            program = try ProgramPlanner.plan(document.cells, file: chapter.displayPath,
                                              inlineValues: document.inlineValues, order: document.order)
        } catch {
            diagnostics += error.diagnostics
        }
    }

    /// key: what its results are stored under — the planner's line-free program, the cells'
    /// options, the files its front matter names as `inputs:` (read from `project`) and the
    /// engine's identity.
    mutating func key(engine: String, project: String) {
        guard let program else { return }
        let inputs = chapter.frontMatter.inputs.map { path in
            (path: path, contents: FileManager.default.contents(atPath: project + "/" + path))
        }
        key = ResultCache.key(program: program, cells: document.cells, inputs: inputs, engine: engine)
    }

    /// execute: its results from the first cache tier that has them, else by compiling and
    /// running its program (retrying without failed `error=true` cells), stored back in the
    /// tiers. With `renderOnly` nothing runs: a missing result is an error.
    func executed(stores: ResultStores, runner: ChapterRunner, options: BuildOptions, workDirectory: String,
                  log: @Sendable (BuildEvent) -> Void) -> ChapterBuild {
        guard let program, let key else { return self }
        var build = self
        let file = chapter.displayPath
        let reuse = (options.useCache || options.renderOnly) && chapter.frontMatter.cache
        if reuse, let hit = stores.load(key, file: file) {
            log(BuildEvent(file: file, phase: .cached))
            (build.run, build.origin) = hit
            return build
        }
        if options.renderOnly {
            log(BuildEvent(file: file, phase: .failed))
            build.diagnostics.append(Diagnostic(file: file, message: chapter.frontMatter.cache
                ? "no cached result for this chapter's cells (--render-only executes nothing): build its shard first"
                : "its front matter says 'cache: false', so --render-only cannot find its result"))
            return build
        }
        do throws(BuildFailure) {
            let run = try BookBuild.execute(program, document: document, runner: runner, workDirectory: workDirectory) { phase in
                log(BuildEvent(file: file, phase: phase == .compiling ? .compiling : .running))
            }
            if chapter.frontMatter.cache { stores.store(run, key: key, file: file) }
            log(BuildEvent(file: file, phase: .done(compileSeconds: run.compileSeconds, runSeconds: run.runSeconds,
                                                   memo: BuildEvent.memoNote(run.cells.flatMap { $0.memos ?? [] }))))
            (build.run, build.origin) = (run, .executed)
        } catch {
            log(BuildEvent(file: file, phase: .failed))
            build.diagnostics += error.diagnostics
        }
        return build
    }

    /// render: its page from the document and the run (nil: no results, as in `check`). A
    /// chapter that failed — only rendered with `--keep-going` or by `check` — says what went
    /// wrong at the top of its page.
    mutating func render(labels: LabelIndex, bibliography: Bibliography?, config: BookConfig) {
        var renderer = PageRenderer(chapter: chapter, document: document, run: run, labels: labels)
        renderer.bibliography = bibliography
        renderer.trustHTML = config.trustHTML
        renderer.bookExercises = config.exercises
        if let limit = config.explorableLimit { renderer.explorableLimitBytes = limit }
        var page = renderer.render()
        citedKeys = renderer.citedKeys
        diagnostics += renderer.problems
        warnings = renderer.warnings
        if failed {
            page.prepend([.el("div", ["class": "build-error", "role": "alert"], [
                .el("p", [:], [.el("strong", [:], [.text("This chapter failed to build.")])]),
                .el("pre", [:], [.text(diagnostics.map(\.description).joined(separator: "\n"))]),
            ]), .newline])
        }
        self.page = page
    }

    /// What the build summary says about it.
    var report: BuildSummary.ChapterReport {
        let lines = Dictionary(uniqueKeysWithValues: document.cells.map { ($0.index, $0.fenceLine) })
        let claims = run?.claims ?? []
        return BuildSummary.ChapterReport(
            file: chapter.displayPath, cells: program?.cells.count ?? 0, cached: cached, origin: origin,
            compileSeconds: cached ? 0 : run?.compileSeconds ?? 0,
            runSeconds: cached ? 0 : run?.runSeconds ?? 0,
            cellReports: (run?.cells ?? []).map { cell in
                // A chapter's results came from the cache: its memos did not run this time.
                BuildSummary.CellReport(cell: cell.index + 1, line: lines[cell.index] ?? 0, seconds: cell.seconds,
                                        peakKB: cell.peakKB, memos: cached ? nil : cell.memos)
            },
            claims: claims.isEmpty ? nil : claims,
            inlineValues: document.inlineValues.isEmpty ? nil : document.inlineValues.count)
    }
}
