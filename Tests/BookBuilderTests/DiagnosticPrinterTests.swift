import Foundation
import Testing
@testable import BookBuilder

/// The one printer every diagnostic goes through: its exact text, plain and colored, and when
/// it colors at all.
@Suite struct DiagnosticPrinterTests {
    static let unknown = Diagnostic(file: "Chapters/01-a.md", line: 7, column: 5, message: "reference to unknown label 'fig-x'",
                                    sourceLine: "See\t@fig-x.", details: ["  labels here: fig-y"])

    @Test func plainTextIsTheCompilersLayout() {
        let printer = DiagnosticPrinter(color: false)
        #expect(printer.text(Self.unknown) == """
            Chapters/01-a.md:7:5: error: reference to unknown label 'fig-x'
            See\t@fig-x.
               \t^
              labels here: fig-y

            """)
        #expect(Self.unknown.description == printer.text(Self.unknown).dropLast().description)
        // A whole-file problem has no line or column, and no caret without a column.
        let whole = Diagnostic(file: "book.yml", severity: .warning, message: "entry 'x' is cited nowhere", sourceLine: "@book{x,")
        #expect(printer.text(whole) == "book.yml: warning: entry 'x' is cited nowhere\n@book{x,\n")
        #expect(printer.text([whole, whole]) == String(repeating: printer.text(whole), count: 2))
        #expect(printer.text(message: "sbatch: not found") == "error: sbatch: not found\n")
        #expect(printer.text(severity: .note, message: "n") == "note: n\n")
    }

    @Test func colorTintsTheSeverityAndTheCaretOnly() {
        let printer = DiagnosticPrinter(color: true)
        #expect(printer.text(Self.unknown) == "\u{1B}[1mChapters/01-a.md:7:5: \u{1B}[0m\u{1B}[1;31merror:\u{1B}[0m "
            + "\u{1B}[1mreference to unknown label 'fig-x'\u{1B}[0m\nSee\t@fig-x.\n   \t\u{1B}[1;32m^\u{1B}[0m\n  labels here: fig-y\n")
        let warning = Diagnostic(file: "b.yml", line: 2, severity: .warning, message: "w")
        #expect(printer.text(warning) == "\u{1B}[1mb.yml:2: \u{1B}[0m\u{1B}[1;35mwarning:\u{1B}[0m \u{1B}[1mw\u{1B}[0m\n")
        // Stripped of its escapes, the colored text is the plain one.
        let stripped = printer.text(Self.unknown).replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
        #expect(stripped == DiagnosticPrinter(color: false).text(Self.unknown))
    }

    @Test(arguments: [
        ([String: String](), true, true),
        (["TERM": "xterm-256color"], true, true),
        (["TERM": "xterm-256color"], false, false),
        (["NO_COLOR": "1"], true, false),
        (["NO_COLOR": ""], true, true),
        (["TERM": "dumb"], true, false),
    ])
    func colorOnlyOnATerminalThatWantsIt(_ environment: [String: String], _ terminal: Bool, _ expected: Bool) {
        #expect(DiagnosticPrinter.standardError(environment: environment, isTerminal: terminal).color == expected)
    }

    @Test func diagnosticsRoundTripThroughJSON() throws {
        let data = try JSONEncoder().encode([Self.unknown])
        #expect(try JSONDecoder().decode([Diagnostic].self, from: data) == [Self.unknown])
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]]).first
        #expect(object?["severity"] as? String == "error")
        #expect(object?["line"] as? Int == 7 && object?["column"] as? Int == 5)
    }
}
