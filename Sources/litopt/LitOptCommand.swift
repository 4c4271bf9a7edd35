import ArgumentParser
import BookBuilder
import Foundation

@main
struct LitOptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "litopt",
        abstract: "Turn Markdown chapters with executable Swift cells into an offline HTML book.",
        discussion: """
        Fenced ```swift blocks in Chapters/NN-slug.md are cells: they run against litopt's \
        optimization engine, and what they print or show lands in the page under them.
        """,
        subcommands: [Build.self, Serve.self, Check.self, New.self, Clean.self, SlurmCommand.self],
        defaultSubcommand: Build.self)
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run every chapter's cells and write the site.",
        discussion: """
        Chapters whose cells, execution options, declared inputs, engine and compiler are \
        unchanged reuse their cached results (.litopt-cache/): editing prose re-runs nothing. \
        The site is written to a temporary folder and moved into place only when the whole \
        build succeeded: on any error the previous site is left exactly as it was. Errors \
        are printed as FILE.md:LINE:COL: error: … and the exit status is non-zero.
        """)

    @OptionGroup var folders: BookFolders

    @Option(name: .long, help: ArgumentHelp("Chapters compiled and run at once; the default is the number of cores.", valueName: "n"))
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    @Flag(name: .customLong("no-cache"), help: "Re-execute every chapter, ignoring cached results.")
    var noCache = false

    @Option(name: .customLong("format"),
            help: ArgumentHelp("Outputs to write into the output folder: html (the site), epub (book.epub), pdf (book.pdf); repeat or separate with commas. Default: html.",
                               valueName: "format"))
    var formatList: [String] = []

    var formats: Set<OutputFormat> {
        let names = formatList.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() } }
        return names.isEmpty ? [.html] : Set(names.compactMap(OutputFormat.init(rawValue:)))
    }

    @Option(name: .long, help: ArgumentHelp("Write a JSON report (per chapter and per cell: cached, times, peak memory).", valueName: "file"))
    var report: String?

    @Flag(name: .customLong("keep-going"), help: "Build every chapter that can be built and write the site anyway, failing chapters showing their errors; still exits non-zero.")
    var keepGoing = false

    @Option(name: .customLong("memory-limit"), help: ArgumentHelp(
        "Memory each chapter's program may use (e.g. 4G, 512M, none); the default is three quarters of the machine's memory divided among --jobs.",
        valueName: "size"))
    var memoryLimit: String?

    @Option(name: .customLong("output-limit"), help: ArgumentHelp(
        "The most bytes any one file a chapter's program writes may hold: its printed output, figures, memo values (default 256M; none for no limit).",
        valueName: "size"))
    var outputLimit: String?

    @Option(name: .long, help: ArgumentHelp(
        "Execute only shard K of N (chapters balanced by their last measured times), store the results in the cache and write no site.",
        valueName: "K/N"))
    var shard: String?

    @Flag(name: .customLong("render-only"), help: "Execute nothing: write the site from cached results, failing with every chapter whose result is missing.")
    var renderOnly = false

    @Option(name: .long, help: ArgumentHelp(
        "Print which chapters each of N shards would execute (and with --report, write the plan as JSON), then stop.", valueName: "N"))
    var plan: Int?

    @Option(name: .customLong("shared-cache"), help: ArgumentHelp(
        "A cache folder shared by every shard and the render job, e.g. on a network filesystem (default: $LITOPT_SHARED_CACHE, then book.yml's shared-cache).",
        valueName: "dir"))
    var sharedCache: String? = ProcessInfo.processInfo.environment["LITOPT_SHARED_CACHE"].flatMap { $0.isEmpty ? nil : $0 }

    @Option(name: .customLong("remote-cache"), help: ArgumentHelp(
        "An HTTP cache in bazel-remote's layout (ac/ and cas/), e.g. http://127.0.0.1:8080 (default: $LITOPT_REMOTE_CACHE, then book.yml's remote-cache); $LITOPT_REMOTE_TOKEN is sent as a bearer token.",
        valueName: "url"))
    var remoteCache: String? = ProcessInfo.processInfo.environment["LITOPT_REMOTE_CACHE"].flatMap { $0.isEmpty ? nil : $0 }

    @Option(name: .customLong("remote-timeout"), help: ArgumentHelp("Seconds each request to the remote cache may take.", valueName: "s"))
    var remoteTimeout = 10.0

    @Flag(name: .customLong("require-remote"), help: "Fail, rather than execute locally, when the remote cache cannot be used.")
    var requireRemote = false

    @Flag(name: .shortAndLong, help: "Print only errors.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Print every cell's time and memory in the summary.")
    var verbose = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        if let shard, ShardPlan.parse(shard) == nil {
            throw ValidationError("--shard '\(shard)' must be K/N with 1 ≤ K ≤ N, e.g. 2/3")
        }
        if let plan, plan < 1 { throw ValidationError("--plan must be at least 1") }
        if shard != nil, renderOnly { throw ValidationError("--shard and --render-only exclude each other: shards execute, the render job only renders") }
        if plan != nil, shard != nil || renderOnly { throw ValidationError("--plan only prints the plan: give it without --shard and --render-only") }
        if renderOnly, noCache { throw ValidationError("--render-only reads cached results: it cannot be combined with --no-cache") }
        if remoteTimeout <= 0 { throw ValidationError("--remote-timeout must be positive") }
        if let remoteCache, URL(string: remoteCache).map({ ["http", "https"].contains($0.scheme ?? "") && $0.host != nil }) != true {
            throw ValidationError("--remote-cache '\(remoteCache)' must be an http:// or https:// URL")
        }
        for (flag, value) in [("--memory-limit", memoryLimit), ("--output-limit", outputLimit)] {
            if let value, ExecutionLimits.parse(value) == nil {
                throw ValidationError("\(flag): '\(value)' is not a size (expected e.g. 512M, 4G or none)")
            }
        }
        for name in formatList.flatMap({ $0.split(separator: ",") }) {
            let trimmed = name.trimmingCharacters(in: .whitespaces).lowercased()
            guard OutputFormat(rawValue: trimmed) != nil else {
                throw ValidationError("unknown format '\(name)' (expected html, epub or pdf)")
            }
        }
    }

    func run() throws {
        var options = BuildOptions(chapters: folders.chapters, output: folders.out, cache: folders.cache, jobs: jobs, useCache: !noCache)
        options.keepGoing = keepGoing
        options.formats = formats
        if let memoryLimit, let bytes = ExecutionLimits.parse(memoryLimit) { options.limits.maxMemoryBytes = bytes }
        if let outputLimit, let bytes = ExecutionLimits.parse(outputLimit) { options.limits.maxFileBytes = bytes }
        options.shard = shard.flatMap(ShardPlan.parse)
        options.renderOnly = renderOnly
        options.sharedCache = sharedCache
        options.remoteCache = remoteCache
        options.remoteToken = ProcessInfo.processInfo.environment["LITOPT_REMOTE_TOKEN"]
        options.remoteTimeout = remoteTimeout
        options.requireRemote = requireRemote
        if let plan {
            do {
                let shards = try BookBuild.shardPlan(options, count: plan)
                print(shards.text, terminator: "")
                if let report {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                    try encoder.encode(shards).write(to: URL(fileURLWithPath: report))
                }
            } catch let failure as BuildFailure {
                DiagnosticPrinter.standardError().write(failure.diagnostics)
                throw ExitCode.failure
            }
            return
        }
        BookBuild.installInterruptHandlers()
        let printer = DiagnosticPrinter.standardError()
        let quiet = self.quiet
        let progress = ProgressDisplay(live: isatty(STDERR_FILENO) != 0)
        if !quiet { progress.start() }
        defer { progress.finish() }
        do {
            let summary = try BookBuild.run(options) { event in
                if !quiet { progress.handle(event) }
            }
            progress.finish()
            printer.write(summary.warnings)
            if let report {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                try encoder.encode(summary).write(to: URL(fileURLWithPath: report))
            }
            if !quiet { print(Self.describe(summary, out: folders.out, verbose: verbose)) }
        } catch let failure as BuildFailure {
            progress.finish()
            printer.write(failure.diagnostics)
            let count = failure.diagnostics.filter { $0.severity == .error }.count
            let plural = count == 1 ? "" : "s"
            let outcome = keepGoing ? "the site in \(folders.out)/ shows the failing chapters with their errors"
                : "\(folders.out)/ was left unchanged"
            FileHandle.standardError.write(Data("build failed with \(count) error\(plural); \(outcome)\n".utf8))
            throw ExitCode.failure
        }
    }

    static func describe(_ summary: BuildSummary, out: String, verbose: Bool) -> String {
        let cells = summary.chapters.map(\.cells).reduce(0, +)
        if let shard = summary.shard, let count = summary.shardCount {
            let names = shard.chapters.isEmpty ? "nothing to do" : shard.chapters.joined(separator: ", ")
            return "shard \(shard.index)/\(count): \(summary.chapters.count) chapters (\(cells) cells: \(summary.executed) executed, "
                + "\(summary.fromCache) cached) stored in the cache in \(String(format: "%.2f", summary.seconds)) s; no site written (\(names))"
        }
        if summary.upToDate == true {
            return "\(out)/ is up to date: nothing it is built from changed since the build that wrote it "
                + "(\(summary.chapters.count) chapters checked in \(String(format: "%.2f", summary.seconds)) s)"
        }
        var text = "built \(summary.chapters.count) chapters (\(cells) cells: \(summary.executed) chapters executed, "
            + "\(summary.fromCache) cached) into \(out)/ in \(String(format: "%.2f", summary.seconds)) s"
        let timed = summary.chapters.flatMap { chapter in
            chapter.cached ? [] : chapter.cellReports.map { (chapter.file, $0) }
        }.filter { $0.1.seconds != nil }.sorted { $0.1.seconds! > $1.1.seconds! }
        let claims = summary.claims
        if !claims.isEmpty || summary.inlineValueCount > 0 {
            let failed = claims.filter { !$0.holds }.count
            let claimText = claims.isEmpty ? "no claims" : "\(claims.count) claim\(claims.count == 1 ? "" : "s") checked"
                + (failed > 0 ? " (\(failed) not holding, flagged in the page)" : ", all holding")
            text += "\n\(claimText); \(summary.inlineValueCount) inline value\(summary.inlineValueCount == 1 ? "" : "s")"
        }
        let memos = summary.memoEvents
        if let note = BuildEvent.memoNote(memos) {
            text += "\n" + note
            if verbose {
                for event in memos {
                    text += "\n  \(event.key): \(event.loaded ? "loaded" : "computed") in \(String(format: "%.3f", event.seconds)) s"
                }
            }
        }
        let shown = verbose ? timed : Array(timed.prefix(3))
        if !shown.isEmpty {
            text += verbose ? "\ncells:" : "\nslowest cells:"
            for (file, cell) in shown {
                text += "\n  \(file):\(cell.line)  cell \(cell.cell)  \(String(format: "%.3f", cell.seconds!)) s"
                if verbose, let kb = cell.peakKB { text += "  peak \(kb / 1024) MiB" }
            }
        }
        return text
    }
}

struct Clean: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Remove the cache folder (cached results and the module cache).")

    @Option(name: .long, help: ArgumentHelp("The cache folder to remove.", valueName: "dir"))
    var cache = ".litopt-cache"

    func run() throws {
        guard FileManager.default.fileExists(atPath: cache) else { return }
        do {
            // Only a folder litopt made (tagged with CACHEDIR.TAG, or laid out as its caches
            // are), and never the folder we stand in or one holding it.
            if OutputFolders.within(FileManager.default.currentDirectoryPath, OutputFolders.canonical(cache)) {
                throw BuildFailure([Diagnostic(file: cache, message: "refusing --cache \(cache): it holds the current folder")])
            }
            try OutputFolders.checkOwned(cache, kind: .cache)
        } catch let failure as BuildFailure {
            DiagnosticPrinter.standardError().write(failure.diagnostics)
            throw ExitCode.failure
        }
        try FileManager.default.removeItem(atPath: cache)
        print("removed \(cache)/")
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check chapters without running them: options, cell syntax, references, formulas, links.",
        discussion: "Fast enough for a pre-commit hook. External links are listed, never fetched.")

    @Option(name: .long, help: ArgumentHelp("Folder holding book.yml and the chapters.", valueName: "dir"))
    var chapters = "Chapters"

    @Flag(name: .customLong("typecheck"), help: "Also type-check every chapter's cells, inline values and computed captions with the compiler (seconds per chapter; nothing runs).")
    var typecheck = false

    @Option(name: .long, help: ArgumentHelp("Folder for the compiler's module cache (with --typecheck).", valueName: "dir"))
    var cache = ".litopt-cache"

    func run() throws {
        let printer = DiagnosticPrinter.standardError()
        do {
            let summary = try BookCheck.run(chapters: chapters, typecheck: typecheck, cache: cache)
            printer.write(summary.warnings)
            let verdict = summary.warnings.isEmpty ? "no problems" : "no errors, \(summary.warnings.count) warnings"
            print("checked \(summary.chapters) chapters, \(summary.cells) cells: \(verdict); "
                + "\(summary.externalLinks.count) external links (not fetched)")
            for link in summary.externalLinks { print("  external: \(link)") }
        } catch let failure as BuildFailure {
            printer.write(failure.diagnostics)
            throw ExitCode.failure
        }
    }
}

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create the next numbered chapter with front matter and an example cell.")

    @Argument(help: "The chapter's title.")
    var title: String

    @Option(name: .long, help: ArgumentHelp("Folder holding the chapters.", valueName: "dir"))
    var chapters = "Chapters"

    func run() throws {
        print("created \(try ChapterTemplate.create(title: title, chapters: chapters))")
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build, serve the site on 127.0.0.1, rebuild when a chapter changes and reload open pages.",
        discussion: "A failed rebuild keeps the last good site and shows the errors in an overlay on the page.")

    @Option(name: .long, help: ArgumentHelp("Port to listen on (127.0.0.1 only).", valueName: "port"))
    var port: UInt16 = 8000

    @OptionGroup var folders: BookFolders

    func run() async throws {
        BookBuild.installInterruptHandlers()
        let server = try PreviewServer(options: BuildOptions(chapters: folders.chapters, output: folders.out, cache: folders.cache), port: port)
        print("serving \(folders.out)/ at http://127.0.0.1:\(port)/ — watching \(folders.chapters)/ (Ctrl-C to stop)")
        try await server.run { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }
}

struct SlurmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm",
        abstract: "Build the book on a Slurm cluster: one array task per shard, then a render job.",
        discussion: """
        The project, the cache folder and the litopt executable must be visible at the same \
        paths on every node (a network filesystem). Results travel through the cache folder, \
        or through --shared-cache / --remote-cache when given (or set in book.yml).
        """,
        subcommands: [SlurmSubmit.self, SlurmStatus.self])
}

struct SlurmSubmit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Write and submit a job array (task K runs build --shard K/N) and a dependent --render-only job.",
        discussion: "Arguments after -- go to sbatch for both jobs, e.g. -- --partition=gpu --time=2:00:00.")

    @Option(name: .long, help: ArgumentHelp("Number of shards: array tasks.", valueName: "n"))
    var shards = 2

    @OptionGroup var folders: BookFolders

    @Option(name: .customLong("shared-cache"), help: ArgumentHelp("A shared cache folder for every job.", valueName: "dir"))
    var sharedCache: String?

    @Option(name: .customLong("remote-cache"), help: ArgumentHelp("An HTTP cache for every job ($LITOPT_REMOTE_TOKEN travels in the job's environment).", valueName: "url"))
    var remoteCache: String?

    @Option(name: .long, help: ArgumentHelp("Chapters each task runs at once (default: $SLURM_CPUS_PER_TASK, else 1).", valueName: "n"))
    var jobs: Int?

    @Flag(name: .customLong("dry-run"), help: "Print the plan and the two scripts; submit nothing.")
    var dryRun = false

    @Argument(parsing: .postTerminator, help: "Options for sbatch.")
    var sbatch: [String] = []

    func validate() throws {
        guard shards >= 1 else { throw ValidationError("--shards must be at least 1") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        func absolute(_ path: String) -> String {
            URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath + "/")).standardizedFileURL.path
        }
        let setup = Slurm.Setup(litopt: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path,
                                project: FileManager.default.currentDirectoryPath,
                                chapters: absolute(folders.chapters), out: absolute(folders.out), cache: absolute(folders.cache),
                                sharedCache: sharedCache.map(absolute), remoteCache: remoteCache, shards: shards, jobsPerTask: jobs)
        var options = BuildOptions(chapters: folders.chapters, output: folders.out, cache: folders.cache)
        options.sharedCache = sharedCache
        options.remoteCache = remoteCache
        var plan: ShardPlan?
        do throws(BuildFailure) {
            plan = try BookBuild.shardPlan(options, count: shards)
        } catch {
            DiagnosticPrinter.standardError().write(error.diagnostics)
        }
        guard let plan else { throw ExitCode.failure }
        print(plan.text, terminator: "")
        if dryRun {
            let scripts = Slurm.scripts(setup)
            print("--- \(setup.folder)/shards.sbatch\n\(scripts.shard)--- \(setup.folder)/render.sbatch\n\(scripts.render)", terminator: "")
            return
        }
        do {
            let submission = try Slurm.submit(setup, sbatchArguments: sbatch)
            print("submitted job array \(submission.arrayJob) (\(shards) tasks) and render job \(submission.renderJob); "
                  + "logs in \(submission.folder)/; follow with: litopt slurm status --cache \(folders.cache)")
        } catch {
            DiagnosticPrinter.standardError().write(message: "\(error)")
            throw ExitCode.failure
        }
    }
}

struct SlurmStatus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Report the last submitted build's tasks and render job.",
        discussion: "Exits non-zero when a task or the render job failed; with --wait, also until the site is written.")

    @Option(name: .long, help: ArgumentHelp("The cache folder given to submit.", valueName: "dir"))
    var cache = ".litopt-cache"

    @Flag(name: .long, help: "Wait until the render job has finished (or cannot start), then report.")
    var wait = false

    @Option(name: .long, help: ArgumentHelp("Seconds between polls with --wait.", valueName: "s"))
    var interval = 2.0

    func run() throws {
        do {
            let submission = try Slurm.lastSubmission(cache: cache)
            var status = try Slurm.status(submission)
            while wait, !status.finished {
                Thread.sleep(forTimeInterval: max(0.2, interval))
                status = try Slurm.status(submission)
            }
            print(Slurm.describe(status, submission))
            if status.shards.contains(where: \.isFailure) || status.render.isFailure || (wait && !status.succeeded) {
                throw ExitCode.failure
            }
        } catch let failure as Slurm.Failure {
            DiagnosticPrinter.standardError().write(message: "\(failure)")
            throw ExitCode.failure
        }
    }
}

/// The three folders every command that builds the book takes.
struct BookFolders: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Folder holding book.yml and the NN-slug.md chapters.", valueName: "dir"))
    var chapters = "Chapters"

    @Option(name: .long, help: ArgumentHelp("Folder the site is written to.", valueName: "dir"))
    var out = "Site"

    @Option(name: .long, help: ArgumentHelp(
        "Folder for cached results and the compiler's module cache (litopt slurm also keeps its job scripts and logs there, in slurm/).",
        valueName: "dir"))
    var cache = ".litopt-cache"
}
