import SwiftDiagnostics
import SwiftParser
import SwiftParserDiagnostics
import SwiftSyntax

/// What swift-syntax tells us about one cell on its own, before the chapter is compiled.
///
/// A cell with an unbalanced `{` would otherwise be reported by the compiler at the end of
/// the generated program; checked alone, its first syntax error points into the cell.
struct CellSyntax: Sendable {
    /// First syntax error: 1-based line within the cell, column, message.
    var error: (line: Int, column: Int, message: String)?
    /// The cell ends in an expression whose value a notebook would display.
    var endsInDisplayableExpression: Bool

    init(_ source: String) {
        let tree = Parser.parse(source: source)
        let converter = SourceLocationConverter(fileName: "cell.swift", tree: tree)
        let diagnostics = ParseDiagnosticsGenerator.diagnostics(for: tree)
        if let first = diagnostics.first {
            let location = first.location(converter: converter)
            error = (location.line, location.column, first.message)
        } else {
            error = nil
        }
        endsInDisplayableExpression = Self.isDisplayable(tree.statements.last?.item)
    }

    /// An expression statement, but not a control-flow construct written as one.
    static func isDisplayable(_ item: CodeBlockItemSyntax.Item?) -> Bool {
        guard let item, case .expr(let expr) = item else { return false }
        if expr.is(IfExprSyntax.self) || expr.is(SwitchExprSyntax.self) || expr.is(ClosureExprSyntax.self)
            || expr.is(MacroExpansionExprSyntax.self) {
            return false
        }
        return true
    }
}
