import Crypto
import Notebook
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

    /// Where each inline value's expression sits in the generated source and in the chapter.
    public struct InlineSpan: Sendable, Equatable {
        public var index: Int
        public var line: Int
        public var column: Int
        /// Characters before the expression on its generated line.
        public var prefix: Int
    }
    public var inlineSpans: [InlineSpan] = []
    /// `source` without the line numbers of its `#sourceLocation` directives: what the result
    /// cache's key hashes, so a prose edit that moves cells down re-runs nothing.
    public var lineFreeSource: String

    /// The generated source, written with and without its line numbers side by side.
    struct ProgramText {
        var source = ""
        var lineFree = ""

        static func += (text: inout ProgramText, code: String) {
            text.source += code
            text.lineFree += code
        }

        /// `#sourceLocation(file: F, line: N)` in the source, `#sourceLocation(file: F)` in the line-free text.
        mutating func sourceLocation(file: String, line: Int) {
            source += "#sourceLocation(file: \(file), line: \(line))\n"
            lineFree += "#sourceLocation(file: \(file))\n"
        }
    }

    public init(file: String, source: String, cells: [PlannedCell]) {
        self.file = file
        self.source = source
        self.lineFreeSource = source
        self.cells = cells
    }

    /// A compiler diagnostic in an inline value (its file tagged `#inline-N`) moved to the
    /// chapter file, at the expression's column; other diagnostics unchanged.
    public func locate(_ diagnostic: Diagnostic) -> Diagnostic {
        guard let hash = diagnostic.file.range(of: "#inline-", options: .backwards),
              let k = Int(diagnostic.file[hash.upperBound...]),
              let span = inlineSpans.first(where: { $0.index == k }) else { return diagnostic }
        var moved = diagnostic
        moved.file = String(diagnostic.file[..<hash.lowerBound])
        moved.line = span.line
        moved.column = span.column + max(0, diagnostic.column - span.prefix - 1)
        moved.sourceLine = nil
        return moved
    }
}

public enum ProgramPlanner {
    /// The file name a diagnostic in inline value `index` carries: the chapter's, tagged, so
    /// its column can be mapped back (`Program.locate`).
    static func inlineFile(_ file: String, _ index: Int) -> String { "\(file)#inline-\(index)" }

    /// Builds the program, or reports every cell (and inline value) whose syntax is broken.
    ///
    /// `order` interleaves inline values with the cells (document order); without it the
    /// cells run in order and there are no inline values.
    public static func plan(_ cells: [Cell], file: String, skipping skipped: Set<Int> = [],
                            inlineValues: [InlineValue] = [], order: [ProgramItem] = []) throws(BuildFailure) -> Program {
        var source = Program.ProgramText()
        source += CellProgram.importLine + "\n"
        var planned: [Program.PlannedCell] = []
        var problems: [Diagnostic] = []
        let sourceFile = swiftStringLiteral(file)
        // The memo scope of a cell: a digest of its source and of every running cell's above it,
        // so a memoized value is recomputed when any code it can depend on changes (not prose).
        var scope = SHA256()
        let byIndex = Dictionary(uniqueKeysWithValues: cells.map { ($0.index, $0) })
        let steps = order.isEmpty ? cells.map { ProgramItem.cell($0.index) } : order
        var inlineSpans: [Program.InlineSpan] = []
        // Top-level variables and the first running cell that declares each: reading one
        // above that cell compiles (globals of main.swift) but reads uninitialized memory.
        var syntaxOf: [Int: CellSyntax] = [:]
        var declaredAt: [String: Int] = [:]
        for step in steps {
            guard case .cell(let c) = step, let cell = byIndex[c], cell.options.eval, !skipped.contains(cell.index) else { continue }
            let syntax = CellSyntax(cell.source)
            syntaxOf[c] = syntax
            for name in syntax.globals where declaredAt[name] == nil { declaredAt[name] = cell.fenceLine }
        }
        var defined: Set<String> = []
        func forwardReferences(_ syntax: CellSyntax, at place: (Int, Int) -> (line: Int, column: Int)) {
            var seen: Set<String> = []
            for reference in syntax.references where !defined.contains(reference.name) && !seen.contains(reference.name) {
                guard let line = declaredAt[reference.name] else { continue }
                seen.insert(reference.name)
                let at = place(reference.line, reference.column)
                problems.append(Diagnostic(file: file, line: at.line, column: at.column, message:
                    "`\(reference.name)` is used above the cell that defines it (line \(line)): "
                    + "cells and inline values see only what the cells above them define"))
            }
        }
        for step in steps {
            if case .inline(let k) = step {
                guard k < inlineValues.count else { continue }
                let value = inlineValues[k]
                guard value.eval else { continue }
                let syntax = CellSyntax(value.expression)
                if let error = syntax.error {
                    problems.append(Diagnostic(file: file, line: value.line, column: value.column + error.column - 1,
                                               message: "in inline value: \(error.message)"))
                    continue
                }
                if value.expression.contains("\n") || !syntax.endsInDisplayableExpression {
                    problems.append(Diagnostic(file: file, line: value.line, column: value.column,
                                               message: "an inline value must be one expression, e.g. `{swift} fmt(loss, digits: 3)`"))
                    continue
                }
                forwardReferences(syntax) { _, column in (value.line, value.column + column - 1) }
                // Not part of the memo scope: an inline value only reads what the cells made.
                source.sourceLocation(file: swiftStringLiteral(inlineFile(file, k)), line: value.line)
                // Columns of problems in the expression are shifted by what precedes it on its line.
                let prefix = CellProgram.inlineValuePrefix(k)
                source += prefix + value.expression + CellProgram.inlineValueSuffix + "\n#sourceLocation()\n"
                inlineSpans.append(.init(index: k, line: value.line, column: value.column, prefix: prefix.count))
                continue
            }
            guard case .cell(let c) = step, let cell = byIndex[c], cell.options.eval, !skipped.contains(cell.index) else { continue }
            let syntax = syntaxOf[c] ?? CellSyntax(cell.source)
            if let error = syntax.error {
                let lines = cell.source.split(separator: "\n", omittingEmptySubsequences: false)
                let text = error.line - 1 < lines.count ? String(lines[error.line - 1]) : nil
                problems.append(Diagnostic(file: file, line: cell.firstLine + error.line - 1, column: error.column + cell.indent,
                                           message: error.message, sourceLine: text.map { String(repeating: " ", count: cell.indent) + $0 }))
                continue
            }
            forwardReferences(syntax) { line, column in (cell.firstLine + line - 1, column + cell.indent) }
            defined.formUnion(syntax.globals)
            planned.append(.init(index: cell.index, fenceLine: cell.fenceLine, timeout: cell.options.timeout,
                                 allowsError: cell.options.error))
            scope.update(data: Data("\(cell.source.utf8.count):\(cell.source)".utf8))
            let digest = scope.finalize().map { String(format: "%02x", $0) }.joined()
            source += CellProgram.begin(cell: cell.index, timeout: cell.options.timeout, scope: digest,
                                        measured: cell.options.measured) + "\n"
            let body = cell.source
            if cell.options.error {
                // A cell allowed to fail: thrown errors are shown instead of stopping the book.
                source += "do {\n"
                source.sourceLocation(file: sourceFile, line: cell.firstLine)
                source += "\(body)\n#sourceLocation()\n"
                source += "} catch { print(\"error: \\(error)\") }\n"
            } else {
                source.sourceLocation(file: sourceFile, line: cell.firstLine)
                source += "\(body)\n"
                if syntax.endsInDisplayableExpression {
                    // Continues the last expression: `expr\n  |~> cellValue` shows its value.
                    source += CellProgram.displayContinuation + "\n"
                }
                source += "#sourceLocation()\n"
            }
            // A caption or alt text with `\(…)` is Swift: evaluated once the cell has run.
            for (option, text) in [("caption", cell.options.caption), ("alt", cell.options.alt)] {
                guard let text, CellOptions.isComputed(text) else { continue }
                source.sourceLocation(file: sourceFile, line: cell.fenceLine)
                source += CellProgram.computedOption(cell: cell.index, option: option, literal: computedLiteral(text))
                + "\n#sourceLocation()\n"
            }
        }
        source += CellProgram.finish + "\n"
        guard problems.isEmpty else { throw BuildFailure(problems) }
        var program = Program(file: file, source: source.source, cells: planned)
        program.lineFreeSource = source.lineFree
        program.inlineSpans = inlineSpans
        return program
    }

    /// A computed caption as a Swift string literal: its `\(…)` interpolations and other
    /// escapes are Swift's; only its double quotes and line breaks are escaped here.
    static func computedLiteral(_ text: String) -> String {
        var out = "\""
        var previous: Character = " "
        for c in text {
            switch c {
            case "\"" where previous != "\\": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(c)
            }
            previous = c
        }
        return out + "\""
    }

    static func swiftStringLiteral(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
