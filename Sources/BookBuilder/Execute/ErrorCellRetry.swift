import Notebook

/// The build's execute step: run a chapter's program; when every error lies in cells marked
/// `error=true`, plan again without them (a planning step) and run that.
///
/// When every error of a run lies in such cells (a compile error, a trap, a timeout), those
/// cells are set aside with their error as their result, and the program is planned again
/// without them and run, so the cells after them still run. Thrown Swift errors in such
/// cells never get this far: the planner wraps them in `do { … } catch`. The runner only
/// runs; the planner only plans.
extension BookBuild {
    static func execute(_ program: Program, document: Document, runner: ChapterRunner, workDirectory: String,
                        phase: (ChapterRunner.Phase) -> Void = { _ in }) throws(BuildFailure) -> ChapterRun {
        let cells = document.cells
        var failed: [Int: String] = [:]
        var current = program
        while true {
            do throws(BuildFailure) {
                var run = try runner.run(current, cells: cells, workDirectory: workDirectory, phase: phase)
                if !failed.isEmpty {
                    run.cells += failed.map { CellResult(index: $0.key, error: $0.value) }
                    run.cells.sort { $0.index < $1.index }
                }
                return run
            } catch {
                failed.merge(try failedErrorCells(error, cells: cells, file: program.file, alreadyFailed: failed)) { a, _ in a }
                current = try ProgramPlanner.plan(cells, file: program.file, skipping: Set(failed.keys),
                                                  inlineValues: document.inlineValues, order: document.order)
            }
        }
    }

    /// The cells a failed run's errors lie in, with their errors as text, when every error lies
    /// in a cell allowed to fail that has not failed before; else the failure itself.
    static func failedErrorCells(_ failure: BuildFailure, cells: [Cell], file: String,
                                 alreadyFailed: [Int: String]) throws(BuildFailure) -> [Int: String] {
        var culprits: [Int: [Diagnostic]] = [:]
        for diagnostic in failure.diagnostics {
            guard let cell = ChapterRunner.cell(containing: diagnostic, in: cells, file: file),
                  cell.options.error, alreadyFailed[cell.index] == nil else { throw failure }
            culprits[cell.index, default: []].append(diagnostic)
        }
        return culprits.mapValues { $0.map(\.description).joined(separator: "\n") }
    }
}
