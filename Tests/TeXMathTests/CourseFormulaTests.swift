import Testing
@testable import TeXMath

/// The formulas the course writes, checked for the structure a reader sees.
@Suite("Course formulas")
struct CourseFormulaTests {
    @Test func samPerturbationIsAHattedEpsilonEqualToRhoTimesANormalisedGradient() throws {
        let math = try formula(#"\hat\varepsilon = \rho \frac{\nabla L(w)}{\|\nabla L(w)\|_2}"#)
        let accent = try #require(math.elements(named: "mover").first)
        #expect(accent.attributes["accent"] == "true")
        #expect(accent.children.map(\.content) == ["ε", "^"])
        let fraction = try #require(math.elements(named: "mfrac").first)
        #expect(fraction.children[0].content == "∇L(w)")
        #expect(fraction.children[1].content == "‖∇L(w)‖2")
        #expect(fraction.elements(named: "msub").first?.children.map(\.content) == ["‖", "2"])
    }

    @Test func samObjectivePutsTheLimitsOfMinAndMaxUnderThemInDisplay() throws {
        let tex = #"\min_w \max_{\|\varepsilon\|_2 \le \rho} L(w+\varepsilon)"#
        let display = try formula(tex, display: true)
        let unders = display.elements(named: "munder")
        #expect(unders.map { $0.children[0].content } == ["min", "max"])
        #expect(unders[1].children[1].content == "‖ε‖2≤ρ")
        #expect(display.elements(named: "mspace").count == 2, "thin spaces after min_w and after max_{…}")

        let inline = try formula(tex)
        #expect(inline.elements(named: "munder").isEmpty)
        #expect(inline.elements(named: "msub").map { $0.children[0].content }.prefix(2) == ["min", "max"])
    }

    @Test func quadraticModelHasAHalfInTextStyleAndTransposes() throws {
        let math = try formula(#"L(w+\Delta) \approx L(w) + g^\top \Delta + \tfrac12 \Delta^\top H \Delta"#, display: true)
        let half = try #require(math.elements(named: "mstyle").first)
        #expect(half.attributes["displaystyle"] == "false")
        #expect(half.children[0].name == "mfrac")
        #expect(math.elements(named: "msup").map { $0.children[1].content } == ["⊤", "⊤"])
        #expect(math.children.filter { $0.name == "mo" }.map(\.content) == ["(", "+", ")", "≈", "(", ")", "+", "+"])
    }

    @Test func signSGDUpdateWritesSignUprightAfterAThinSpace() throws {
        let math = try formula(#"\theta_{t+1} = \theta_t - \eta\, \operatorname{sign}(c_t)"#)
        let identifiers = math.elements(named: "mi").map(\.content)
        #expect(identifiers.contains("sign"))
        #expect(math.children.map(\.name).contains("mspace"))
        #expect(math.children.first { $0.name == "mo" && $0.content == "−" }?.attributes["form"] == nil,
                "binary minus between θ_t and η")
    }

    @Test func newtonStepHasAUnaryMinusAndAnInverse() throws {
        let math = try formula(#"\Delta w = -H^{-1} g"#)
        #expect(math.children[3].attributes["form"] == "prefix")
        let inverse = try #require(math.elements(named: "msup").first)
        #expect(inverse.children[1].content == "−1")
    }

    @Test func shampooUpdateHasFractionalExponents() throws {
        let math = try formula(#"W \leftarrow W - \eta\, L^{-1/4} G R^{-1/4}"#)
        #expect(math.children[1].content == "←")
        #expect(math.elements(named: "msup").map { $0.children[1].content } == ["−1/4", "−1/4"])
    }

    @Test func sophiaClipWrapsAGrowingParenthesisAroundAFraction() throws {
        let math = try formula(#"\operatorname{clip}\left(\frac{m_t}{\max(\gamma h_t, \epsilon)}, 1\right)"#)
        #expect(math.children[0].name == "mi" && math.children[0].content == "clip")
        let fenced = math.children[1]
        #expect(fenced.children.first?.attributes["stretchy"] == "true")
        #expect(fenced.children.last?.attributes["form"] == "postfix")
        #expect(fenced.elements(named: "mfrac").first?.children[1].content == "max(γht,ϵ)")
    }

    @Test func kfacApproximation() throws {
        let math = try formula(#"F \approx A \otimes G"#)
        #expect(math.children.map(\.content) == ["F", "≈", "A", "⊗", "G"])
    }

    @Test func secondOrderConditionUsesTheLoewnerOrder() throws {
        let math = try formula(#"\nabla^2 L(w^\ast) \succeq 0"#)
        #expect(math.elements(named: "mo").map(\.content).contains("⪰"))
        #expect(math.elements(named: "mi").first?.attributes["mathvariant"] == "normal", "∇ is upright")
    }

    @Test func stabilityThresholdHasMaxAsASubscriptWord() throws {
        let math = try formula(#"\eta < 2/\lambda_{\max}"#)
        let sub = try #require(math.elements(named: "msub").first)
        #expect(sub.children[1].name == "mi" && sub.children[1].content == "max")
    }

    @Test func expectationOverADataDistribution() throws {
        let math = try formula(#"\mathbb{E}_{x\sim\mathcal D}[\ell(x; w)]"#)
        let expectation = try #require(math.elements(named: "msub").first)
        #expect(expectation.children[0].content == "𝔼")
        #expect(expectation.children[1].content == "x∼𝒟")
        #expect(math.elements(named: "mi").map(\.content).contains("ℓ"))
    }

    @Test func casesDefinitionIsABraceAndALeftAlignedTable() throws {
        let math = try formula(#"\operatorname{sign}(x) = \begin{cases} 1 & x > 0 \\ 0 & x = 0 \\ -1 & x < 0 \end{cases}"#, display: true)
        let table = try #require(math.elements(named: "mtable").first)
        #expect(table.children.count == 3)
        #expect(table.children.allSatisfy { $0.children.count == 2 })
        #expect(table.elements(named: "mtd").allSatisfy { $0.attributes["style"]?.hasPrefix("text-align:left") == true })
        #expect(math.elements(named: "mo").contains { $0.content == "{" && $0.attributes["stretchy"] == "true" })
    }

    @Test func twoByTwoHessianInParentheses() throws {
        let math = try formula(#"H = \begin{pmatrix} 2 & 0 \\ 0 & 10 \end{pmatrix}"#, display: true)
        let table = try #require(math.elements(named: "mtable").first)
        #expect(table.children.map { $0.children.map(\.content) } == [["2", "0"], ["0", "10"]])
    }

    @Test func alignedDerivationAlignsOnTheRelation() throws {
        let math = try formula(#"""
            \begin{aligned}
            L(w + \Delta) &= L(w) + g^\top \Delta + \tfrac12 \Delta^\top H \Delta \\
                          &\ge L(w) - \tfrac{1}{2} g^\top H^{-1} g
            \end{aligned}
            """#, display: true)
        #expect(math.name == "mtable")
        #expect(math.attributes["displaystyle"] == "true")
        #expect(math.children.count == 2)
        let secondColumn = math.children.map { $0.children[1] }
        #expect(secondColumn.map { $0.children.first?.content } == ["=", "≥"])
        #expect(secondColumn.allSatisfy { $0.attributes["style"] == "text-align:left;padding-left:0" })
    }

    @Test func sumFromOneToN() throws {
        let display = try formula(#"\sum_{i=1}^{n}"#, display: true)
        #expect(display.name == "munderover")
        let inline = try formula(#"\sum_{i=1}^{n}"#)
        #expect(inline.name == "msubsup")
    }

    @Test func argminWithAThinSpaceInItsName() throws {
        let math = try formula(#"\operatorname*{arg\,min}_w L(w)"#, display: true)
        let under = try #require(math.elements(named: "munder").first)
        #expect(under.children[0].content == "arg\u{2009}min")
        #expect(try MathRenderer().render(#"\operatorname*{arg\,min}_w L(w)"#, display: true).plainText == "argmin_w L(w)")
    }

    @Test func eigenvalueOfTheHessian() throws {
        let math = try formula(#"\lambda_i(H)"#)
        #expect(math.children.map(\.name) == ["msub", "mo", "mi", "mo"])
    }

    @Test func traceIsTheSumOfEigenvalues() throws {
        let math = try formula(#"\mathrm{tr}(H) = \sum_i \lambda_i"#)
        #expect(math.children[0].content == "tr")
        #expect(math.children[0].attributes["mathvariant"] == nil, "a multi-letter <mi> is upright already")
    }
}
