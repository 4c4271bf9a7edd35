import Foundation
import Testing
@testable import BookBuilder

/// Sharded builds and shared caches, with the real litopt executable in separate processes and,
/// for the HTTP cache, Debian's nginx on 127.0.0.1 (`make test` installs it).
@Suite(.serialized) struct ScaleTests {
    typealias Project = ReliabilityTests.Project

    /// Three chapters, one with a figure (a blob besides run.json), one printing a lot.
    static let chapters: [String: String] = [
        "01-bowl.md": """
            # Bowl

            ```swift {label=fig-bowl, caption="A bowl."}
            show(Figure.heatmap(x: -1...1, y: -1...1, resolution: 11) { x, y in x * x + 3 * y * y }.size(width: 120, height: 90))
            ```
            """,
        "02-sums.md": "# Sums\n\n```swift\nprint((1...100).reduce(0, +))\n```\n\nThe sum is `{swift} (1...10).reduce(0, +)`.\n",
        "03-lines.md": "# Lines\n\n```swift\nfor i in 1...50 { print(\"line \\(i)\") }\n```\n",
    ]

    struct Run {
        var status: Int32
        var stderr: String
    }

    /// Runs litopt with `arguments`; `TMPDIR` points into the project.
    static func litopt(_ arguments: [String], in project: Project, environment: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ReliabilityTests.litopt)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: project.root)
        let tmp = project.root + "/tmp"
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": tmp]) { $1 }
            .merging(environment) { $1 }.filter { !$0.key.hasPrefix("LITOPT_") || environment[$0.key] != nil }
        process.standardOutput = FileHandle.nullDevice
        let pipe = Pipe()
        process.standardError = pipe
        try process.run()
        return process
    }

    static func finish(_ process: Process) -> Run {
        let pipe = process.standardError as! Pipe
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stderr: String(decoding: data, as: UTF8.self))
    }

    static func build(_ arguments: [String], in project: Project, environment: [String: String] = [:]) throws -> Run {
        finish(try litopt(["build", "--chapters", project.chapters, "--quiet", "--jobs", "1"] + arguments, in: project, environment: environment))
    }

    static func report(_ path: String) throws -> BuildSummary {
        try JSONDecoder().decode(BuildSummary.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// A local reference build of `project` into `project.root/reference`.
    static func reference(_ project: Project) throws -> [String: Data] {
        let run = try build(["--out", project.root + "/reference", "--cache", project.root + "/reference-cache"], in: project)
        #expect(run.status == 0, "\(run.stderr)")
        return Project.snapshot(project.root + "/reference")
    }

    // MARK: the ActionResult message

    @Test func actionResultsEncodeAsTheProtocolBufferBazelRemoteExpects() throws {
        let zero = String(repeating: "0", count: 64)
        let data = ActionResult.encode([.init(path: "a", hash: zero, size: 5)])
        // output_files (2, bytes) of 73: path (1) "a", digest (2) of 68: hash (1) of 64, size_bytes (2) = 5.
        #expect(Array(data.prefix(9)) == [0x12, 0x49, 0x0A, 0x01, 0x61, 0x12, 0x44, 0x0A, 0x40])
        #expect(Array(data.suffix(2)) == [0x10, 0x05])
        #expect(data.count == 75)
        let files: [ActionResult.OutputFile] = [.init(path: "run.json", hash: String(repeating: "ab", count: 32), size: 300_000),
                                                .init(path: "cell-1.png", hash: String(repeating: "c7", count: 32), size: 0)]
        #expect(ActionResult.decode(ActionResult.encode(files)) == files)
        // Unknown fields (an exit code, field 4 varint) are skipped; damage is refused.
        var extended = ActionResult.encode(files)
        extended.append(contentsOf: [0x20, 0x07])
        #expect(ActionResult.decode(extended) == files)
        #expect(ActionResult.decode(ActionResult.encode(files).dropLast(3)) == nil)
        #expect(ActionResult.decode(Data("not a message at all".utf8)) == nil)
        #expect(ActionResult.decode(ActionResult.encode([.init(path: "x", hash: "short", size: 1)])) == nil)
    }

    // MARK: shards and a shared folder

    @Test func shardsAndFullBuildsWritingOneSharedFolderAtOnceGiveTheLocalSite() throws {
        let project = try Project(Self.chapters)
        defer { project.remove() }
        let expected = try Self.reference(project)
        let shared = project.root + "/shared"
        // Four processes at once: two shards (different entries) and two whole builds (the
        // same entries as each other and as the shards), each with its own local cache.
        let processes = try [
            Self.litopt(["build", "--chapters", project.chapters, "--quiet", "--shard", "1/2", "--shared-cache", shared, "--cache", project.root + "/c1"], in: project),
            Self.litopt(["build", "--chapters", project.chapters, "--quiet", "--shard", "2/2", "--shared-cache", shared, "--cache", project.root + "/c2"], in: project),
            Self.litopt(["build", "--chapters", project.chapters, "--quiet", "--out", project.root + "/s3", "--shared-cache", shared, "--cache", project.root + "/c3"], in: project),
            Self.litopt(["build", "--chapters", project.chapters, "--quiet", "--out", project.root + "/s4", "--shared-cache", shared, "--cache", project.root + "/c4"], in: project),
        ]
        for process in processes {
            let run = Self.finish(process)
            #expect(run.status == 0, "\(run.stderr)")
        }
        // One sound entry per chapter, nothing half-written beside them.
        let entries = try FileManager.default.contentsOfDirectory(atPath: shared + "/results").sorted()
        #expect(entries.count == 3, "\(entries)")
        #expect(entries.allSatisfy { $0.count == 64 && $0.allSatisfy(\.isHexDigit) }, "\(entries)")
        let sharedCache = ResultCache(directory: shared + "/results")
        #expect(entries.allSatisfy { sharedCache.load($0) != nil })
        // The render job, in a clean cache, finds everything in the shared folder.
        let render = try Self.build(["--render-only", "--shared-cache", shared, "--cache", project.root + "/c5",
                                     "--out", project.root + "/site", "--report", project.root + "/report.json"], in: project)
        #expect(render.status == 0, "\(render.stderr)")
        #expect(Project.snapshot(project.root + "/site") == expected)
        #expect(Project.snapshot(project.root + "/s3") == expected)
        #expect(try Self.report(project.root + "/report.json").chapters.map(\.origin) == [.shared, .shared, .shared])
        // And now the local cache has them too: the next render reads them there.
        let again = try Self.build(["--render-only", "--cache", project.root + "/c5", "--out", project.root + "/site",
                                    "--report", project.root + "/report.json"], in: project)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try Self.report(project.root + "/report.json").chapters.map(\.origin) == [.local, .local, .local])
    }

    @Test func aRenderOnlyBuildListsEveryMissingChapterAndKeepsTheSite() throws {
        let project = try Project(Self.chapters)
        defer { project.remove() }
        let shared = project.root + "/shared"
        let shard = try Self.build(["--shard", "1/3", "--shared-cache", shared, "--cache", project.root + "/c1",
                                    "--report", project.root + "/shard.json"], in: project)
        #expect(shard.status == 0, "\(shard.stderr)")
        let built = try #require(try Self.report(project.root + "/shard.json").shard)
        #expect(built.chapters.count == 1)
        #expect(!FileManager.default.fileExists(atPath: project.site), "a shard writes no site")
        try FileManager.default.createDirectory(atPath: project.site, withIntermediateDirectories: true)
        try "old".write(toFile: project.site + "/index.html", atomically: true, encoding: .utf8)
        try OutputFolders.siteStampContents.write(toFile: project.site + "/.litopt-site", atomically: true, encoding: .utf8)
        let before = Project.snapshot(project.site)
        let render = try Self.build(["--render-only", "--shared-cache", shared, "--cache", project.root + "/c2", "--out", project.site], in: project)
        #expect(render.status != 0)
        let missing = Set(Self.chapters.keys).subtracting(built.chapters)
        for name in missing { #expect(render.stderr.contains("Chapters/\(name): error: no cached result"), "\(render.stderr)") }
        #expect(!render.stderr.contains("Chapters/\(built.chapters[0]): error"), "\(render.stderr)")
        #expect(Project.snapshot(project.site) == before)
    }

    @Test func thePrintedPlanIsWhatTheShardsExecute() throws {
        let project = try Project(Self.chapters)
        defer { project.remove() }
        // Measured times decide the plan: chapter 3 is by far the slowest here.
        ChapterTimes(seconds: ["01-bowl.md": 2, "02-sums.md": 1.5, "03-lines.md": 9]).store(cache: project.cache)
        var options = project.options()
        options.cache = project.cache
        let plan = try BookBuild.shardPlan(options, count: 2)
        #expect(plan.shards.map(\.chapters) == [["03-lines.md"], ["01-bowl.md", "02-sums.md"]])
        let shard = try Self.build(["--shard", "2/2", "--cache", project.cache, "--report", project.root + "/r.json"], in: project)
        #expect(shard.status == 0, "\(shard.stderr)")
        let report = try Self.report(project.root + "/r.json")
        #expect(report.chapters.map(\.file) == ["\(project.chapters)/01-bowl.md", "\(project.chapters)/02-sums.md"])
        #expect(report.chapters.allSatisfy { $0.origin == .executed })
        // Shards never rewrite the times (so every shard of a run plans alike); the render job does.
        #expect(ChapterTimes.load(cache: project.cache).seconds["03-lines.md"] == 9)
    }

    // MARK: the HTTP cache, on nginx

    /// Debian's nginx on 127.0.0.1 with WebDAV PUT, from `Fixtures/servers/nginx-cache.conf`.
    struct Nginx {
        let prefix: String
        let port: Int
        let token = "litopt-test-token"
        var url: String { "http://127.0.0.1:\(port)/cache" }
        var broken: String { "http://127.0.0.1:\(port)/broken" }
        var data: String { prefix + "/data/cache" }

        init(in folder: String) throws {
            prefix = folder + "/nginx"
            port = try Self.freePort()
            for sub in ["tmp", "data/cache"] {
                try FileManager.default.createDirectory(atPath: prefix + "/" + sub, withIntermediateDirectories: true)
            }
            let template = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("Fixtures/servers/nginx-cache.conf")
            let config = try String(contentsOf: template, encoding: .utf8)
                .replacingOccurrences(of: "@PREFIX@", with: prefix)
                .replacingOccurrences(of: "@PORT@", with: "\(port)")
                .replacingOccurrences(of: "@TOKEN@", with: token)
                .replacingOccurrences(of: "@USER@", with: geteuid() == 0 ? "user root root;" : "")
            try config.write(toFile: prefix + "/nginx.conf", atomically: true, encoding: .utf8)
            try start()
        }

        static var binary: String? {
            ["/usr/sbin/nginx", "/usr/bin/nginx"].first { FileManager.default.isExecutableFile(atPath: $0) }
        }

        /// Runs nginx through the shell with every stream closed, so the daemon it forks holds
        /// nothing of ours (Foundation's Process waits for inherited streams).
        func control(_ arguments: [String]) throws {
            let binary = try #require(Self.binary, "nginx is not installed: make test installs it")
            let words = [binary, "-p", prefix, "-c", prefix + "/nginx.conf", "-e", prefix + "/error.log"] + arguments
            let status = system(words.map { "'\($0)'" }.joined(separator: " ") + " </dev/null >/dev/null 2>&1")
            #expect(status == 0, "nginx \(arguments)")
        }

        func start() throws {
            try control([])
            // Wait until it answers.
            for _ in 0..<100 {
                if Self.answers(port) { return }
                Thread.sleep(forTimeInterval: 0.05)
            }
            Issue.record("nginx did not start on port \(port)")
        }

        func stop() throws {
            guard FileManager.default.fileExists(atPath: prefix + "/nginx.pid") else { return }  // stopped already
            try control(["-s", "stop"])
            for _ in 0..<100 where Self.answers(port) { Thread.sleep(forTimeInterval: 0.05) }
        }

        /// 127.0.0.1:`port` (0: any port) as the sockets API takes it.
        static func withLoopback<R>(port: Int, _ body: (UnsafeMutablePointer<sockaddr>, inout socklen_t) -> R) -> R {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            return withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, &length) }
            }
        }

        static func answers(_ port: Int) -> Bool {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            return withLoopback(port: port) { connect(fd, $0, $1) == 0 }
        }

        /// A port nothing listens on now (the kernel picks it).
        static func freePort() throws -> Int {
            let (fd, port) = try listener(backlog: 1)
            close(fd)
            return port
        }

        /// A socket that accepts connections into its backlog and never answers: a server
        /// slower than any timeout.
        static func listener(backlog: Int32) throws -> (Int32, Int) {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            let port = withLoopback(port: 0) { address, length -> Int? in
                guard bind(fd, address, length) == 0, listen(fd, backlog) == 0, getsockname(fd, address, &length) == 0 else { return nil }
                return Int(UInt16(bigEndian: address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_port }))
            }
            return (fd, try #require(port))
        }
    }

    /// A project with the three chapters, nginx serving it, its local reference site and the token.
    static func withNginx(_ body: (Project, Nginx, [String: Data], [String: String]) throws -> Void) throws {
        let project = try Project(Self.chapters)
        defer { project.remove() }
        let nginx = try Nginx(in: project.root)
        defer { try? nginx.stop() }
        try body(project, nginx, try Self.reference(project), ["LITOPT_REMOTE_TOKEN": nginx.token])
    }

    @Test func twoShardsPushToNginxAndARenderOnlyBuildInACleanFolderPullsTheSameSite() throws {
        try Self.withNginx { project, nginx, expected, token in
            let shards = try (1...2).map { k in
                try Self.litopt(["build", "--chapters", project.chapters, "--quiet", "--shard", "\(k)/2", "--remote-cache", nginx.url,
                                 "--require-remote", "--cache", project.root + "/shard\(k)"], in: project, environment: token)
            }
            for shard in shards {
                let run = Self.finish(shard)
                #expect(run.status == 0, "\(run.stderr)")
                #expect(run.stderr.isEmpty, "no warnings: \(run.stderr)")
            }
            // What the server holds: one action entry per chapter, every blob named by its digest.
            let actions = try FileManager.default.contentsOfDirectory(atPath: nginx.data + "/ac")
            #expect(actions.count == 3)
            for blob in try FileManager.default.contentsOfDirectory(atPath: nginx.data + "/cas") {
                let bytes = try Data(contentsOf: URL(fileURLWithPath: nginx.data + "/cas/" + blob))
                #expect(RemoteCache.digest(bytes) == blob)
            }
            // The render job: a clean project copy's view (a new cache folder), nothing executed.
            let render = try Self.build(["--render-only", "--remote-cache", nginx.url, "--require-remote", "--cache", project.root + "/clean",
                                         "--out", project.root + "/site", "--report", project.root + "/report.json"],
                                        in: project, environment: token)
            #expect(render.status == 0, "\(render.stderr)")
            #expect(Project.snapshot(project.root + "/site") == expected, "byte-identical to the single local build")
            #expect(try Self.report(project.root + "/report.json").chapters.map(\.origin) == [.remote, .remote, .remote])
            // Without the token the server refuses: one warning, local execution, same site.
            let refused = try Self.build(["--remote-cache", nginx.url, "--cache", project.root + "/no-token", "--out", project.root + "/site2"],
                                         in: project)
            #expect(refused.status == 0, "\(refused.stderr)")
            #expect(refused.stderr.contains("HTTP 401"), "\(refused.stderr)")
            #expect(refused.stderr.components(separatedBy: "warning:").count == 2, "one warning: \(refused.stderr)")
            #expect(Project.snapshot(project.root + "/site2") == expected)
        }
    }

    @Test func aCorruptRemoteEntryIsAWarningAndARecomputeNeverAWrongPage() throws {
        try Self.withNginx { project, nginx, expected, token in
            let push = try Self.build(["--remote-cache", nginx.url, "--cache", project.root + "/c1", "--out", project.root + "/s1"],
                                      in: project, environment: token)
            #expect(push.status == 0, "\(push.stderr)")
            // Damage every blob on the server: the PNG keeps its length with bytes changed, run.json is truncated.
            for blob in try FileManager.default.contentsOfDirectory(atPath: nginx.data + "/cas") {
                let path = nginx.data + "/cas/" + blob
                var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
                if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { bytes[bytes.count / 2] ^= 0xFF } else { bytes = bytes.prefix(bytes.count / 2) }
                try bytes.write(to: URL(fileURLWithPath: path))
            }
            let rebuild = try Self.build(["--remote-cache", nginx.url, "--cache", project.root + "/c2", "--out", project.root + "/s2",
                                          "--report", project.root + "/report.json"], in: project, environment: token)
            #expect(rebuild.status == 0, "\(rebuild.stderr)")
            #expect(rebuild.stderr.contains("is corrupt"), "\(rebuild.stderr)")
            #expect(try Self.report(project.root + "/report.json").chapters.map(\.origin) == [.executed, .executed, .executed])
            #expect(Project.snapshot(project.root + "/s2") == expected)
            // The recompute repaired every blob the server's entries name (a run.json holds the
            // run's times, so a re-executed chapter's is a new blob; the old, damaged one is orphaned).
            var named: [String] = []
            for action in try FileManager.default.contentsOfDirectory(atPath: nginx.data + "/ac") {
                let outputs = try #require(ActionResult.decode(try Data(contentsOf: URL(fileURLWithPath: nginx.data + "/ac/" + action))))
                named += outputs.map(\.hash)
            }
            #expect(named.count >= 4)
            for blob in named {
                #expect(RemoteCache.digest(try Data(contentsOf: URL(fileURLWithPath: nginx.data + "/cas/" + blob))) == blob)
            }
            // A render-only build meeting a corrupt entry fails rather than publish it.
            let blob = try #require(named.first {
                FileManager.default.contents(atPath: nginx.data + "/cas/" + $0)?.starts(with: [0x89, 0x50, 0x4E, 0x47]) == true
            }, "the figure's PNG")
            try Data("garbage".utf8).write(to: URL(fileURLWithPath: nginx.data + "/cas/" + blob))
            let render = try Self.build(["--render-only", "--remote-cache", nginx.url, "--cache", project.root + "/c3", "--out", project.root + "/s3"],
                                        in: project, environment: token)
            #expect(render.status != 0)
            #expect(render.stderr.contains("is corrupt") && render.stderr.contains("error: no cached result"), "\(render.stderr)")
            #expect(!FileManager.default.fileExists(atPath: project.root + "/s3"))
        }
    }

    @Test func serverErrorsSlowServersAndAStoppedServerDegradeToLocalExecution() throws {
        try Self.withNginx { project, nginx, expected, token in
            // 500 on every request: warnings, local execution, the same site; --require-remote fails.
            let failing = try Self.build(["--remote-cache", nginx.broken, "--cache", project.root + "/c1", "--out", project.root + "/s1"],
                                         in: project)
            #expect(failing.status == 0, "\(failing.stderr)")
            #expect(failing.stderr.contains("HTTP 500 after 3 tries"), "\(failing.stderr)")
            #expect(Project.snapshot(project.root + "/s1") == expected)
            let strict = try Self.build(["--remote-cache", nginx.broken, "--require-remote", "--cache", project.root + "/c2", "--out", project.root + "/s2"],
                                        in: project)
            #expect(strict.status != 0 && strict.stderr.contains("error: remote cache"), "\(strict.stderr)")
            #expect(!FileManager.default.fileExists(atPath: project.root + "/s2"))
            // A server that accepts connections and never answers: one timeout, then not asked again.
            let (silent, port) = try Nginx.listener(backlog: 16)
            defer { close(silent) }
            let slow = try Self.build(["--remote-cache", "http://127.0.0.1:\(port)/cache", "--remote-timeout", "1",
                                       "--cache", project.root + "/c3", "--out", project.root + "/s3"], in: project)
            #expect(slow.status == 0, "\(slow.stderr)")
            #expect(slow.stderr.contains("timed out after 1 s"), "\(slow.stderr)")
            #expect(slow.stderr.components(separatedBy: "warning:").count == 2, "one warning: \(slow.stderr)")
            #expect(Project.snapshot(project.root + "/s3") == expected)
            // The server stopped in the middle of a build (after the chapters looked it up, while
            // chapter 2 runs): the results cannot be pushed; one warning, the site is right.
            let marker = project.root + "/running"
            var slowChapters = Self.chapters
            slowChapters["02-sums.md"] = """
                # Sums

                ```swift
                import Foundation
                FileManager.default.createFile(atPath: "\(marker)", contents: nil)
                Thread.sleep(forTimeInterval: 3)
                print((1...100).reduce(0, +))
                ```

                The sum is `{swift} (1...10).reduce(0, +)`.
                """
            try slowChapters["02-sums.md"]!.write(toFile: project.chapters + "/02-sums.md", atomically: true, encoding: .utf8)
            let expectedSlow = try Self.reference(project)
            try FileManager.default.removeItem(atPath: marker)
            let build = try Self.litopt(["build", "--chapters", project.chapters, "--quiet", "--jobs", "1", "--remote-cache", nginx.url,
                                         "--cache", project.root + "/c4", "--out", project.root + "/s4"], in: project, environment: token)
            var waited = 0
            while !FileManager.default.fileExists(atPath: marker), waited < 600 {
                Thread.sleep(forTimeInterval: 0.1)
                waited += 1
            }
            try nginx.stop()
            let stopped = Self.finish(build)
            #expect(stopped.status == 0, "\(stopped.stderr)")
            #expect(stopped.stderr.contains("remote cache unavailable"), "\(stopped.stderr)")
            #expect(Project.snapshot(project.root + "/s4") == expectedSlow)
            // Stopped before the build: --require-remote fails and leaves the site alone.
            let down = try Self.build(["--remote-cache", nginx.url, "--require-remote", "--cache", project.root + "/c5", "--out", project.root + "/s4"],
                                      in: project, environment: token)
            #expect(down.status != 0 && down.stderr.contains("--require-remote"), "\(down.stderr)")
            #expect(Project.snapshot(project.root + "/s4") == expectedSlow)
        }
    }
}
