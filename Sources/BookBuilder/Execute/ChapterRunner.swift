import Foundation
import Notebook

/// Stage 4: compiles a chapter's program against the engine and runs it.
///
/// Failures come back as diagnostics pointing into the chapter: the compiler's own
/// messages (already located in the `.md` thanks to `#sourceLocation`), a trap with the
/// cell it happened in, or the cell that ran past its time limit.
public struct ChapterRunner: Sendable {
    public var toolchain: Toolchain
    /// Where the compiler keeps its module cache between builds.
    public var moduleCache: String
    /// Where `memo` keeps values, and what salts their keys; nil leaves `memo` computing every time.
    public var memo: MemoStore?
    /// What a chapter's program may use: memory, and bytes in any one file it writes.
    public var limits = ExecutionLimits()
    /// Per-cell printed output kept for the page.
    public static let textLimit = 256 << 10
    /// How long past its own limit a cell may run before the builder stops it (the program's
    /// watchdog normally ends it first; a stopped or frozen program cannot).
    public static let graceSeconds = 3.0

    public init(toolchain: Toolchain, moduleCache: String, memo: MemoStore? = nil) {
        self.toolchain = toolchain
        self.moduleCache = moduleCache
        self.memo = memo
    }

    /// Makes the compiler's module cache usable: a cache copied or moved with its project
    /// still names its old location inside, and every compile against it then fails with an
    /// opaque error. The cache records where it was made; one found elsewhere is emptied.
    /// Call once per build, before any compile.
    public static func prepareModuleCache(_ path: String) {
        let fm = FileManager.default
        let stamp = path + "/.litopt-location"
        let here = OutputFolders.canonical(path)
        if let data = fm.contents(atPath: stamp), String(decoding: data, as: UTF8.self) == here { return }
        if fm.fileExists(atPath: path) { try? fm.removeItem(atPath: path) }
        try? fm.createDirectory(atPath: path, withIntermediateDirectories: true)
        fm.createFile(atPath: stamp, contents: Data(here.utf8))
    }

    /// Type-checks a chapter's program — its cells, inline values and computed captions —
    /// with the compiler, generating no code and running nothing (`litopt check --typecheck`).
    public func typecheck(_ program: Program, cells: [Cell], workDirectory: String) throws(BuildFailure) {
        do {
            try FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: moduleCache, withIntermediateDirectories: true)
            try program.source.write(toFile: workDirectory + "/main.swift", atomically: true, encoding: .utf8)
        } catch {
            throw BuildFailure([Diagnostic(file: program.file, message: "cannot prepare \(workDirectory): \(error)")])
        }
        _ = try swiftc(toolchain.typecheckArguments(main: workDirectory + "/main.swift", moduleCache: moduleCache),
                       program: program, cells: cells, workDirectory: workDirectory, failing: "does not type-check")
    }

    /// Runs the compiler on a chapter's program; a failure comes back as diagnostics in the
    /// chapter file (or, when none can be read from the output, "the chapter's program
    /// `failing`" with the output attached).
    func swiftc(_ arguments: [String], program: Program, cells: [Cell], workDirectory: String,
                failing: String) throws(BuildFailure) -> ProcessRunner.Result {
        let result: ProcessRunner.Result
        do {
            result = try ProcessRunner.run(toolchain.swiftc, arguments, environment: ProcessRunner.environment(work: workDirectory),
                                           directory: FileManager.default.currentDirectoryPath, timeout: 300)
        } catch {
            throw BuildFailure([Diagnostic(file: program.file, message: "cannot start swiftc: \(error)")])
        }
        guard result.status == 0, !result.timedOut else {
            let diagnostics = compilerDiagnostics(result.output, program: program, cells: cells)
            throw BuildFailure(diagnostics.isEmpty
                ? [Diagnostic(file: program.file, message: "the chapter's program \(failing)", details: [result.output])]
                : diagnostics)
        }
        return result
    }

    /// The compiler's errors moved into the chapter file: inline values to their expression,
    /// indented cells to the columns as written.
    func compilerDiagnostics(_ output: String, program: Program, cells: [Cell]) -> [Diagnostic] {
        CompilerOutput.errors(in: output, chapter: program.file).map(program.locate).map { diagnostic in
            var shifted = diagnostic
            if diagnostic.column > 0, let cell = cells.first(where: { $0.contains(line: diagnostic.line) }) {
                shifted.column += cell.indent
                shifted.sourceLine = diagnostic.sourceLine.map { String(repeating: " ", count: cell.indent) + $0 }
            }
            return shifted
        }
    }

    /// The cell whose fence-to-fence lines contain the diagnostic's line.
    static func cell(containing diagnostic: Diagnostic, in cells: [Cell], file: String) -> Cell? {
        guard diagnostic.file == file else { return nil }
        return cells.first { cell in
            let lines = cell.source.split(separator: "\n", omittingEmptySubsequences: false).count
            return (cell.fenceLine...(cell.fenceLine + lines + 1)).contains(diagnostic.line)
        }
    }

    /// Runs `program` in `workDirectory` (created if needed; outputs land in `workDirectory/out`).
    public enum Phase: Sendable { case compiling, running }

    public func run(_ program: Program, cells: [Cell], workDirectory: String,
                    phase: (Phase) -> Void = { _ in }) throws(BuildFailure) -> ChapterRun {
        let fm = FileManager.default
        let out = workDirectory + "/out"
        try? fm.removeItem(atPath: out)
        do {
            try fm.createDirectory(atPath: out, withIntermediateDirectories: true)
            try fm.createDirectory(atPath: moduleCache, withIntermediateDirectories: true)
            try program.source.write(toFile: workDirectory + "/main.swift", atomically: true, encoding: .utf8)
        } catch {
            throw BuildFailure([Diagnostic(file: program.file, message: "cannot prepare \(workDirectory): \(error)")])
        }

        // Compile.
        phase(.compiling)
        let executable = workDirectory + "/chapter"
        let compile = try swiftc(toolchain.compileArguments(main: workDirectory + "/main.swift", executable: executable,
                                                            moduleCache: moduleCache),
                                 program: program, cells: cells, workDirectory: workDirectory, failing: "did not compile")

        // Run.
        phase(.running)
        // TMPDIR too: what a cell writes to a temporary file goes with the build.
        var environment = ProcessRunner.environment(work: workDirectory)
        environment[NotebookFiles.outputDirectoryVariable] = out
        environment["SWIFT_BACKTRACE"] = "enable=yes,interactive=no,color=no,threads=crashed,sanitize=yes"
        // OpenBLAS's own kernels unless it fell back to Prescott on a newer CPU (`BLASCore`).
        // (nil when OPENBLAS_CORETYPE is set: the programs inherit it.)
        if let core = BLASCore.suggestion { environment[BLASCore.variable] = core }
        if let memo, let directory = memo.directory {
            environment[NotebookFiles.memoDirectoryVariable] = directory
            environment[NotebookFiles.memoSaltVariable] = memo.salt
            environment[NotebookFiles.memoRecomputeVariable] = memo.recomputeAll ? "1" : "0"
        }
        let run: ProcessRunner.Result
        let watch = CellWatch(program: program, out: out)
        do {
            run = try ProcessRunner.run(executable, [], environment: environment,
                                        directory: FileManager.default.currentDirectoryPath,
                                        timeout: program.timeout,
                                        limits: .init(maxFileBytes: limits.maxFileBytes, maxDataBytes: limits.maxMemoryBytes),
                                        monitor: { watch.overdue() })
        } catch {
            throw BuildFailure([Diagnostic(file: program.file, message: "cannot run the chapter's program: \(error)")])
        }

        // A cell's children that left its process group (Foundation's Process starts them in
        // a session of their own) still carry the build's folder in their environment.
        TemporaryFiles.killProcesses(workingIn: [workDirectory])
        let results = collect(program, out: out)
        let finished = fm.fileExists(atPath: out + "/" + NotebookFiles.finished)
        if !finished {
            throw BuildFailure([failure(of: program, run: run, results: results, cells: cells, out: out)])
        }
        var chapterRun = ChapterRun(cells: results, outputDirectory: out, compileSeconds: compile.seconds,
                                    runSeconds: run.seconds)
        let inline = JSONLines.read(InlineRecord.self, from: out + "/" + NotebookFiles.inline)
        chapterRun.inlineValues = Dictionary(inline.filter { $0.option == nil }.map { ($0.index, $0.text) },
                                             uniquingKeysWith: { _, last in last })
        for record in inline where record.option != nil {
            guard let i = chapterRun.cells.firstIndex(where: { $0.index == record.index }) else { continue }
            if record.option == "caption" { chapterRun.cells[i].computedCaption = record.text }
            if record.option == "alt" { chapterRun.cells[i].computedAlt = record.text }
        }
        let claims = Dictionary(grouping: JSONLines.read(ClaimRecord.self, from: out + "/" + NotebookFiles.claims), by: \.cell)
        for i in chapterRun.cells.indices { chapterRun.cells[i].claims = claims[chapterRun.cells[i].index] }
        // A claim that fails with severity error fails the chapter, like a test.
        let failed = chapterRun.claims.filter { !$0.holds && $0.severity == .error }
        if !failed.isEmpty {
            throw BuildFailure(failed.map { claim in
                Diagnostic(file: program.file, line: claim.line, column: claim.column,
                           message: "claim failed: \(claim.statement)" + (claim.values.isEmpty ? "" : " (\(claim.values))"))
            })
        }
        return chapterRun
    }

    /// Reads each cell's captured text and the display manifest.
    func collect(_ program: Program, out: String) -> [CellResult] {
        let records = Dictionary(grouping: JSONLines.read(OutputRecord.self, from: out + "/" + NotebookFiles.manifest), by: \.cell)
        let memos = Dictionary(grouping: JSONLines.read(MemoEvent.self, from: out + "/" + NotebookFiles.memoLog), by: \.cell)
        let timings = Dictionary(JSONLines.read(CellTiming.self, from: out + "/" + NotebookFiles.timings).map { ($0.cell, $0) },
                                 uniquingKeysWith: { _, last in last })
        return program.cells.map { planned in
            var result = CellResult(index: planned.index, outputs: records[planned.index] ?? [])
            result.memos = memos[planned.index]
            result.seconds = timings[planned.index]?.seconds
            result.peakKB = timings[planned.index]?.peakKB
            let path = out + "/" + NotebookFiles.stdout(cell: planned.index)
            if let handle = FileHandle(forReadingAtPath: path) {
                let data = handle.readData(ofLength: Self.textLimit + 1)
                try? handle.close()
                result.truncated = data.count > Self.textLimit
                result.text = String(decoding: data.prefix(Self.textLimit), as: UTF8.self)
            }
            return result
        }
    }

    /// Explains why the program stopped before its last cell.
    func failure(of program: Program, run: ProcessRunner.Result, results: [CellResult], cells: [Cell], out: String) -> Diagnostic {
        let fm = FileManager.default
        // The last cell whose capture file exists is the one that was running.
        let started = program.cells.last { fm.fileExists(atPath: out + "/" + NotebookFiles.stdout(cell: $0.index)) }
        let cellNumber = (started?.index ?? 0) + 1
        let line = started?.fenceLine ?? 0
        let text = results.first { $0.index == started?.index }?.text ?? run.output
        if let note = fm.contents(atPath: out + "/" + NotebookFiles.timeout),
           let index = Int(String(decoding: note, as: UTF8.self)),
           let planned = program.cells.first(where: { $0.index == index }) {
            return Diagnostic(file: program.file, line: planned.fenceLine, column: 1,
                              message: "cell \(index + 1) ran past its time limit of \(formatSeconds(planned.timeout)) (set timeout=… in its options to allow more)")
        }
        if run.timedOut {
            return Diagnostic(file: program.file, line: line, column: 1,
                              message: "cell \(cellNumber) ran past the chapter's time limit of \(formatSeconds(program.timeout))")
        }
        let crash = CrashReport(text, chapter: program.file)
        let details = crash.excerpt.isEmpty ? [] : crash.excerpt
        let at = (line: crash.line ?? line, column: crash.column ?? 1)
        if run.signaled, run.status == SIGXFSZ {
            return Diagnostic(file: program.file, line: line, column: 1,
                              message: "cell \(cellNumber) wrote more than \(ExecutionLimits.describe(limits.maxFileBytes ?? 0)) to one file, the output limit (raise it with --output-limit); it was stopped there")
        }
        if text.contains("Could not allocate memory") || text.contains("failed to allocate") || text.contains("allocation failed")
            || text.contains("std::bad_alloc") {
            let limit = limits.maxMemoryBytes.map { "more than the limit of \(ExecutionLimits.describe($0)) (raise it with --memory-limit)" }
                ?? "more than the machine could give"
            return Diagnostic(file: program.file, line: at.line, column: at.column,
                              message: "cell \(cellNumber) ran out of memory: it needed \(limit)", details: details)
        }
        if run.signaled, run.status == SIGKILL {
            return Diagnostic(file: program.file, line: at.line, column: at.column,
                              message: "cell \(cellNumber) was killed (SIGKILL), most likely by the kernel for using too much memory"
                                + (limits.maxMemoryBytes.map { " (the memory limit is \(ExecutionLimits.describe($0)); --memory-limit)" } ?? ""),
                              details: details)
        }
        if !run.signaled, run.status == 0 {
            return Diagnostic(file: program.file, line: at.line, column: at.column,
                              message: "cell \(cellNumber) ended the program before its last cell ran (exit status 0): a cell must not call exit()",
                              details: details)
        }
        return Diagnostic(file: program.file, line: at.line, column: at.column,
                          message: "cell \(cellNumber) crashed: \(crash.message ?? (run.signaled ? Self.signalDescription(run.status) : "exited with status \(run.status)"))",
                          details: details)
    }

    /// "killed by signal 4 (SIGILL: an illegal instruction — in Swift, a trap such as an
    /// arithmetic overflow, a failed precondition or a forced unwrap of nil)".
    static func signalDescription(_ signal: Int32) -> String {
        let names: [Int32: String] = [
            SIGILL: "SIGILL: a trap — in Swift, an arithmetic overflow, an index out of range, a failed precondition or a nil unwrapped",
            SIGTRAP: "SIGTRAP: a trap — in Swift, an arithmetic overflow, an index out of range, a failed precondition or a nil unwrapped",
            SIGABRT: "SIGABRT: the program aborted", SIGSEGV: "SIGSEGV: an invalid memory access",
            SIGBUS: "SIGBUS: an invalid memory access", SIGFPE: "SIGFPE: an arithmetic error such as an integer division by zero",
            SIGKILL: "SIGKILL", SIGTERM: "SIGTERM", SIGPIPE: "SIGPIPE: a write to a closed pipe",
        ]
        return "killed by signal \(signal)" + (names[signal].map { " (\($0))" } ?? "")
    }

    func formatSeconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : String(format: "%.1f s", s)
    }
}

/// What a chapter's program may use. Both limits are applied by the kernel to the process
/// (RLIMIT_DATA, RLIMIT_FSIZE), so a runaway cell is stopped where it is, and its error names
/// the limit.
public struct ExecutionLimits: Sendable, Equatable {
    /// Heap and private mappings; nil: no limit.
    public var maxMemoryBytes: Int?
    /// The most bytes any one file the program writes may hold — printed output, figures,
    /// memo entries; nil: no limit.
    public var maxFileBytes: Int?

    /// Three quarters of the machine's memory shared among `jobs` chapters run at once (at
    /// least 1 GiB); 256 MiB per file.
    public init(jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
        let share = Int(ProcessInfo.processInfo.physicalMemory / 4 * 3) / max(1, jobs)
        maxMemoryBytes = max(1 << 30, share)
        maxFileBytes = 256 << 20
    }

    public init(maxMemoryBytes: Int?, maxFileBytes: Int?) {
        self.maxMemoryBytes = maxMemoryBytes
        self.maxFileBytes = maxFileBytes
    }

    /// "512M", "8G", "1.5G", "300000" (bytes), "none" → bytes (nil for none).
    public static func parse(_ text: String) -> Int?? {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        if t == "NONE" || t == "0" { return .some(nil) }
        let units: [Character: Double] = ["K": 1024, "M": 1024 * 1024, "G": 1024 * 1024 * 1024, "T": 1024 * 1024 * 1024 * 1024]
        var number = t
        var scale = 1.0
        if let last = t.last, let unit = units[last] {
            scale = unit
            number = String(t.dropLast())
        } else if t.hasSuffix("B"), let unit = units[t.dropLast().last ?? " "] {
            scale = unit
            number = String(t.dropLast(2))
        }
        guard let value = Double(number), value > 0, value.isFinite else { return nil }
        return .some(Int(value * scale))
    }

    /// 268435456 → "256 MiB".
    public static func describe(_ bytes: Int) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return value == value.rounded() ? "\(Int(value)) \(units[unit])" : String(format: "%.1f %@", value, units[unit])
    }
}

/// The builder's own watch over a running program's cells: it sees a cell start when its
/// capture file appears, and calls it overdue once it has run past its limit plus a grace
/// period — then leaves the `timeout` note the program's watchdog would have written.
final class CellWatch: @unchecked Sendable {
    private let program: Program
    private let out: String
    private var position = 0
    private var started: Date?

    init(program: Program, out: String) {
        self.program = program
        self.out = out
    }

    func overdue() -> Bool {
        let fm = FileManager.default
        let cells = program.cells
        // Advance to the last cell whose capture file exists.
        var next = position + (started == nil ? 0 : 1)
        while next < cells.count, fm.fileExists(atPath: out + "/" + NotebookFiles.stdout(cell: cells[next].index)) {
            position = next
            started = Date()
            next += 1
        }
        guard let started, position < cells.count else { return false }
        let cell = cells[position]
        guard cell.timeout.isFinite, Date().timeIntervalSince(started) > cell.timeout + ChapterRunner.graceSeconds else { return false }
        if !fm.fileExists(atPath: out + "/" + NotebookFiles.timeout) {
            fm.createFile(atPath: out + "/" + NotebookFiles.timeout, contents: Data("\(cell.index)".utf8))
        }
        return true
    }
}
