import Foundation

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

    public init(chapters: String = "Chapters", output: String = "Site", cache: String = ".litopt-cache",
                jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.chapters = chapters
        self.output = output
        self.cache = cache
        self.jobs = max(1, jobs)
    }
}

/// What a build did, chapter by chapter.
public struct BuildSummary: Sendable {
    public struct ChapterReport: Sendable {
        public var file: String
        public var cells: Int
        public var compileSeconds: Double
        public var runSeconds: Double
    }
    public var chapters: [ChapterReport]
    public var seconds: Double
}

/// load → parse → plan → execute → render → write, each a plain function of the last.
public enum BookBuild {
    public static func run(_ options: BuildOptions, log: @escaping @Sendable (String) -> Void = { _ in }) throws(BuildFailure) -> BuildSummary {
        let start = Date()
        let book = try BookLoader.load(chaptersDirectory: absolute(options.chapters),
                                       displayDirectory: options.chapters)

        // Parse every chapter, reporting all problems at once.
        var documents: [Document] = []
        var problems: [Diagnostic] = []
        for chapter in book.chapters {
            do {
                documents.append(try MarkdownParser.parse(chapter, defaults: book.config.cellDefaults))
            } catch {
                problems += error.diagnostics
                documents.append(Document(blocks: []))
            }
        }
        var programs: [Program?] = []
        for (chapter, document) in zip(book.chapters, documents) {
            let cells = document.cells.filter(\.options.eval)
            if cells.isEmpty { programs.append(nil); continue }
            do {
                programs.append(try ProgramPlanner.plan(document.cells, file: chapter.displayPath))
            } catch {
                problems += error.diagnostics
                programs.append(nil)
            }
        }
        guard problems.isEmpty else { throw BuildFailure(problems) }

        // Execute chapters in parallel.
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("litopt-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: work) }
        var runs = [ChapterRun?](repeating: nil, count: book.chapters.count)
        if programs.contains(where: { $0 != nil }) {
            let runner = ChapterRunner(toolchain: try Toolchain.discover(),
                                       moduleCache: absolute(options.cache) + "/module-cache")
            let outcomes = ParallelMap.map(Array(zip(book.chapters, zip(programs, documents))), jobs: options.jobs) {
                item -> Result<ChapterRun?, BuildFailure> in
                let (chapter, (program, document)) = item
                guard let program else { return .success(nil) }
                log("running \(chapter.displayPath) (\(program.cells.count) cells)")
                do throws(BuildFailure) {
                    return .success(try runner.run(program, cells: document.cells,
                                                   workDirectory: work + "/" + chapter.fileStem))
                } catch {
                    return .failure(error)
                }
            }
            for (i, outcome) in outcomes.enumerated() {
                switch outcome {
                case .success(let run): runs[i] = run
                case .failure(let failure): problems += failure.diagnostics
                }
            }
        }
        guard problems.isEmpty else { throw BuildFailure(problems) }

        // Render and write.
        var pages: [Page] = []
        for (i, chapter) in book.chapters.enumerated() {
            var renderer = PageRenderer(chapter: chapter, document: documents[i], run: runs[i])
            pages.append(renderer.render())
        }
        try SiteWriter.write(book: book.config, pages: pages, to: absolute(options.output))

        let reports = book.chapters.enumerated().map { i, chapter in
            BuildSummary.ChapterReport(file: chapter.displayPath, cells: programs[i]?.cells.count ?? 0,
                                       compileSeconds: runs[i]?.compileSeconds ?? 0,
                                       runSeconds: runs[i]?.runSeconds ?? 0)
        }
        return BuildSummary(chapters: reports, seconds: Date().timeIntervalSince(start))
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
