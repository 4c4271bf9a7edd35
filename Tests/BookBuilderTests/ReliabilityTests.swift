import Foundation
import Testing
@testable import BookBuilder
#if canImport(Glibc)
import Glibc
#endif

/// The defects of the reliability review (`shared/reviews/reliability-review.md`), each
/// reproduced: folders litopt must not wipe, a swap killed midway, runaway and escaping cell
/// programs, cached results altered on disk, raw HTML that runs script, paths out of the book.
@Suite(.serialized) struct ReliabilityTests {
    /// A book written on the spot in a fresh temporary project folder.
    struct Project {
        let root: String
        var chapters: String { root + "/Chapters" }
        var site: String { root + "/Site" }
        var cache: String { root + "/.litopt-cache" }

        init(_ files: [String: String], config: String = "title: T\n") throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("litopt-rel-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: root + "/Chapters", withIntermediateDirectories: true)
            try config.write(toFile: chapters + "/book.yml", atomically: true, encoding: .utf8)
            for (name, text) in files {
                let path = chapters + "/" + name
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try text.write(toFile: path, atomically: true, encoding: .utf8)
            }
        }

        func options(output: String? = nil, cache: String? = nil, useCache: Bool = false) -> BuildOptions {
            BuildOptions(chapters: chapters, output: output ?? site, cache: cache ?? self.cache, jobs: 1, useCache: useCache)
        }

        /// The build's diagnostics ([] when it succeeded).
        func failures(_ options: BuildOptions? = nil) -> [Diagnostic] {
            do {
                _ = try BookBuild.run(options ?? self.options())
                return []
            } catch let failure as BuildFailure {
                return failure.diagnostics
            } catch {
                return [Diagnostic(file: "?", message: "\(error)")]
            }
        }

        /// Every file under `folder` with its bytes.
        static func snapshot(_ folder: String) -> [String: Data] {
            var files: [String: Data] = [:]
            let enumerator = FileManager.default.enumerator(atPath: folder)
            while let path = enumerator?.nextObject() as? String {
                if let data = FileManager.default.contents(atPath: folder + "/" + path) { files[path] = data }
            }
            return files
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    static let plain = ["01-a.md": "# A\n\nProse only.\n"]

    // MARK: 1. --out and --cache that are not litopt's

    @Test func outputFoldersThatHoldTheBookOrForeignFilesAreRefusedAndKept() throws {
        let project = try Project(Self.plain)
        defer { project.remove() }
        try "keep me".write(toFile: project.root + "/notes.txt", atomically: true, encoding: .utf8)
        let foreign = project.root + "/docs"
        try FileManager.default.createDirectory(atPath: foreign, withIntermediateDirectories: true)
        try "mine".write(toFile: foreign + "/draft.txt", atomically: true, encoding: .utf8)
        let before = Project.snapshot(project.root)
        let cases: [(String, String)] = [
            (project.chapters, "it is the chapters folder"),
            (project.root, "it is the project folder"),
            (project.chapters + "/site", "inside the chapters folder"),
            ((project.root as NSString).deletingLastPathComponent, "holds the chapters folder"),
            (foreign, "holds files litopt did not write"),
            (project.root + "/notes.txt", "it is a file"),
            (project.cache + "/site", "overlaps the cache"),
        ]
        for (output, why) in cases {
            let found = project.failures(project.options(output: output))
            #expect(found.count == 1 && found[0].message.contains(why), "--out \(output): \(found.map(\.message))")
            #expect(found.first?.message.hasPrefix("refusing --out") == true)
        }
        for (cache, why) in [(project.chapters, "chapters folder"), (project.root, "project folder"), (foreign, "did not write")] {
            let found = project.failures(project.options(cache: cache))
            #expect(found.count == 1 && found[0].message.contains(why), "--cache \(cache): \(found.map(\.message))")
        }
        #expect(Project.snapshot(project.root) == before, "nothing was touched")

        // litopt's own site (stamped) and an empty folder are fine, and a rebuild replaces the stamped one.
        #expect(project.failures().isEmpty)
        #expect(FileManager.default.fileExists(atPath: project.site + "/" + OutputFolders.siteStamp))
        #expect(project.failures().isEmpty)
        let empty = project.root + "/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        #expect(project.failures(project.options(output: empty)).isEmpty)
    }

    @Test func theOutputFolderMayNotBeReachedThroughALinkIntoTheChapters() throws {
        let project = try Project(Self.plain)
        defer { project.remove() }
        try FileManager.default.createSymbolicLink(atPath: project.root + "/out", withDestinationPath: project.chapters)
        let found = project.failures(project.options(output: project.root + "/out"))
        #expect(found.first?.message.contains("it is the chapters folder") == true)
        #expect(FileManager.default.fileExists(atPath: project.chapters + "/01-a.md"))
    }

    // MARK: 2. The site swap, killed midway

    /// The pid of a process that has ended.
    static func deadPid() -> pid_t {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        try? p.run()
        p.waitUntilExit()
        return p.processIdentifier
    }

    @Test func aBuildKilledBetweenTheTwoRenamesIsRepairedByTheNextOne() throws {
        let project = try Project(Self.plain)
        defer { project.remove() }
        #expect(project.failures().isEmpty)
        // The state a build killed after "old aside" and before "new in" leaves: no Site/,
        // the old site aside, a staging copy beside it, both named after a process now gone.
        let dead = Self.deadPid()
        let aside = project.root + "/.Site.old-\(dead)-\(UUID().uuidString)"
        let staging = project.root + "/.Site.staging-\(dead)-\(UUID().uuidString)"
        try FileManager.default.moveItem(atPath: project.site, toPath: aside)
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        let old = Project.snapshot(aside)
        SiteWriter.recoverAndSweep(at: URL(fileURLWithPath: project.site))
        #expect(Project.snapshot(project.site) == old, "the previous site is back, whole")
        let left = try FileManager.default.contentsOfDirectory(atPath: project.root).filter { $0.hasPrefix(".Site.") }
        #expect(left.isEmpty, "stale copies are swept: \(left)")
        // A live build's staging folder is not touched.
        let live = project.root + "/.Site.staging-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: live, withIntermediateDirectories: true)
        SiteWriter.recoverAndSweep(at: URL(fileURLWithPath: project.site))
        #expect(FileManager.default.fileExists(atPath: live))
        try FileManager.default.removeItem(atPath: live)
    }

    @Test func theSwapExchangesTheSitesInOneStepAndLeavesNothingBeside() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("litopt-swap-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        for (name, text) in [("Site", "old"), ("new", "new")] {
            try FileManager.default.createDirectory(atPath: root + "/" + name, withIntermediateDirectories: true)
            try text.write(toFile: root + "/\(name)/index.html", atomically: true, encoding: .utf8)
        }
        try SiteWriter.swapIn(URL(fileURLWithPath: root + "/new"), at: URL(fileURLWithPath: root + "/Site"))
        #expect(try String(contentsOfFile: root + "/Site/index.html", encoding: .utf8) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["Site"])
    }

    // MARK: 3–5. Runaway, escaping and frozen cell programs

    @Test func aPrintingLoopStopsAtTheOutputLimitAndSaysSo() throws {
        let project = try Project(["01-a.md": "# A\n\n```swift\nlet line = String(repeating: \"x\", count: 1000)\nwhile true { print(line) }\n```\n"])
        defer { project.remove() }
        var options = project.options()
        options.limits.maxFileBytes = 1 << 20
        let start = Date()
        let found = project.failures(options)
        #expect(Date().timeIntervalSince(start) < 120)
        let d = try #require(found.first)
        #expect(d.message.contains("wrote more than 1 MiB to one file, the output limit"), "\(d.message)")
        #expect(d.line == 3)
    }

    @Test func aCellThatAllocatesTooMuchIsStoppedAtTheMemoryLimitAndSaysSo() throws {
        let project = try Project(["01-a.md": "# A\n\n```swift\nvar blocks: [[Double]] = []\nfor _ in 0..<64 { blocks.append([Double](repeating: 1, count: 1 << 24)) }\nprint(blocks.count)\n```\n"])
        defer { project.remove() }
        var options = project.options()
        options.limits.maxMemoryBytes = 512 << 20
        let d = try #require(project.failures(options).first)
        #expect(d.message.contains("ran out of memory") && d.message.contains("512 MiB"), "\(d.message)")
    }

    @Test func aHugeDisplayedValueIsCutInThePage() throws {
        let project = try Project(["01-a.md": "# A\n\n```swift\nString(repeating: \"y\", count: 3_000_000)\n```\n"])
        defer { project.remove() }
        #expect(project.failures().isEmpty)
        let page = try String(contentsOfFile: project.site + "/01-a.html", encoding: .utf8)
        #expect(page.utf8.count < 1_000_000)
        #expect(page.contains("more bytes not shown"))
    }

    /// Processes whose command line contains `marker`.
    static func processes(matching marker: String) -> [pid_t] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry -> pid_t? in
            guard let pid = Int32(entry), let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            let command = String(decoding: data.map { $0 == 0 ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
            return command.contains(marker) ? pid : nil
        }
    }

    @Test func aChildOfACellDoesNotOutliveTheBuild() throws {
        let seconds = 1000 + Int.random(in: 1...899)
        let project = try Project(["01-a.md": """
            # A

            ```swift
            import Foundation
            let child = Process()
            child.executableURL = URL(fileURLWithPath: "/bin/sleep")
            child.arguments = ["\(seconds)"]
            try! child.run()
            print("started")
            ```
            """])
        defer { project.remove() }
        #expect(project.failures().isEmpty)
        usleep(200_000)
        #expect(Self.processes(matching: "sleep \(seconds)").isEmpty, "the cell's child was killed with its process group")
    }

    @Test func aStoppedCellIsEndedByTheBuilderAtItsOwnLimit() throws {
        let project = try Project(["01-a.md": "# A\n\n```swift {timeout=2}\nimport Glibc\nraise(SIGSTOP)\n```\n"])
        defer { project.remove() }
        let start = Date()
        let d = try #require(project.failures().first)
        let elapsed = Date().timeIntervalSince(start)
        #expect(d.message.contains("ran past its time limit of 2 s"), "\(d.message)")
        #expect(elapsed < 2 + ChapterRunner.graceSeconds + 60, "stopped near its own limit (compile included), not after \(elapsed) s")
    }

    /// The litopt executable built beside the tests.
    static var litopt: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/release/litopt").path
    }

    @Test(arguments: [SIGINT, SIGTERM, SIGKILL])
    func killingLitoptEndsItsCellProgramAndTheNextBuildSweepsItsFolders(_ signal: Int32) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.litopt) else { return }
        let seconds = 2000 + Int.random(in: 1...899)
        let project = try Project(["01-a.md": """
            # A

            ```swift
            import Foundation
            let child = Process()
            child.executableURL = URL(fileURLWithPath: "/bin/sleep")
            child.arguments = ["\(seconds)"]
            try! child.run()
            print("started")
            child.waitUntilExit()
            ```
            """])
        defer { project.remove() }
        let tmp = project.root + "/tmp"
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        let build = Process()
        build.executableURL = URL(fileURLWithPath: Self.litopt)
        build.arguments = ["build", "--chapters", project.chapters, "--out", project.site, "--cache", project.cache, "--quiet"]
        build.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": tmp]) { $1 }
        build.standardError = FileHandle.nullDevice
        try build.run()
        // Wait until the cell's child runs, then kill litopt.
        let deadline = Date().addingTimeInterval(240)
        while Self.processes(matching: "sleep \(seconds)").isEmpty, Date() < deadline { usleep(100_000) }
        #expect(!Self.processes(matching: "sleep \(seconds)").isEmpty, "the cell started")
        kill(build.processIdentifier, signal)
        build.waitUntilExit()
        usleep(300_000)
        let programs = Self.processes(matching: tmp + "/litopt-")
        if signal != SIGKILL {
            #expect(programs.isEmpty, "the chapter's program died with litopt")
            #expect(Self.processes(matching: "sleep \(seconds)").isEmpty, "and its child, with its process group")
        } else {
            // The kernel ends the chapter's program (parent-death signal); its child may linger.
            #expect(programs.isEmpty, "the chapter's program died with litopt")
        }
        // The next build's start kills what is left and removes the dead build's folders.
        TemporaryFiles.sweep(tmp)
        usleep(200_000)
        #expect(Self.processes(matching: "sleep \(seconds)").isEmpty)
        let left = try FileManager.default.contentsOfDirectory(atPath: tmp).filter { $0.hasPrefix("litopt-") }
        #expect(left.isEmpty, "\(left)")
    }

    @Test func closingStdoutInOneCellDoesNotLoseTheOutputOfLaterCells() throws {
        let project = try Project(["01-a.md": "# A\n\n```swift\nimport Glibc\nprint(\"one\")\nclose(1)\n```\n\n```swift\nprint(\"two\")\n```\n\n```swift\nclose(2)\nprint(\"three\")\n```\n\n```swift\nprint(\"four\")\n```\n"])
        defer { project.remove() }
        #expect(project.failures().isEmpty)
        let page = try String(contentsOfFile: project.site + "/01-a.html", encoding: .utf8)
        // "one" was still in the cell's buffer when it closed its own stdout: lost, as in any
        // program; what matters is that every later cell is captured.
        for word in ["two", "three", "four"] { #expect(page.contains(">\(word)\n") || page.contains(">\(word)<"), "\(word)") }
    }

    @Test func exitZeroInACellIsNotCalledACrash() throws {
        let project = try Project(["01-a.md": "# A\n\n```swift\nimport Glibc\nexit(0)\n```\n\n```swift\nprint(1)\n```\n"])
        defer { project.remove() }
        let d = try #require(project.failures().first)
        #expect(d.message.contains("ended the program before its last cell ran") && d.message.contains("exit()"), "\(d.message)")
    }

    @Test func anIntegerOverflowNamesTheTrapAndItsLine() throws {
        let project = try Project(["01-a.md": "# A\n\n```swift\nvar x = Int.max - 1\nfor _ in 0..<3 {\n    x += 1\n}\nprint(x)\n```\n"])
        defer { project.remove() }
        let d = try #require(project.failures().first)
        #expect(d.line == 6 && d.message.contains("arithmetic overflow"), "\(d.description)")
    }

    // MARK: 6. Cached results verified whole

    @Test func alteredTextInACachedResultIsNeverPublishedAndAFolderInPlaceIsRepaired() throws {
        let project = try Project(["01-a.md": "# A\n\n```swift\nprint(\"the true answer\")\n```\n"])
        defer { project.remove() }
        let options = project.options(useCache: true)
        #expect(project.failures(options).isEmpty)
        let results = project.cache + "/results"
        let key = try #require(try FileManager.default.contentsOfDirectory(atPath: results).first { !$0.hasPrefix(".") })
        let runJSON = results + "/" + key + "/run.json"
        var text = try String(contentsOfFile: runJSON, encoding: .utf8)
        text = text.replacingOccurrences(of: "the true answer", with: "a forged answer")
        try text.write(toFile: runJSON, atomically: true, encoding: .utf8)
        let summary = try BookBuild.run(options)
        #expect(summary.executed == 1, "the altered entry was not used")
        let page = try String(contentsOfFile: project.site + "/01-a.html", encoding: .utf8)
        #expect(page.contains("the true answer") && !page.contains("forged"))
        // An entry replaced by a folder of another shape is repaired, not kept forever.
        try FileManager.default.removeItem(atPath: results + "/" + key)
        try FileManager.default.createDirectory(atPath: results + "/" + key + "/run.json", withIntermediateDirectories: true)
        #expect(try BookBuild.run(options).executed == 1)
        #expect(try BookBuild.run(options).fromCache == 1, "the repaired entry is used again")
    }

    // MARK: 7. Raw HTML

    static let payloads: [(markdown: String, forbidden: String)] = [
        ("[x](javascript:alert(2))", "javascript:"),
        ("[x](JaVaScRiPt:alert(2))", "JaVaScRiPt:"),
        ("<img src=x onerror=alert(1)>", "onerror"),
        ("<svg onload=alert(1)></svg>", "onload"),
        ("<div onclick=\"alert(1)\">d</div>", "onclick"),
        ("<a href=\"javascript:alert(1)\">a</a>", "javascript:"),
        ("<a href=\"&#106;avascript:alert(1)\">a</a>", "&#106;avascript"),
        ("<a href=\" java\tscript:alert(1)\">a</a>", "script:alert"),
        ("<object data=\"javascript:alert(1)\"></object>", "<object"),
        ("<form action=\"javascript:alert(1)\"><button>b</button></form>", "javascript:"),
        ("<iframe src=\"javascript:alert(1)\"></iframe>", "<iframe"),
        ("<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">", "<meta"),
        ("<p style=\"background:url(javascript:alert(1))\">s</p>", "javascript:"),
        ("<a href=\"data:text/html;base64,PHNjcmlwdD4=\">d</a>", "data:text"),
        ("![i](javascript:alert(3))", "javascript:"),
    ]

    @Test func rawHTMLLosesEveryScriptWithAWarningAtItsLineUnlessTrusted() throws {
        let body = "# A\n\n" + Self.payloads.map(\.markdown).joined(separator: "\n\n") + "\n\n<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"ok\"> <span class=\"keep\" title=\"t\">kept</span>\n"
        let project = try Project(["01-a.md": body])
        defer { project.remove() }
        let summary = try BookBuild.run(project.options())
        let page = try String(contentsOfFile: project.site + "/01-a.html", encoding: .utf8)
        let article = String(page[try #require(page.range(of: "<h1")).lowerBound...])
        // A disarmed tag (`&lt;object …>`) is text on the page; what is left must not run.
        let live = article.replacingOccurrences(of: "&lt;[^>]*>", with: "", options: .regularExpression)
        for payload in Self.payloads {
            #expect(!live.contains(payload.forbidden), "\(payload.markdown) left \(payload.forbidden) in the page")
        }
        #expect(article.contains("<span class=\"keep\" title=\"t\">kept</span>"), "harmless HTML is kept")
        #expect(article.contains("src=\"data:image/png;base64,"), "an inline picture is kept")
        #expect(summary.warnings.count >= Self.payloads.count - 1)
        for (i, payload) in Self.payloads.enumerated() where !payload.markdown.hasPrefix("<iframe") {
            let line = 3 + 2 * i
            #expect(summary.warnings.contains { $0.description.contains("01-a.md:\(line):") && $0.description.contains("warning: removed") },
                    "a warning at line \(line) for \(payload.markdown)")
        }
        // check agrees with build: the same warnings, no error for the javascript: links.
        let checked = try BookCheck.run(chapters: project.chapters)
        #expect(checked.warnings.filter { $0.message.hasPrefix("removed") }.count == summary.warnings.filter { $0.message.hasPrefix("removed") }.count)

        // Trusted, raw HTML stays as written.
        try "title: T\ntrust-html: true\n".write(toFile: project.chapters + "/book.yml", atomically: true, encoding: .utf8)
        let trusted = try BookBuild.run(project.options())
        let trustedPage = try String(contentsOfFile: project.site + "/01-a.html", encoding: .utf8)
        #expect(trustedPage.contains("onerror=alert(1)"))
        #expect(trusted.warnings.isEmpty)
    }

    @Test func theSanitizerKeepsTagsItDoesNotChange() {
        let html = "<table class=\"t\"><tr><td colspan=2>x</td></tr></table><br/><img src=\"a.png\" alt='b'><!-- c -->"
        #expect(HTMLPolicy.sanitize(html).html == html)
        #expect(HTMLPolicy.sanitize(html).removed.isEmpty)
        #expect(HTMLPolicy.sanitize("<img src=x ONERROR = \"a\" alt=y>").html == "<img src=x alt=y>")
    }

    // MARK: 8. Chapters and inputs out of the book

    @Test func chaptersAndInputsMustStayInsideTheBook() throws {
        let project = try Project(Self.plain, config: "title: T\nchapters:\n  - 01-a.md\n  - ../../../../etc/passwd\n  - 01-a.md\n  - /etc/hostname\n")
        defer { project.remove() }
        let found = project.failures()
        #expect(found.contains { $0.line == 4 && $0.message.contains("'../../../../etc/passwd' must be a path inside the chapters folder") })
        #expect(found.contains { $0.line == 5 && $0.message.contains("listed twice") })
        #expect(found.contains { $0.line == 6 && $0.message.contains("'/etc/hostname' must be a path inside") })
        #expect(found.allSatisfy { $0.file.hasSuffix("book.yml") })

        let inputs = try Project(["01-a.md": "---\ninputs:\n  - /etc/hostname\n  - ../outside.csv\n  - data/missing.csv\n---\n# A\n"])
        defer { inputs.remove() }
        let problems = inputs.failures()
        #expect(problems.contains { $0.line == 3 && $0.message.contains("not an absolute one") })
        #expect(problems.contains { $0.line == 4 && $0.message.contains("outside the project") })
        #expect(problems.contains { $0.line == 5 && $0.message.contains("does not exist") })
    }

    // MARK: 9–10. Line endings and YAML types

    @Test func crlfChaptersMeanWhatLFChaptersMean() throws {
        let project = try Project(["01-a.md": "---\r\ntitle: Windows\r\nexecute: {echo: false}\r\n---\r\n# A\r\n\r\n```swift\r\nprint(\"crlf\")\r\n```\r\n"])
        defer { project.remove() }
        #expect(project.failures().isEmpty)
        let page = try String(contentsOfFile: project.site + "/01-a.html", encoding: .utf8)
        #expect(page.contains("<title>Windows"))
        #expect(!page.contains("title: Windows"), "front matter is not rendered as content")
        #expect(!page.contains("print(&quot;crlf&quot;)") && !page.contains("print(\"crlf\")"), "execute: defaults apply")
        #expect(page.contains("crlf"))
    }

    @Test func wrongYAMLTypesAreErrorsAtTheirLine() throws {
        for (config, line, found) in [("title: [1, 2]\n", 1, "a list"), ("title:\n", 1, "nothing"), ("title: T\nauthor: {a: 1}\n", 2, "a mapping")] {
            let project = try Project(Self.plain, config: config)
            defer { project.remove() }
            let d = try #require(project.failures().first)
            #expect(d.line == line && d.message.contains("must be text") && d.message.contains(found), "\(config): \(d.message)")
        }
    }

    @Test func newWritesFrontMatterItsOwnLoaderReads() throws {
        let project = try Project([:])
        defer { project.remove() }
        for title in ["A: b", "#hash", "[list]", "say \"hi\" \\ back", "- dash"] {
            let path = try ChapterTemplate.create(title: title, chapters: project.chapters)
            let chapter = try BookLoader.loadChapter(path: path, display: path, number: 1)
            #expect(chapter.frontMatter.title == title)
        }
    }

    @Test func invalidUTF8IsReportedAtItsLineAndColumn() throws {
        let project = try Project([:])
        defer { project.remove() }
        try Data("# A\n\nok \u{e9}\nbad ".utf8 + [0xFF] + Data(" here\n".utf8)).write(to: URL(fileURLWithPath: project.chapters + "/01-a.md"))
        let d = try #require(project.failures().first)
        #expect(d.line == 4 && d.column == 5 && d.message.contains("not valid UTF-8"), "\(d.line):\(d.column) \(d.message)")
    }

    // MARK: 11. Problems at their place, before anything runs

    @Test func aLabelWithoutACaptionSaysSoAtItsFenceBeforeRunning() throws {
        let project = try Project(["01-a.md": "# A\n\nSee @fig-x.\n\n```swift {label=fig-x}\nwhile true {}\n```\n"])
        defer { project.remove() }
        let start = Date()
        let found = project.failures()
        #expect(Date().timeIntervalSince(start) < 30, "nothing ran")
        #expect(found.contains { $0.line == 5 && $0.message.contains("label 'fig-x' needs a caption") }, "\(found.map(\.description))")
    }

    @Test func columnsInCellsInsideListsAndQuotesCountFromTheFileAsWritten() throws {
        let bad = "let x: Int = \"s\""
        let project = try Project([
            "01-a.md": "# A\n\n```swift\n\(bad)\n```\n",
            "02-b.md": "# B\n\n- item\n\n    ```swift\n    \(bad)\n    ```\n",
            "03-c.md": "# C\n\n> ```swift\n> \(bad)\n> ```\n",
        ])
        defer { project.remove() }
        let found = project.failures()
        let top = try #require(found.first { $0.file.hasSuffix("01-a.md") })
        let listed = try #require(found.first { $0.file.hasSuffix("02-b.md") })
        let quoted = try #require(found.first { $0.file.hasSuffix("03-c.md") })
        #expect(top.column > 1)
        #expect(listed.line == 6 && listed.column == top.column + 4, "\(listed.description)")
        #expect(quoted.line == 4 && quoted.column == top.column + 2, "\(quoted.description)")
        // Syntax errors (found before compiling) too.
        let syntax = try Project(["01-a.md": "# A\n\n- item\n\n    ```swift\n    let = 1\n    ```\n"])
        defer { syntax.remove() }
        let d = try #require(syntax.failures().first)
        #expect(d.line == 6 && d.column >= 8, "\(d.description)")
    }

    @Test func aMathErrorOnALaterLineOfADisplayIsReportedThere() throws {
        let project = try Project(["01-a.md": "# A\n\nText.\n\n$$\na = b \\\\\nc\n$$\n\n$$\nx = 1 \\\\ y\n$$\n\n$$x \\\\ z$$\n"])
        defer { project.remove() }
        let found = project.failures()
        let lines = found.filter { $0.message.contains("\\\\ is only allowed") }.map { "\($0.line):\($0.column)" }
        #expect(lines == ["6:7", "11:7", "14:5"], "\(found.map(\.description))")
    }

    @Test func anUnclosedFenceIsReportedAtItsOpening() throws {
        let project = try Project(["01-a.md": "# A\n\nText.\n\n```swift\nlet x = 1\n\n## Later heading\n\nMore prose.\n"])
        defer { project.remove() }
        let d = try #require(project.failures().first)
        #expect(d.line == 5 && d.message.contains("fence is never closed"), "\(d.description)")
    }

    @Test func badExecuteDefaultsAreBlamedOnTheLineThatSetsThem() throws {
        let project = try Project(["01-a.md": "# A\n\n```swift\nprint(1)\n```\n\n```swift\nprint(2)\n```\n"],
                                  config: "title: T\nexecute:\n  timeout: soon\n")
        defer { project.remove() }
        let found = project.failures()
        #expect(found.count == 1)
        #expect(found.first.map { $0.file.hasSuffix("book.yml") && $0.line == 2 && $0.message.contains("in execute:") } == true,
                "\(found.map(\.description))")
    }

    // MARK: 16. Measured times without losing reproducibility

    @Test func aMeasuredCellKeepsItsMeasurementsSoNoCacheBuildsAreIdentical() throws {
        func timing(_ key: String) -> String {
            "import Foundation\nlet t = memo(\"\(key)\") { Double(DispatchTime.now().uptimeNanoseconds) }\nprint(\"measured \\(t)\")\n"
        }
        let project = try Project(["01-a.md": "# A\n\n```swift {measured=true}\n" + timing("clock-a") + "```\n",
                                   "02-b.md": "# B\n\n```swift\n" + timing("clock-b") + "```\n"])
        defer { project.remove() }
        func pages() throws -> (String, String) {
            _ = try BookBuild.run(project.options(useCache: false))  // --no-cache
            return (try String(contentsOfFile: project.site + "/01-a.html", encoding: .utf8),
                    try String(contentsOfFile: project.site + "/02-b.html", encoding: .utf8))
        }
        let first = try pages()
        let second = try pages()
        #expect(first.0 == second.0, "the measured cell's page is reproduced byte for byte")
        #expect(first.1 != second.1, "an unmarked cell recomputes its memo under --no-cache (so the test can fail)")
        #expect(first.0.contains("class=\"measured-note\""))
        #expect(!first.1.contains("class=\"measured-note\""))
    }

    // MARK: 13, 15. A moved project; swiftc --version

    @Test func aModuleCacheFromElsewhereIsEmptiedBeforeUse() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("litopt-mc-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        ChapterRunner.prepareModuleCache(root + "/a/module-cache")
        try "stale".write(toFile: root + "/a/module-cache/Engine.pcm", atomically: true, encoding: .utf8)
        ChapterRunner.prepareModuleCache(root + "/a/module-cache")
        #expect(FileManager.default.fileExists(atPath: root + "/a/module-cache/Engine.pcm"), "in place, it is kept")
        try FileManager.default.moveItem(atPath: root + "/a", toPath: root + "/b")
        ChapterRunner.prepareModuleCache(root + "/b/module-cache")
        #expect(!FileManager.default.fileExists(atPath: root + "/b/module-cache/Engine.pcm"), "moved, it is rebuilt")
    }

    @Test func theCompilerVersionIsRememberedAndLeavesNoTemporaryFolder() throws {
        let toolchain = try Toolchain.discover()
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("litopt-cv-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let first = ResultCache.compilerVersion(toolchain.swiftc, cache: cache)
        #expect(first.contains("Swift version"))
        #expect(FileManager.default.fileExists(atPath: cache + "/compiler.json"))
        // Remembered: a second call reads the file (a bogus compiler path would say "unknown").
        let data = try #require(FileManager.default.contents(atPath: cache + "/compiler.json"))
        let known = try JSONDecoder().decode([String: String].self, from: data)
        #expect(known.values.first == first)
        #expect(ResultCache.compilerVersion(toolchain.swiftc, cache: cache) == first)
        let mine = try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
            .filter { $0.hasPrefix("litopt-\(getpid())-") }
        #expect(mine.isEmpty, "\(mine)")
    }

    // MARK: 14. serve

    @Test func servePathsWithANulOrTooLongAreRefused() async {
        let status = PreviewState.Status()
        #expect(PreviewServer.file("/index.html%00.png", in: "/nonexistent", status: status).statusCode == .badRequest)
        #expect(PreviewServer.file("/" + String(repeating: "a", count: 10_000), in: "/nonexistent", status: status).statusCode == .uriTooLong)
        #expect(PreviewServer.file("/missing.html", in: "/nonexistent", status: status).statusCode == .notFound)
        // An idle long poll answers before the server's own request timeout would turn it into a 500.
        #expect(PreviewServer.pollSeconds < PreviewServer.requestTimeout - 5)
    }

    @Test func sizesParseAndPrint() {
        #expect(ExecutionLimits.parse("512M") == .some(512 << 20))
        #expect(ExecutionLimits.parse("4g") == .some(4 << 30))
        #expect(ExecutionLimits.parse("1.5G") == .some(3 << 29))
        #expect(ExecutionLimits.parse("none") == .some(nil))
        #expect(ExecutionLimits.parse("lots") == nil)
        #expect(ExecutionLimits.describe(256 << 20) == "256 MiB")
    }
}
