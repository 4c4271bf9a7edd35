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
    /// Per-cell printed output kept for the page.
    public static let textLimit = 256 << 10

    public init(toolchain: Toolchain, moduleCache: String, memo: MemoStore? = nil) {
        self.toolchain = toolchain
        self.moduleCache = moduleCache
        self.memo = memo
    }

    /// Runs a chapter's cells; cells marked `error=true` may fail without failing the build.
    ///
    /// When every error of a run lies in such cells (a compile error, a trap, a timeout),
    /// those cells are set aside with their error as their result, and the program is built
    /// and run again without them, so the cells after them still run. Thrown Swift errors in
    /// such cells never get this far: the planner wraps them in `do { … } catch`.
    public func execute(_ program: Program, cells: [Cell], workDirectory: String,
                        phase: (Phase) -> Void = { _ in }) throws(BuildFailure) -> ChapterRun {
        var failed: [Int: String] = [:]
        var current = program
        while true {
            do throws(BuildFailure) {
                var run = try run(current, cells: cells, workDirectory: workDirectory, phase: phase)
                if !failed.isEmpty {
                    run.cells += failed.map { CellResult(index: $0.key, error: $0.value) }
                    run.cells.sort { $0.index < $1.index }
                }
                return run
            } catch {
                var culprits: [Int: [Diagnostic]] = [:]
                for diagnostic in error.diagnostics {
                    guard let cell = Self.cell(containing: diagnostic, in: cells, file: program.file),
                          cell.options.error, failed[cell.index] == nil else { throw error }
                    culprits[cell.index, default: []].append(diagnostic)
                }
                for (index, diagnostics) in culprits {
                    failed[index] = diagnostics.map(\.description).joined(separator: "\n")
                }
                current = try ProgramPlanner.plan(cells, file: program.file, skipping: Set(failed.keys))
            }
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
        let compile: ProcessRunner.Result
        do {
            compile = try ProcessRunner.run(
                toolchain.swiftc,
                toolchain.compileArguments(main: workDirectory + "/main.swift", executable: executable,
                                           moduleCache: moduleCache),
                directory: FileManager.default.currentDirectoryPath, timeout: 300)
        } catch {
            throw BuildFailure([Diagnostic(file: program.file, message: "cannot start swiftc: \(error)")])
        }
        guard compile.status == 0, !compile.timedOut else {
            let diagnostics = CompilerOutput.errors(in: compile.output, chapter: program.file)
            throw BuildFailure(diagnostics.isEmpty
                ? [Diagnostic(file: program.file, message: "the chapter's program did not compile", details: [compile.output])]
                : diagnostics)
        }

        // Run.
        phase(.running)
        var environment = ProcessInfo.processInfo.environment
        environment[NotebookFiles.outputDirectoryVariable] = out
        environment["SWIFT_BACKTRACE"] = "enable=yes,interactive=no,color=no,threads=crashed,sanitize=yes"
        if let memo, let directory = memo.directory {
            environment[NotebookFiles.memoDirectoryVariable] = directory
            environment[NotebookFiles.memoSaltVariable] = memo.salt
            environment[NotebookFiles.memoRecomputeVariable] = memo.recomputeAll ? "1" : "0"
        }
        let run: ProcessRunner.Result
        do {
            run = try ProcessRunner.run(executable, [], environment: environment,
                                        directory: FileManager.default.currentDirectoryPath,
                                        timeout: program.timeout)
        } catch {
            throw BuildFailure([Diagnostic(file: program.file, message: "cannot run the chapter's program: \(error)")])
        }

        let results = collect(program, out: out)
        let finished = fm.fileExists(atPath: out + "/" + NotebookFiles.finished)
        if !finished {
            throw BuildFailure([failure(of: program, run: run, results: results, cells: cells, out: out)])
        }
        return ChapterRun(cells: results, outputDirectory: out, compileSeconds: compile.seconds,
                          runSeconds: run.seconds)
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
        return Diagnostic(file: program.file, line: crash.line ?? line, column: crash.column ?? 1,
                          message: "cell \(cellNumber) crashed: \(crash.message ?? (run.signaled ? "killed by signal \(run.status)" : "exited with status \(run.status)"))",
                          details: details)
    }

    func formatSeconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : String(format: "%.1f s", s)
    }
}
