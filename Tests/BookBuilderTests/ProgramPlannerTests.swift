import Foundation
import Crypto
import Testing
@testable import BookBuilder

@Suite struct ProgramPlannerTests {
    func cell(_ source: String, index: Int = 0, line: Int = 10, options: CellOptions = CellOptions()) -> Cell {
        Cell(index: index, source: source, options: options, fenceLine: line)
    }

    @Test func eachCellIsAnnouncedAndLocatedInTheMarkdown() throws {
        let program = try ProgramPlanner.plan([cell("let a = 1", line: 4), cell("print(a)", index: 1, line: 9)],
                                              file: "Chapters/01-x.md")
        #expect(program.source.contains(", scope: \"" + Self.scope(["let a = 1"]) + "\")\n#sourceLocation(file: \"Chapters/01-x.md\", line: 5)\nlet a = 1\n#sourceLocation()"))
        #expect(program.source.contains("Session.shared.begin(cell: 0, timeout: 300.0, scope: "))
        #expect(program.source.contains("Session.shared.begin(cell: 1, timeout: 300.0, scope: \"" + Self.scope(["let a = 1", "print(a)"]) + "\")"),
                "a cell's memo scope covers its source and every source above it")
        #expect(program.source.contains("#sourceLocation(file: \"Chapters/01-x.md\", line: 10)\nprint(a)\n"))
        #expect(program.source.hasSuffix("Session.shared.finish()\n"))
        #expect(program.cells.map(\.index) == [0, 1])
    }

    /// SHA-256 over the length-prefixed sources, as the planner computes a memo scope.
    static func scope(_ sources: [String]) -> String {
        var hasher = SHA256()
        for source in sources { hasher.update(data: Data("\(source.utf8.count):\(source)".utf8)) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    @Test func aProseEditThatMovesCellsKeepsTheirScope() throws {
        let before = try ProgramPlanner.plan([cell("let a = 1", line: 4)], file: "f.md").source
        let after = try ProgramPlanner.plan([cell("let a = 1", line: 40)], file: "f.md").source
        #expect(before != after)
        let scope = { (s: String) in s.components(separatedBy: "scope: ")[1].prefix(66) }
        #expect(scope(before) == scope(after))
    }

    @Test func aTrailingExpressionIsDisplayedButStatementsAreNot() throws {
        #expect(try ProgramPlanner.plan([cell("let x = 2\nx * 3")], file: "f.md").source.contains("x * 3\n  |~> cellValue\n"))
        #expect(try !ProgramPlanner.plan([cell("let x = 2")], file: "f.md").source.contains("|~>"))
        #expect(try !ProgramPlanner.plan([cell("if true { print(1) }")], file: "f.md").source.contains("|~>"))
        #expect(try !ProgramPlanner.plan([cell("for i in 0..<2 { print(i) }")], file: "f.md").source.contains("|~>"))
    }

    @Test func anUnbalancedBraceIsReportedInsideItsCell() throws {
        #expect {
            try ProgramPlanner.plan([cell("let ok = 1"), cell("for i in 0..<3 {\n  print(i)\n", index: 1, line: 20)],
                                    file: "Chapters/01-x.md")
        } throws: { error in
            guard let d = (error as? BuildFailure)?.diagnostics.first else { return false }
            return d.file == "Chapters/01-x.md" && (21...23).contains(d.line) && d.message.contains("}")
        }
    }

    @Test func cellsWithEvalFalseAreLeftOut() throws {
        var off = CellOptions()
        off.eval = false
        let program = try ProgramPlanner.plan([cell("print(1)"), cell("fatalError()", index: 1, options: off)], file: "f.md")
        #expect(program.cells.map(\.index) == [0])
        #expect(!program.source.contains("fatalError"))
    }
}

@Suite struct SwiftHighlighterTests {
    @Test func keywordsLiteralsCommentsAndStringsAreClassified() {
        let html = SwiftHighlighter.nodes("let n: Int = 42 // the answer\nprint(\"a<b\", 1.5)").html
        #expect(html.contains("<span class=\"kw\">let</span>"))
        #expect(html.contains("<span class=\"ty\">Int</span>"))
        #expect(html.contains("<span class=\"num\">42</span>"))
        #expect(html.contains("<span class=\"com\">// the answer</span>"))
        #expect(html.contains("<span class=\"str\">&quot;a&lt;b&quot;</span>"))
        #expect(html.contains("<span class=\"num\">1.5</span>"))
    }

    @Test func highlightingKeepsEveryCharacter() {
        let source = "func f(_ x: Double) -> Double {\n    /* ✓ */ x * x + 1e-3\n}\n"
        let html = SwiftHighlighter.nodes(source).html
        let text = html.replacingOccurrences(of: #"<[^>]+>"#, with: "", options: .regularExpression)
            .replacingOccurrences(of: "&gt;", with: ">")
        #expect(text == source)
    }
}
