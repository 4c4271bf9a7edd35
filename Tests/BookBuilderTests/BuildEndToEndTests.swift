import Foundation
import Testing
@testable import BookBuilder

/// Builds the fixture books under `Fixtures/` for real: cells compile against the engine and run.
@Suite(.serialized) struct BuildEndToEndTests {
    /// A copy of `Fixtures/<name>` in a fresh temporary folder, with a previous site in `Site/`.
    struct Sandbox {
        let root: String
        var chapters: String { root + "/Chapters" }
        var site: String { root + "/Site" }

        init(_ fixture: String) throws {
            let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
            root = FileManager.default.temporaryDirectory.appendingPathComponent("litopt-test-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: fixtures.appendingPathComponent(fixture).path + "/Chapters",
                                             toPath: chapters)
            // A site from an earlier build, which a failed build must leave alone.
            try FileManager.default.createDirectory(atPath: site + "/figures", withIntermediateDirectories: true)
            try Data("<p>previous build</p>".utf8).write(to: URL(fileURLWithPath: site + "/index.html"))
            try Data([0, 1, 2, 3]).write(to: URL(fileURLWithPath: site + "/figures/old.png"))
            try Data(OutputFolders.siteStampContents.utf8).write(to: URL(fileURLWithPath: site + "/" + OutputFolders.siteStamp))
        }

        /// Builds with a shared module cache (fast) and, unless `ownCache`, no result reuse.
        func build(jobs: Int = 2, ownCache: Bool = false, output: String? = nil) throws -> BuildSummary {
            try BookBuild.run(BuildOptions(chapters: chapters, output: output ?? site,
                                           cache: ownCache ? root + "/cache" : FileManager.default.temporaryDirectory.path + "/litopt-test-cache",
                                           jobs: jobs, useCache: ownCache))
        }

        func edit(_ chapter: String, _ change: (String) -> String) throws {
            let path = chapters + "/" + chapter
            try change(try String(contentsOfFile: path, encoding: .utf8)).write(toFile: path, atomically: true, encoding: .utf8)
        }

        /// Every file of the site with its bytes.
        func snapshot() -> [String: Data] { Self.files(under: site) }

        /// Every file under `folder`, by its path relative to it, with its bytes.
        static func files(under folder: String) -> [String: Data] {
            var files: [String: Data] = [:]
            let enumerator = FileManager.default.enumerator(atPath: folder)
            while let path = enumerator?.nextObject() as? String {
                if let data = FileManager.default.contents(atPath: folder + "/" + path) { files[path] = data }
            }
            return files
        }

        func page(_ name: String) throws -> String {
            try String(contentsOfFile: site + "/" + name, encoding: .utf8)
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    /// Runs a build that must fail; returns its diagnostics after checking the old site is intact.
    func failingBuild(_ fixture: String) throws -> [Diagnostic] {
        let sandbox = try Sandbox(fixture)
        defer { sandbox.remove() }
        let before = sandbox.snapshot()
        var diagnostics: [Diagnostic] = []
        do {
            _ = try sandbox.build()
            Issue.record("the build of \(fixture) should have failed")
        } catch let failure as BuildFailure {
            diagnostics = failure.diagnostics
        }
        #expect(sandbox.snapshot() == before, "a failed build must leave the previous site byte-for-byte unchanged")
        return diagnostics
    }

    @Test func aGoodBookShowsEveryCellsOutputInOrder() throws {
        let sandbox = try Sandbox("good")
        defer { sandbox.remove() }
        let summary = try sandbox.build()
        #expect(summary.chapters.map(\.cells) == [3, 4])

        let first = try sandbox.page("01-shared-state.html")
        let outputs = ["first cell ran", "second cell: total is still 55", "third cell: doubled total = 110"]
        let positions = outputs.compactMap { first.range(of: $0)?.lowerBound }
        #expect(positions.count == 3, "every cell's output appears")
        #expect(positions == positions.sorted(), "in the order of the cells")

        let second = try sandbox.page("02-outputs.html")
        #expect(second.contains("&lt;script&gt;alert(&#39;not run&#39;)&lt;/script&gt;"), "output is escaped")
        #expect(!second.contains("<script>alert"))
        #expect(second.contains("<th>n²</th>") && second.contains("<td>9</td>"), "table() shows a table")
        #expect(second.contains("<pre class=\"cell-value\"><samp>0.25</samp></pre>"), "a last expression is displayed")
        #expect(second.contains("<annotation encoding=\"application/x-tex\">a_i * b_i</annotation>"), "math reaches MathML untouched by Markdown")
        #expect(second.contains("<math display=\"block\">"), "display math inside a paragraph")
        #expect(!second.contains("print(&quot;&lt;script"), "echo=false hides the source")
        #expect(second.contains("<samp>Tensor(shape: [3])\n[1.0, 2.0, 3.0] 0.02 3.0\n</samp>"),
                "a tensor prints as its description (the engine is linked whole), literal arithmetic is Double")
        let order = ["0.02 3.0", "<th>k</th>", "<samp>printed after the table\n</samp>"].compactMap { second.range(of: $0)?.lowerBound }
        #expect(order.count == 3 && order == order.sorted(), "printed text and displays keep the order they happened in")

        let index = try sandbox.page("index.html")
        #expect(index.contains("Fixture Book") && index.contains("href=\"01-shared-state.html\""))
        #expect(!index.contains("previous build"))
        #expect(!FileManager.default.fileExists(atPath: sandbox.site + "/figures/old.png"), "the site is replaced whole")
    }

    @Test func proseEditsReuseResultsAndCellEditsRerunOnlyTheirChapter() throws {
        let sandbox = try Sandbox("good")
        defer { sandbox.remove() }
        let cold = try sandbox.build(ownCache: true)
        #expect(cold.executed == 2 && cold.fromCache == 0)

        let unchanged = try sandbox.build(ownCache: true)
        #expect(unchanged.executed == 0 && unchanged.fromCache == 2)

        try sandbox.edit("01-shared-state.md") {
            $0.replacingOccurrences(of: "like a notebook.", with: "as in a notebook.\n\nA new paragraph moves every cell below it down.")
        }
        let prose = try sandbox.build(ownCache: true)
        #expect(prose.executed == 0, "a prose edit executes nothing, even when it moves the cells")
        #expect(try sandbox.page("01-shared-state.html").contains("as in a notebook."))
        #expect(try sandbox.page("01-shared-state.html").contains("third cell: doubled total = 110"))

        try sandbox.edit("02-outputs.md") { $0.replacingOccurrences(of: "1.0 / 8.0", with: "1.0 / 4.0") }
        let cell = try sandbox.build(ownCache: true)
        #expect(cell.chapters.map(\.cached) == [true, false], "a cell edit re-runs that chapter only")
        #expect(try sandbox.page("02-outputs.html").contains("<samp>0.5</samp>"))

        try sandbox.edit("02-outputs.md") { $0.replacingOccurrences(of: "```swift {echo=false}", with: "```swift {echo=false, timeout=60}") }
        #expect(try sandbox.build(ownCache: true).chapters.map(\.cached) == [true, false], "an execution option re-runs")
    }

    @Test func aDamagedCacheEntryIsDetectedAndRerun() throws {
        let sandbox = try Sandbox("good")
        defer { sandbox.remove() }
        _ = try sandbox.build(ownCache: true)
        let results = sandbox.root + "/cache/results"
        let entries = try FileManager.default.contentsOfDirectory(atPath: results).filter { !$0.hasPrefix(".") }
        #expect(entries.count == 2)
        // Truncate one entry's record and corrupt the other's.
        let first = results + "/" + entries[0] + "/run.json"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: first))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: first))
        try Data("{\"key\": 12}".utf8).write(to: URL(fileURLWithPath: results + "/" + entries[1] + "/run.json"))
        let rebuilt = try sandbox.build(ownCache: true)
        #expect(rebuilt.executed == 2, "damaged entries are not trusted")
        #expect(try sandbox.page("01-shared-state.html").contains("third cell: doubled total = 110"))
        #expect(try sandbox.build(ownCache: true).fromCache == 2, "and they are replaced by good ones")
    }

    @Test func theSiteDoesNotDependOnTheNumberOfJobs() throws {
        let sandbox = try Sandbox("good")
        defer { sandbox.remove() }
        _ = try sandbox.build(jobs: 1)
        let one = sandbox.snapshot()
        _ = try sandbox.build(jobs: 4)
        #expect(sandbox.snapshot() == one, "byte-identical site for --jobs 1 and --jobs 4")
    }

    @Test func aTypeErrorNamesTheMarkdownLine() throws {
        let diagnostics = try failingBuild("type-error")
        let error = try #require(diagnostics.first)
        #expect(error.file.hasSuffix("Chapters/01-type-error.md"))
        #expect(error.line == 10)
        #expect(error.column == 14)
        #expect(error.message.contains("cannot convert value of type 'String'"))
        #expect(error.headline.hasSuffix("01-type-error.md:10:14: error: \(error.message)"))
    }

    @Test func aTrapNamesItsCell() throws {
        let diagnostics = try failingBuild("trap")
        let error = try #require(diagnostics.first)
        #expect(error.file.hasSuffix("Chapters/01-trap.md"))
        #expect(error.message.hasPrefix("cell 2 crashed: Index out of range"))
        #expect(error.line == 10, "the backtrace points at the line of the failing subscript")
    }

    @Test func aHangingCellStopsAtItsTimeout() throws {
        let diagnostics = try failingBuild("timeout")
        let error = try #require(diagnostics.first)
        #expect(error.file.hasSuffix("Chapters/01-timeout.md"))
        #expect(error.line == 7)
        #expect(error.message.contains("cell 2 ran past its time limit of 2 s"))
    }
}

@Suite(.serialized) struct AllowedErrorTests {
    @Test func cellsAllowedToFailShowTheirErrorAndTheBookBuilds() throws {
        let sandbox = try BuildEndToEndTests.Sandbox("allowed-errors")
        defer { sandbox.remove() }
        _ = try sandbox.build()
        let page = try sandbox.page("01-errors.html")
        #expect(page.contains("01-errors.md:10:18: error: cannot convert value of type &#39;String&#39; to specified type &#39;Int&#39;"),
                "the compile error is shown under its cell")
        #expect(page.contains("error: notConverging"), "a thrown error is shown")
        #expect(page.contains("cell 4 crashed: Index out of range"), "a trap is shown")
        #expect(page.contains("after the failures: [1, 2, 3]"), "later cells still run")
    }
}

@Suite(.serialized) struct KeepGoingTests {
    @Test func keepGoingWritesTheSiteWithTheFailingChapterMarkedAndStillFails() throws {
        let sandbox = try BuildEndToEndTests.Sandbox("good")
        defer { sandbox.remove() }
        try sandbox.edit("02-outputs.md") { $0 + "\n```swift\nlet broken: Int = \"no\"\n```\n" }
        var options = BuildOptions(chapters: sandbox.chapters, output: sandbox.site,
                                   cache: FileManager.default.temporaryDirectory.path + "/litopt-test-cache", jobs: 2)
        options.keepGoing = true
        #expect(throws: BuildFailure.self) { try BookBuild.run(options) }
        #expect(try sandbox.page("01-shared-state.html").contains("third cell: doubled total = 110"),
                "the good chapter is built")
        let failed = try sandbox.page("02-outputs.html")
        #expect(failed.contains("This chapter failed to build."))
        #expect(failed.contains("cannot convert value of type"))
    }
}

@Suite(.serialized) struct ConcurrentBuildTests {
    /// Two builds of the same book into the same site folder with the same cache, started
    /// together: both succeed, and the site is the one a single build writes.
    @Test func twoBuildsStartedTogetherBothSucceedAndAgree() throws {
        let sandbox = try BuildEndToEndTests.Sandbox("good")
        defer { sandbox.remove() }
        _ = try sandbox.build(ownCache: true)
        let reference = sandbox.snapshot()
        try? FileManager.default.removeItem(atPath: sandbox.root + "/cache/results")
        let chapters = sandbox.chapters, site = sandbox.site, cache = sandbox.root + "/cache"
        let outcomes = ParallelMap.map([0, 1], jobs: 2) { _ -> String? in
            do {
                _ = try BookBuild.run(BuildOptions(chapters: chapters, output: site, cache: cache, jobs: 1))
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(outcomes == [nil, nil], "both builds succeed")
        #expect(sandbox.snapshot() == reference, "and leave the same site")
        #expect(try sandbox.build(ownCache: true).fromCache == 2, "the cache they shared is whole")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: sandbox.root).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "no staging or old folders are left behind: \(leftovers)")
    }
}
