import Crypto
import Foundation

/// Stage 3: a chapter's cells as one Swift program, ready to compile.
///
/// Cells run in order in one process and share top-level state. Before each cell the
/// program tells the notebook `Session` which cell is running (so its output is captured
/// separately), and a `#sourceLocation` directive makes compiler diagnostics and crash
/// backtraces name the Markdown file and line.
public struct Program: Sendable, Equatable {
    public struct PlannedCell: Sendable, Equatable {
        public var index: Int
        public var fenceLine: Int
        public var timeout: Double
        public var allowsError: Bool
    }

    /// The chapter file as diagnostics name it.
    public var file: String
    /// The generated `main.swift`.
    public var source: String
    /// The cells that run, in order (cells with `eval=false` are left out).
    public var cells: [PlannedCell]

    /// Wall-clock budget for the whole program: every cell's timeout plus start-up slack.
    public var timeout: Double { cells.map(\.timeout).reduce(10, +) }
}

public enum ProgramPlanner {
    /// Builds the program, or reports every cell whose syntax is broken.
    public static func plan(_ cells: [Cell], file: String, skipping skipped: Set<Int> = []) throws(BuildFailure) -> Program {
        var source = "import LitOpt\n\n"
        var planned: [Program.PlannedCell] = []
        var problems: [Diagnostic] = []
        let sourceFile = swiftStringLiteral(file)
        // The memo scope of a cell: a digest of its source and of every running cell's above it,
        // so a memoized value is recomputed when any code it can depend on changes (not prose).
        var scope = SHA256()
        for cell in cells where cell.options.eval && !skipped.contains(cell.index) {
            let syntax = CellSyntax(cell.source)
            if let error = syntax.error {
                let lines = cell.source.split(separator: "\n", omittingEmptySubsequences: false)
                let text = error.line - 1 < lines.count ? String(lines[error.line - 1]) : nil
                problems.append(Diagnostic(file: file, line: cell.firstLine + error.line - 1, column: error.column + cell.indent,
                                           message: error.message, sourceLine: text.map { String(repeating: " ", count: cell.indent) + $0 }))
                continue
            }
            planned.append(.init(index: cell.index, fenceLine: cell.fenceLine, timeout: cell.options.timeout,
                                 allowsError: cell.options.error))
            scope.update(data: Data("\(cell.source.utf8.count):\(cell.source)".utf8))
            let digest = scope.finalize().map { String(format: "%02x", $0) }.joined()
            source += "Session.shared.begin(cell: \(cell.index), timeout: \(cell.options.timeout), scope: \"\(digest)\""
                + (cell.options.measured ? ", measured: true" : "") + ")\n"
            let body = cell.source
            if cell.options.error {
                // A cell allowed to fail: thrown errors are shown instead of stopping the book.
                source += "do {\n#sourceLocation(file: \(sourceFile), line: \(cell.firstLine))\n\(body)\n#sourceLocation()\n"
                source += "} catch { print(\"error: \\(error)\") }\n"
            } else {
                source += "#sourceLocation(file: \(sourceFile), line: \(cell.firstLine))\n\(body)\n"
                if syntax.endsInDisplayableExpression {
                    // Continues the last expression: `expr\n  |~> cellValue` shows its value.
                    source += "  |~> cellValue\n"
                }
                source += "#sourceLocation()\n"
            }
        }
        source += "Session.shared.finish()\n"
        guard problems.isEmpty else { throw BuildFailure(problems) }
        return Program(file: file, source: source, cells: planned)
    }

    /// `"…"` with backslashes and quotes escaped.
    static func swiftStringLiteral(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
