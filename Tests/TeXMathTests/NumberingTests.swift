import Testing
@testable import TeXMath

/// Labels come out of the formula; numbers go in from the caller, who numbers the book.
@Suite("Labels and numbers")
struct NumberingTests {
    let renderer = MathRenderer()

    @Test func labelIsReportedAndLeavesNoTraceInTheMath() throws {
        let rendered = try renderer.render(#"L^{\text{SAM}}(w) = \max_{\|\varepsilon\|\le\rho} L(w+\varepsilon) \label{eq-sam}"#, display: true)
        #expect(rendered.label == "eq-sam")
        #expect(rendered.tag == nil)
        #expect(!rendered.body.contains("eq-sam"))
        #expect(rendered.mathML.contains(#"\label{eq-sam}"#), "the annotation keeps the whole source")
    }

    @Test func aNumberedEquationIsAFullWidthRowWithTheNumberFlushRight() throws {
        let rendered = try renderer.render(#"x = 1 \label{eq-one}"#, display: true).numbered("3.2")
        #expect(rendered.tag == "(3.2)")
        #expect(rendered.mathML == #"<math display="block"><semantics><mtable displaystyle="true" style="width:100%"><mtr><mtd style="width:50%"></mtd><mtd><mrow><mi>x</mi><mo>=</mo><mn>1</mn></mrow></mtd><mtd style="width:50%;text-align:right"><mtext>(3.2)</mtext></mtd></mtr></mtable><annotation encoding="application/x-tex">x = 1 \label{eq-one}</annotation></semantics></math>"#)
        #expect(MathMLTree.parse(rendered.mathML) != nil)
    }

    @Test func renderWithANumberIsTheSameAsNumberingAfterwards() throws {
        let tex = #"\nabla L(w) = 0 \label{eq-stationary}"#
        #expect(try renderer.render(tex, display: true, number: "1") == renderer.render(tex, display: true).numbered("1"))
    }

    @Test func tagInTheSourceWinsOverTheCallersNumber() throws {
        let rendered = try renderer.render(#"E = mc^2 \tag{SAM}"#, display: true, number: "4")
        #expect(rendered.tag == "(SAM)")
        let starred = try renderer.render(#"a = b \tag*{A}"#, display: true, number: "4")
        #expect(starred.tag == "A")
        #expect(starred.mathML.contains("<mtext>A</mtext>"))
    }

    @Test func notagSuppressesTheNumber() throws {
        let rendered = try renderer.render(#"a = b \notag"#, display: true, number: "2")
        #expect(rendered.tag == nil)
        #expect(!rendered.mathML.contains("mtable"))
    }

    @Test func inlineMathIsNeverNumbered() throws {
        let rendered = try renderer.render(#"a = b"#, display: false, number: "2")
        #expect(rendered.tag == nil)
        #expect(rendered.mathML.hasPrefix("<math><semantics>"))
    }

    @Test func equationEnvironmentIsItsContent() throws {
        let rendered = try renderer.render(#"\begin{equation} a = b \label{eq-ab} \end{equation}"#, display: true)
        #expect(rendered.label == "eq-ab")
        #expect(rendered.body == "<mrow><mi>a</mi><mo>=</mo><mi>b</mi></mrow>")
    }
}
