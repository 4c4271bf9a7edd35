import Testing
@testable import TeXMath

/// Properties every output has, checked over every formula in the other suites.
@Suite("Output invariants")
struct OutputInvariantTests {
    static let formulas: [(tex: String, display: Bool)] =
        goldens.map { ($0.tex, $0.display) } + coverage.map { ($0.tex, $0.display) }

    @Test func thereAreAtLeastSixtyFormulasUnderTest() {
        #expect(Self.formulas.count >= 60)
    }

    @Test func everyOutputIsWellFormedMathMLCoreWithTheSourceAnnotated() throws {
        for (tex, display) in Self.formulas {
            let rendered = try MathRenderer().render(tex, display: display)
            let root = try #require(MathMLTree.parse(rendered.mathML), "not well-formed: \(rendered.mathML)")
            #expect(root.name == "math")
            #expect(root.attributes["display"] == (display ? "block" : nil))
            #expect(root.children.map(\.name) == ["semantics"])
            let semantics = root.children[0]
            #expect(semantics.children.count == 2)
            #expect(semantics.children.last?.attributes["encoding"] == "application/x-tex")
            #expect(semantics.children.last?.text == tex.trimmingWhitespace())
            for element in root.all {
                #expect(mathMLCoreElements.contains(element.name), "<\(element.name)> in \(tex)")
                if let variant = element.attributes["mathvariant"] {
                    #expect(element.name == "mi" && variant == "normal", "mathvariant on <\(element.name)> in \(tex)")
                }
                if element.name == "mo" { #expect(!element.text.isEmpty, "empty <mo> in \(tex)") }
            }
        }
    }

    @Test func everyNumberedOutputIsWellFormedToo() throws {
        for (tex, _) in Self.formulas {
            let rendered = try MathRenderer().render(tex, display: true, number: "1.1")
            #expect(MathMLTree.parse(rendered.mathML) != nil)
            #expect(rendered.tag == "(1.1)")
        }
    }

    @Test func markupCharactersInTheSourceAreEscapedEverywhere() throws {
        let rendered = try MathRenderer().render(#"a<b>c \text{x & y <z>}"#.replacingOccurrences(of: "&", with: #"\&"#), display: false)
        #expect(MathMLTree.parse(rendered.mathML) != nil)
        #expect(rendered.mathML.contains("<mo>&lt;</mo>"))
        #expect(rendered.mathML.contains("<mtext>x &amp; y &lt;z&gt;</mtext>"))
    }

    @Test func renderingIsDeterministic() throws {
        for (tex, display) in Self.formulas.prefix(20) {
            #expect(try MathRenderer().render(tex, display: display) == MathRenderer().render(tex, display: display))
        }
    }
}

/// The search index reads formulas as text.
@Suite("Plain text")
struct PlainTextTests {
    @Test(arguments: [
        (#"L(w) = \frac1n \sum_{i=1}^n \ell_i(w)"#, "L(w) = 1/n ∑_(i = 1)^n ℓ_i(w)"),
        (#"\hat\varepsilon = \rho \frac{\nabla L(w)}{\|\nabla L(w)\|_2}"#, "ε̂ = ρ(∇L(w))/(‖∇L(w)‖_2)"),
        (#"\theta_{t+1} = \theta_t - \eta\, \operatorname{sign}(c_t)"#, "θ_(t + 1) = θ_t − η sign(c_t)"),
        (#"\Delta w = -H^{-1} g"#, "Δw = −H^(−1) g"),
        (#"\mathbf{x} \in \mathbb{R}^d"#, "x ∈ R^d"),
        (#"\eta < 2/\lambda_{\max}"#, "η < 2/λ_max"),
        (#"\text{if } x > 0"#, "if x > 0"),
        (#"\sqrt{x+1}"#, "√(x + 1)"),
    ])
    func formulaReadsAsText(_ tex: String, _ text: String) throws {
        #expect(try MathRenderer().render(tex, display: false).plainText == text)
    }
}

/// `\mathbf`, `\mathbb`, … map letters into Unicode's Mathematical Alphanumeric Symbols.
@Suite("Math alphabets")
struct MathAlphabetTests {
    static let fonts: [MathFont] = [.italic, .bold, .boldItalic, .doubleStruck, .script, .fraktur, .sansSerif, .monospace]

    @Test(arguments: fonts)
    func everyLatinLetterMapsAndFoldsBack(_ font: MathFont) throws {
        for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".unicodeScalars {
            let styled = try #require(MathAlphabet.styled(letter, font))
            #expect(styled != letter)
            #expect(MathAlphabet.plain(styled) == letter)
        }
    }

    @Test func lettersUnicodeEncodedEarlierAreTakenFromLetterlikeSymbols() {
        #expect(MathAlphabet.styled("R", .doubleStruck) == "ℝ")
        #expect(MathAlphabet.styled("E", .doubleStruck) == "𝔼")
        #expect(MathAlphabet.styled("L", .script) == "ℒ")
        #expect(MathAlphabet.styled("D", .script) == "𝒟")
        #expect(MathAlphabet.styled("h", .italic) == "ℎ")
        #expect(MathAlphabet.styled("H", .fraktur) == "ℌ")
    }

    @Test func greekFollowsTeXsBoldConvention() {
        #expect(MathAlphabet.styled("θ", .boldItalic) == "𝜽")
        #expect(MathAlphabet.styled("Σ", .boldItalic) == "𝚺", "capitals stay upright under \\boldsymbol")
        #expect(MathAlphabet.styled("∇", .bold) == "𝛁")
        #expect(MathAlphabet.styled("ϵ", .bold) == "𝛜")
        #expect(MathAlphabet.plain("𝝎") == "ω")
    }

    @Test func digitsHaveBoldAndDoubleStruckForms() {
        #expect(MathAlphabet.styled("0", .bold) == "𝟎")
        #expect(MathAlphabet.styled("1", .doubleStruck) == "𝟙")
        #expect(MathAlphabet.styled("1", .script) == nil)
    }
}
