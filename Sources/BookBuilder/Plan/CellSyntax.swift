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

    /// Variables the cell declares at top level (`let a = …`, `var (b, c) = …`): the chapter's
    /// globals, which exist only from this cell on.
    var globals: [String] = []
    /// Names the cell reads that it does not bind itself (1-based line within the cell, column).
    var references: [(name: String, line: Int, column: Int)] = []

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
        let names = NameCollector(viewMode: .sourceAccurate)
        names.walk(tree)
        globals = names.globals
        references = names.references.filter { !names.bound.contains($0.name) }.map { reference in
            let location = converter.location(for: reference.position)
            return (reference.name, location.line, location.column)
        }
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

/// The top-level variables a cell declares, the names it binds anywhere (parameters, loop
/// variables, locals: these shadow a global of the same name), and the plain names it reads.
final class NameCollector: SyntaxVisitor {
    var globals: [String] = []
    var bound: Set<String> = []
    var references: [(name: String, position: AbsolutePosition)] = []

    override func visit(_ node: VariableDeclSyntax) -> SyntaxVisitorContinueKind {
        let topLevel = node.parent?.is(CodeBlockItemSyntax.self) == true
            && node.parent?.parent?.parent?.is(SourceFileSyntax.self) == true
        if topLevel {
            for binding in node.bindings where binding.accessorBlock == nil {
                for identifier in binding.pattern.tokens(viewMode: .sourceAccurate) where identifier.tokenKind.isIdentifier {
                    globals.append(identifier.text)
                }
            }
        }
        return .visitChildren
    }

    // Bodies that run only when called (functions, methods, computed properties) may read
    // globals defined further down: the call comes later.
    override func visit(_ node: FunctionDeclSyntax) -> SyntaxVisitorContinueKind { .skipChildren }
    override func visit(_ node: StructDeclSyntax) -> SyntaxVisitorContinueKind { .skipChildren }
    override func visit(_ node: ClassDeclSyntax) -> SyntaxVisitorContinueKind { .skipChildren }
    override func visit(_ node: EnumDeclSyntax) -> SyntaxVisitorContinueKind { .skipChildren }
    override func visit(_ node: ActorDeclSyntax) -> SyntaxVisitorContinueKind { .skipChildren }
    override func visit(_ node: ExtensionDeclSyntax) -> SyntaxVisitorContinueKind { .skipChildren }
    override func visit(_ node: ProtocolDeclSyntax) -> SyntaxVisitorContinueKind { .skipChildren }
    override func visit(_ node: AccessorBlockSyntax) -> SyntaxVisitorContinueKind { .skipChildren }

    override func visit(_ node: IdentifierPatternSyntax) -> SyntaxVisitorContinueKind {
        bound.insert(node.identifier.text)
        return .visitChildren
    }

    override func visit(_ node: FunctionParameterSyntax) -> SyntaxVisitorContinueKind {
        bound.insert((node.secondName ?? node.firstName).text)
        return .visitChildren
    }

    override func visit(_ node: ClosureShorthandParameterSyntax) -> SyntaxVisitorContinueKind {
        bound.insert(node.name.text)
        return .visitChildren
    }

    override func visit(_ node: ClosureParameterSyntax) -> SyntaxVisitorContinueKind {
        bound.insert((node.secondName ?? node.firstName).text)
        return .visitChildren
    }

    override func visit(_ node: DeclReferenceExprSyntax) -> SyntaxVisitorContinueKind {
        // `x.b` names a member, not the global `b`.
        if let member = node.parent?.as(MemberAccessExprSyntax.self), member.declName.id == node.id { return .visitChildren }
        if node.baseName.tokenKind.isIdentifier { references.append((node.baseName.text, node.positionAfterSkippingLeadingTrivia)) }
        return .visitChildren
    }
}

extension TokenKind {
    var isIdentifier: Bool {
        if case .identifier = self { return true }
        return false
    }
}
