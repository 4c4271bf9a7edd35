import CProcess
import Foundation
import Notebook

/// What `litopt build` was asked to do.
public struct BuildOptions: Sendable {
    /// Folder of `NN-slug.md` files and `book.yml`.
    public var chapters: String
    /// The site folder (replaced whole on success).
    public var output: String
    /// The compiler's module cache and, later, cached results.
    public var cache: String
    /// Chapters compiled and run at the same time.
    public var jobs: Int
    /// `false` (`--no-cache`) re-executes every chapter (results are still stored).
    public var useCache: Bool
    /// Build every chapter that can be built and write the site, failing chapters shown with
    /// their errors; the build still fails (`--keep-going`).
    public var keepGoing = false
    /// The memo folder is trimmed to this many bytes after a build, least recently used first.
    public var memoLimitBytes = 1 << 30
    /// What is written into the output folder: the HTML site, `book.epub`, `book.pdf`. All
    /// come from the same executed results, so adding a format re-runs no cell.
    public var formats: Set<OutputFormat> = [.html]
    /// Memory and per-file output limits of each chapter's program.
    public var limits: ExecutionLimits
    /// `--shard K/N`: execute only the chapters of shard K of N (`ShardPlan`), store their
    /// results in the cache tiers, and write no site.
    public var shard: (index: Int, count: Int)? = nil
    /// `--render-only`: execute nothing; write the site from cached results, failing with every
    /// chapter whose result is missing.
    public var renderOnly = false
    /// A shared cache folder (`--shared-cache`; book.yml `shared-cache`), e.g. on a network
    /// filesystem that every shard and the render job see.
    public var sharedCache: String? = nil
    /// An HTTP cache (`--remote-cache URL`; book.yml `remote-cache`) and its bearer token.
    public var remoteCache: String? = nil
    public var remoteToken: String? = nil
    /// Seconds each remote request may take.
    public var remoteTimeout: Double = 10
    /// An unusable remote cache fails the build instead of degrading to local execution.
    public var requireRemote = false

    public init(chapters: String = "Chapters", output: String = "Site", cache: String = ".litopt-cache",
                jobs: Int = ProcessInfo.processInfo.activeProcessorCount, useCache: Bool = true) {
        self.chapters = chapters
        self.output = output
        self.cache = cache
        self.jobs = max(1, jobs)
        self.useCache = useCache
        self.limits = ExecutionLimits(jobs: max(1, jobs))
    }
}

/// An output of `litopt build --format`.
public enum OutputFormat: String, Sendable, CaseIterable, Comparable {
    case html, epub, pdf
    public static func < (a: Self, b: Self) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
    /// The file a single-file format is written to, inside the output folder.
    public var fileName: String? {
        switch self {
        case .html: nil
        case .epub: "book.epub"
        case .pdf: "book.pdf"
        }
    }
}

/// What a build did, chapter by chapter.
public struct BuildSummary: Sendable, Codable {
    public struct ChapterReport: Sendable, Codable {
        public var file: String
        /// Cells that ran (or whose results were reused).
        public var cells: Int
        /// Results came from the cache: nothing was compiled or run.
        public var cached: Bool
        /// Where its results came from (absent for a chapter without cells).
        public var origin: ResultOrigin?
        public var compileSeconds: Double
        public var runSeconds: Double
        public var cellReports: [CellReport]
        /// Every claim the chapter's cells checked, with its outcome (absent when none).
        public var claims: [ClaimRecord]?
        /// How many inline values the chapter shows.
        public var inlineValues: Int?
    }
    public struct CellReport: Sendable, Codable {
        public var cell: Int
        public var line: Int
        public var seconds: Double?
        public var peakKB: Int?
        /// The cell's `memo` calls (absent when it made none).
        public var memos: [MemoEvent]?
    }
    public var chapters: [ChapterReport]
    public var seconds: Double
    /// Warnings from rendering (script removed from raw HTML, a typed citation), each placed.
    public var renderWarnings: [Diagnostic] = []
    /// Problems with the shared or remote cache that did not stop the build.
    public var cacheWarnings: [Diagnostic] = []
    /// For `--shard K/N`: the shard built (no site was written).
    public var shard: ShardPlan.Shard? = nil
    public var shardCount: Int? = nil
    /// Nothing the site is built from changed since the build that wrote it (`SiteStamp`):
    /// this build did no work, and its report is that build's, every chapter from the cache.
    public var upToDate: Bool? = nil
    /// Problems that did not stop the build (a damaged memo entry, recomputed; script removed
    /// from raw HTML), as typed values; `DiagnosticPrinter` makes them text.
    public var warnings: [Diagnostic] {
        renderWarnings + cacheWarnings + chapters.flatMap { chapter in
            chapter.cellReports.flatMap { cell in
                (cell.memos ?? []).compactMap { event in
                    event.warning.map {
                        Diagnostic(file: chapter.file, line: cell.line, column: 1, severity: .warning,
                                   message: "memo '\(event.key)': \($0)")
                    }
                }
            }
        }
    }

    public var memoEvents: [MemoEvent] { chapters.flatMap { $0.cellReports.flatMap { $0.memos ?? [] } } }

    public var executed: Int { chapters.filter { !$0.cached && $0.cells > 0 }.count }
    public var claims: [ClaimRecord] { chapters.flatMap { $0.claims ?? [] } }
    public var inlineValueCount: Int { chapters.map { $0.inlineValues ?? 0 }.reduce(0, +) }
    public var fromCache: Int { chapters.filter(\.cached).count }
}

/// load → parse → plan → execute → render → write, each a plain function of the last.
public enum BookBuild {
    public static func run(_ options: BuildOptions, log: @escaping @Sendable (BuildEvent) -> Void = { _ in }) throws(BuildFailure) -> BuildSummary {
        let start = Date()
        TemporaryFiles.sweep()  // what builds killed outright left behind
        let book = try BookLoader.load(chaptersDirectory: absolute(options.chapters),
                                       displayDirectory: options.chapters)
        try OutputFolders.check(options.cache, kind: .cache, chapters: options.chapters)
        if options.shard == nil {
            try OutputFolders.check(options.output, kind: .site, chapters: options.chapters, other: options.cache)
        }
        let project = projectFolder(options)
        let (stores, sharedFolder) = try cacheTiers(options, book: book)
        let remote = stores.remote
        if options.requireRemote, remote == nil {
            throw BuildFailure([Diagnostic(file: options.chapters + "/book.yml", message:
                "--require-remote was given but no remote cache is configured (--remote-cache, LITOPT_REMOTE_CACHE or book.yml's remote-cache)")])
        }
        // Nothing changed since the build that wrote this site: nothing to do.
        let stamped = SiteStamp.applies(options, book: book, stores: stores)
        let stampFile = SiteStamp.file(cache: absolute(options.cache), output: absolute(options.output))
        let stampCore = stamped ? SiteStamp.coreInputs(options, book: book, chapters: absolute(options.chapters), project: project) : ""
        if stamped, options.useCache,
           let stamp = SiteStamp.current(file: stampFile, core: stampCore, cache: absolute(options.cache), output: absolute(options.output)) {
            return stamp.upToDateSummary(seconds: Date().timeIntervalSince(start))
        }

        // Parse and plan every chapter, collecting every problem, chapter by chapter.
        var builds = book.chapters.map { ChapterBuild.planned($0, defaults: book.config.cellDefaults) }
        let labels = try LabelIndex.build(chapters: book.chapters, documents: builds.map(\.document), numbering: book.config.numbering)
        let bibliography = try Bibliography.load(for: book, chaptersDirectory: absolute(options.chapters),
                                                 displayDirectory: options.chapters)
        func problems() -> [Diagnostic] { builds.flatMap(\.diagnostics) }
        func stopUnlessKeepingGoing() throws(BuildFailure) {
            if !options.keepGoing, builds.contains(where: \.failed) { throw BuildFailure(problems()) }
        }
        try stopUnlessKeepingGoing()
        let executes = builds.contains { $0.program != nil }

        // Which chapters this build may execute: all, or those of its shard.
        let bookName = book.config.title
        let timesBefore = executes
            ? stores.loadTimes(book: bookName, cacheFolder: absolute(options.cache), sharedFolder: sharedFolder) : ChapterTimes()
        var shard: ShardPlan.Shard?
        if let (index, count) = options.shard {
            let withCells = builds.filter { $0.program != nil }.map(\.chapter.fileName)
            shard = ShardPlan(chapters: withCells, seconds: timesBefore.seconds, count: count).shards[index - 1]
        }
        if let remote, options.requireRemote, let problem = remote.diagnostics.first(where: { $0.severity == .error }) {
            throw BuildFailure([problem])
        }

        // Execute chapters in parallel, reusing cached results where the content key matches.
        let work = TemporaryFiles.newFolder()
        defer { try? FileManager.default.removeItem(atPath: work) }
        if executes {
            OutputFolders.prepareCache(absolute(options.cache))
            let toolchain = try Toolchain.discover(cache: absolute(options.cache))
            if let sharedFolder { OutputFolders.prepareCache(sharedFolder) }
            let engine = ResultCache.engineIdentity(toolchain, cache: absolute(options.cache))
            let memo = MemoStore(directory: absolute(options.cache) + "/memo", salt: engine, recomputeAll: !options.useCache)
            let runner = {
                var runner = ChapterRunner(toolchain: toolchain, moduleCache: absolute(options.cache) + "/module-cache", memo: memo)
                runner.limits = options.limits
                return runner
            }()
            ChapterRunner.prepareModuleCache(runner.moduleCache)
            let selected = shard.map { Set($0.chapters) }
            for i in builds.indices where selected?.contains(builds[i].chapter.fileName) ?? true {
                builds[i].key(engine: engine, project: project)
            }
            for build in builds where build.key != nil { log(BuildEvent(file: build.chapter.displayPath, phase: .queued)) }
            builds = ParallelMap.map(builds, jobs: options.jobs) { build in
                build.executed(stores: stores, runner: runner, options: options,
                               workDirectory: work + "/" + build.chapter.fileStem, log: log)
            }
        }
        let cacheProblems = remote?.diagnostics ?? []
        if cacheProblems.contains(where: { $0.severity == .error }) {
            throw BuildFailure(cacheProblems.filter { $0.severity == .error } + problems())
        }
        // A failing build still says what went wrong with the caches (a corrupt remote entry
        // is why a render-only build found no result).
        if !options.keepGoing, builds.contains(where: \.failed) {
            throw BuildFailure(problems() + cacheProblems)
        }
        if let shard {
            // A shard writes no site: the render job does, from every shard's results.
            if builds.contains(where: \.failed) { throw BuildFailure(problems()) }
            MemoStore.evict(directory: absolute(options.cache) + "/memo", limitBytes: options.memoLimitBytes)
            let members = Set(shard.chapters)
            var summary = BuildSummary(chapters: builds.filter { members.contains($0.chapter.fileName) }.map(\.report),
                                       seconds: Date().timeIntervalSince(start))
            summary.cacheWarnings = cacheProblems
            summary.shard = shard
            summary.shardCount = options.shard?.count
            return summary
        }
        try stopUnlessKeepingGoing()

        // Render and write.
        for i in builds.indices {
            builds[i].render(labels: labels, bibliography: bibliography, config: book.config)
        }
        try stopUnlessKeepingGoing()
        var pages = builds.map { $0.page! }
        if let bibliography, let page = try BibliographyPage.page(bibliography, pages: pages, cited: builds.map(\.citedKeys),
                                                                   directory: absolute(options.chapters)) {
            pages.append(page)
        }
        let theme = absolute(options.chapters) + "/theme"
        var extras: [(name: String, data: Data)] = []
        if options.formats.contains(.epub) {
            var config = book.config
            if let cover = config.cover {
                guard !cover.hasPrefix("/"), !cover.split(separator: "/").contains("..") else {
                    throw BuildFailure([Diagnostic(file: options.chapters + "/book.yml",
                                                   message: "cover '\(cover)' must be a path inside the chapters folder")])
                }
                config.cover = absolute(options.chapters) + "/" + cover
            }
            extras.append((OutputFormat.epub.fileName!, try EPUBWriter.archive(metadata: EPUBWriter.metadata(config), pages: pages)))
        }
        if options.formats.contains(.pdf) {
            extras.append((OutputFormat.pdf.fileName!, try PDFWriter.render(metadata: EPUBWriter.metadata(book.config), pages: pages)))
        }
        try SiteWriter.write(book: book.config, pages: pages, to: absolute(options.output),
                             theme: FileManager.default.fileExists(atPath: theme) ? theme : nil,
                             html: options.formats.contains(.html), extras: extras)
        if builds.contains(where: \.failed) { throw BuildFailure(problems()) }

        if executes {
            MemoStore.evict(directory: absolute(options.cache) + "/memo", limitBytes: options.memoLimitBytes)
        }
        // The chapters' measured times, for planning the next sharded build.
        var times = timesBefore
        for build in builds {
            if let run = build.run { times.seconds[build.chapter.fileName] = run.compileSeconds + run.runSeconds }
        }
        let current = Set(book.chapters.map(\.fileName))
        times.seconds = times.seconds.filter { current.contains($0.key) }
        if executes, times != timesBefore {
            stores.storeTimes(times, book: bookName, cacheFolder: absolute(options.cache), sharedFolder: sharedFolder)
        }
        var summary = BuildSummary(chapters: builds.map(\.report), seconds: Date().timeIntervalSince(start))
        summary.renderWarnings = builds.flatMap(\.warnings)
        summary.cacheWarnings = cacheProblems
        // Recorded with the cache as this build left it, and only if nothing else it read
        // changed while it ran (an edit saved mid-build makes the next build a real one).
        if stamped, SiteStamp.coreInputs(options, book: book, chapters: absolute(options.chapters), project: project) == stampCore {
            OutputFolders.prepareCache(absolute(options.cache))
            SiteStamp.record(file: stampFile, core: stampCore, cache: absolute(options.cache), entries: builds.compactMap(\.key),
                             output: absolute(options.output), summary: summary)
        }
        return summary
    }

    /// The cache tiers `options` and book.yml ask for (flags win), and the shared folder.
    static func cacheTiers(_ options: BuildOptions, book: Book) throws(BuildFailure) -> (ResultStores, sharedFolder: String?) {
        let project = projectFolder(options)
        let sharedFolder = (options.sharedCache ?? book.config.sharedCache.map { $0.hasPrefix("/") ? $0 : project + "/" + $0 })
            .map(absolute)
        if let sharedFolder { try OutputFolders.check(sharedFolder, kind: .cache, chapters: options.chapters, other: options.cache) }
        let remote = (options.remoteCache ?? book.config.remoteCache).map {
            RemoteCache(base: $0, token: options.remoteToken, timeout: options.remoteTimeout, required: options.requireRemote)
        }
        let stores = ResultStores(local: ResultCache(directory: absolute(options.cache) + "/results"),
                                  shared: sharedFolder.map { ResultCache(directory: ResultStores.sharedResults($0)) },
                                  remote: remote)
        return (stores, sharedFolder)
    }

    /// The plan `--shard K/N` builds follow for `count` shards (`litopt build --plan N`):
    /// the chapters that have cells, balanced by the times the cache tiers remember. Nothing
    /// is compiled or run.
    public static func shardPlan(_ options: BuildOptions, count: Int) throws(BuildFailure) -> ShardPlan {
        let book = try BookLoader.load(chaptersDirectory: absolute(options.chapters), displayDirectory: options.chapters)
        var withCells: [String] = []
        var problems: [Diagnostic] = []
        for chapter in book.chapters {
            let build = ChapterBuild.parse(chapter, defaults: book.config.cellDefaults)
            problems += build.diagnostics
            if !build.failed, build.hasProgram { withCells.append(chapter.fileName) }
        }
        if !problems.isEmpty { throw BuildFailure(problems) }
        let (stores, sharedFolder) = try cacheTiers(options, book: book)
        let times = stores.loadTimes(book: book.config.title, cacheFolder: absolute(options.cache), sharedFolder: sharedFolder)
        if let problem = stores.remote?.diagnostics.first(where: { $0.severity == .error }) { throw BuildFailure([problem]) }
        return ShardPlan(chapters: withCells, seconds: times.seconds, count: count)
    }

    /// On SIGINT, SIGTERM or SIGHUP, kills every running compiler and cell program (their
    /// whole process groups) before litopt ends; the next build sweeps their folders.
    public static func installInterruptHandlers() {
        litopt_install_interrupt_handlers { TemporaryFiles.removeOwn() }
    }

    /// The folder holding the chapters folder: book.yml's relative paths start there.
    static func projectFolder(_ options: BuildOptions) -> String {
        URL(fileURLWithPath: absolute(options.chapters)).deletingLastPathComponent().path
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}

/// Applies `transform` to every element on up to `jobs` threads; results keep input order.
enum ParallelMap {
    static func map<T: Sendable, U: Sendable>(_ items: [T], jobs: Int, _ transform: @Sendable @escaping (T) -> U) -> [U] {
        let results = Results<U>(count: items.count)
        let next = Results<Int>(count: 1)
        next.set(0, 0)
        let group = DispatchGroup()
        for _ in 0..<min(jobs, items.count) {
            group.enter()
            Thread.detachNewThread {
                while let i = next.claim(limit: items.count) {
                    results.set(i, transform(items[i]))
                }
                group.leave()
            }
        }
        group.wait()
        return results.values()
    }

    final class Results<U>: @unchecked Sendable {
        private var storage: [U?]
        private let lock = NSLock()
        init(count: Int) { storage = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ value: U) { lock.withLock { storage[i] = value } }
        func values() -> [U] { lock.withLock { storage.map { $0! } } }
        /// Treats slot 0 as a counter: returns the next index below `limit`, or nil.
        func claim(limit: Int) -> Int? where U == Int {
            lock.withLock {
                let i = storage[0]!
                guard i < limit else { return nil }
                storage[0] = i + 1
                return i
            }
        }
    }
}
