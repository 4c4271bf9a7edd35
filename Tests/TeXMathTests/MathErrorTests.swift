import Testing
@testable import TeXMath

/// Malformed TeX is a build error that points at the culprit, never silently dropped output.
struct Malformed: CustomTestStringConvertible, Sendable {
    var tex: String
    var message: String
    /// UTF-8 offset of the culprit.
    var offset: Int
    var display = false
    var testDescription: String { tex }
}

let malformedFormulas: [Malformed] = [
    Malformed(tex: #"a + \foo b"#, message: #"unknown command \foo"#, offset: 4),
    Malformed(tex: #"\frac{a}{b"#, message: "unbalanced braces: { is never closed", offset: 8),
    Malformed(tex: #"x^{2}}"#, message: "unbalanced braces: unexpected }", offset: 5),
    Malformed(tex: #"\left( x"#, message: #"\left without matching \right"#, offset: 0),
    Malformed(tex: #"x \right)"#, message: #"\right without matching \left"#, offset: 2),
    Malformed(tex: #"\begin{pmatrix} a \end{bmatrix}"#, message: #"\end{bmatrix} does not match \begin{pmatrix}"#, offset: 18),
    Malformed(tex: #"\begin{cases} a & b"#, message: #"\begin{cases} without matching \end{cases}"#, offset: 0),
    Malformed(tex: #"\frac{a}"#, message: #"missing argument for \frac"#, offset: 8),
    Malformed(tex: #"x^"#, message: "missing argument for ^", offset: 2),
    Malformed(tex: #"x_1_2"#, message: "double subscript", offset: 3),
    Malformed(tex: #"x^1^2"#, message: "double superscript", offset: 3),
    Malformed(tex: #"a & b"#, message: "& is only allowed inside an environment such as aligned, cases or pmatrix", offset: 2),
    Malformed(tex: #"\begin{foo} x \end{foo}"#, message: "unknown environment foo", offset: 7),
    Malformed(tex: #"\text{a \foo}"#, message: #"unknown command \foo in \text"#, offset: 8),
    Malformed(tex: #"\left\foo x \right)"#, message: #"\left must be followed by a delimiter such as ( [ \{ | \| \langle or ."#, offset: 5),
    Malformed(tex: #"\sqrt[3{x}"#, message: "missing ] for [", offset: 5),
    Malformed(tex: #"\not x"#, message: #"\not must be followed by a relation such as = or \in"#, offset: 5),
    Malformed(tex: #"x \label{a} \label{b}"#, message: #"a formula has at most one \label"#, offset: 12),
    Malformed(tex: #"x \tag{1}"#, message: #"\tag is only allowed in display math"#, offset: 2),
    Malformed(tex: #"\color{red!50} x"#, message: #"unsupported color "red!50" (use a CSS color name or #rrggbb)"#, offset: 7),
    Malformed(tex: #"x \limits"#, message: #"\limits and \nolimits must follow an operator such as \sum"#, offset: 2),
    Malformed(tex: "a $ b", message: "unexpected $ inside math", offset: 2),
    // Offsets count UTF-8 bytes: α is two bytes, ≤ three.
    Malformed(tex: #"α ≤ \bar"#, message: #"missing argument for \bar"#, offset: 11),
    Malformed(tex: #"\begin{array}{cx} a \end{array}"#, message: "unsupported column x in array (use l, c, r)", offset: 15),
    Malformed(tex: #"{"#, message: "unbalanced braces: { is never closed", offset: 0),
    Malformed(tex: #"x \\ y"#, message: #"\\ is only allowed inside an environment such as aligned, cases or pmatrix"#, offset: 2),
]

@Suite("Errors")
struct MathErrorTests {
    @Test(arguments: malformedFormulas)
    func malformedInputIsAnErrorAtItsOffset(_ case_: Malformed) {
        #expect(throws: MathError(case_.message, offset: case_.offset)) {
            try MathRenderer().render(case_.tex, display: case_.display)
        }
    }

    @Test func locationGivesLineAndColumnInsideAMultiLineFormula() throws {
        let tex = "\\begin{aligned}\n  a &= b \\\\\n  &= \\foo\n\\end{aligned}"
        do {
            _ = try MathRenderer().render(tex, display: true)
            Issue.record("expected an error")
        } catch {
            #expect(error.message == #"unknown command \foo"#)
            let location = error.location(in: tex)
            #expect(location.line == 3)
            #expect(location.column == 6)
        }
    }

    @Test func deeplyNestedInputIsAnErrorNotACrash() {
        let tex = String(repeating: "{", count: 500) + "x" + String(repeating: "}", count: 500)
        #expect(throws: MathError.self) { try MathRenderer().render(tex, display: false) }
    }
}
