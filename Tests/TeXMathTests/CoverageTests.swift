import Testing
@testable import TeXMath

/// A formula and what its MathML must contain: elements by name, and token texts (`<mi>`, `<mo>`, …).
struct Coverage: CustomTestStringConvertible, Sendable {
    var tex: String
    var display = false
    var elements: [String] = []
    var tokens: [String] = []
    var testDescription: String { (display ? "$$" : "$") + tex }
}

let coverage: [Coverage] = [
    Coverage(tex: #"\alpha\beta\gamma\delta\epsilon\varepsilon\zeta\eta\theta\vartheta\iota\kappa\lambda\mu\nu\xi\pi\rho\sigma\tau\upsilon\phi\varphi\chi\psi\omega"#,
             tokens: ["α", "β", "γ", "δ", "ϵ", "ε", "ζ", "η", "θ", "ϑ", "ι", "κ", "λ", "μ", "ν", "ξ", "π", "ρ", "σ", "τ", "υ", "ϕ", "φ", "χ", "ψ", "ω"]),
    Coverage(tex: #"\Gamma\Delta\Theta\Lambda\Xi\Pi\Sigma\Upsilon\Phi\Psi\Omega"#,
             tokens: ["Γ", "Δ", "Θ", "Λ", "Ξ", "Π", "Σ", "Υ", "Φ", "Ψ", "Ω"]),
    Coverage(tex: #"a + b - c = d < e > f \le g \ge h \approx i \propto j \in k \subset l \to m \mapsto n \Rightarrow o"#,
             tokens: ["+", "−", "=", "<", ">", "≤", "≥", "≈", "∝", "∈", "⊂", "→", "↦", "⇒"]),
    Coverage(tex: #"a \cdot b \times c \circ d \odot e \otimes f \oplus g \pm h \mp i \div j"#,
             tokens: ["⋅", "×", "∘", "⊙", "⊗", "⊕", "±", "∓", "÷"]),
    Coverage(tex: #"A \succeq B \preceq C \succ D \prec E \sim F \neq G \equiv H \simeq I \ll J \gg K"#,
             tokens: ["⪰", "⪯", "≻", "≺", "∼", "≠", "≡", "≃", "≪", "≫"]),
    Coverage(tex: #"\forall x \exists y: \neg p \land q \lor r"#, tokens: ["∀", "∃", ":", "¬", "∧", "∨"]),
    Coverage(tex: #"\infty, \partial, \nabla, \emptyset, \ell"#, tokens: ["∞", "∂", "∇", "∅", "ℓ"]),
    Coverage(tex: #"\leftarrow \rightarrow \Leftrightarrow \iff \implies"#, tokens: ["←", "→", "⇔", "⟺", "⟹"]),
    Coverage(tex: #"x \notin A \subseteq B \cup C \cap D \setminus E"#, tokens: ["∉", "⊆", "∪", "∩", "∖"]),
    Coverage(tex: #"1, \ldots, n, \cdots, \vdots, \ddots, \dots"#, tokens: ["…", "⋯", "⋮", "⋱"]),
    Coverage(tex: #"x''"#, elements: ["msup"], tokens: ["″"]),
    Coverage(tex: #"x_i'"#, elements: ["msubsup"], tokens: ["′"]),
    Coverage(tex: #"f'^2"#, elements: ["msup"], tokens: ["′", "2"]),
    Coverage(tex: #"\sqrt{x}"#, elements: ["msqrt"]),
    Coverage(tex: #"\sqrt[n]{x}"#, elements: ["mroot"], tokens: ["n"]),
    Coverage(tex: #"\dfrac{1}{2}"#, elements: ["mstyle", "mfrac"]),
    Coverage(tex: #"\frac12"#, elements: ["mfrac"], tokens: ["1", "2"]),
    Coverage(tex: #"\lVert x \rVert + \lvert y \rvert"#, tokens: ["‖", "|"]),
    Coverage(tex: #"\left. \frac{df}{dx} \right|_{x=0}"#, elements: ["msub", "mfrac"], tokens: ["|"]),
    Coverage(tex: #"\left\langle x, y \right\rangle"#, tokens: ["⟨", "⟩"]),
    Coverage(tex: #"\left\{ x \middle| x > 0 \right\}"#, tokens: ["{", "|", "}"]),
    Coverage(tex: #"\big( \Big[ \bigg\{ \Bigg| x \Biggr| \biggr\} \Bigr] \bigr)"#, tokens: ["(", "[", "{", "|"]),
    Coverage(tex: #"\lfloor x \rfloor \lceil y \rceil"#, tokens: ["⌊", "⌋", "⌈", "⌉"]),
    Coverage(tex: #"\widehat{f}(x) + \widetilde{g} + \tilde h + \bar y + \overline{z} + \underline{u}"#,
             elements: ["mover", "munder"], tokens: ["^", "~", "¯", "‾", "_"]),
    Coverage(tex: #"\dot x + \ddot y + \vec v"#, tokens: ["˙", "¨", "→"]),
    Coverage(tex: #"\mathbf{W}\mathbf{x} + \mathbf{b}"#, tokens: ["𝐖", "𝐱", "𝐛"]),
    Coverage(tex: #"\boldsymbol{\theta} + \bm{x} + \boldsymbol\nabla"#, tokens: ["𝜽", "𝒙", "𝛁"]),
    Coverage(tex: #"x \in \mathbb{R}^n, \mathbb{N}, \mathbb{Z}, \mathbb{Q}, \mathbb{C}, \mathbb{1}"#, tokens: ["ℝ", "ℕ", "ℤ", "ℚ", "ℂ", "𝟙"]),
    Coverage(tex: #"\mathcal{L}(\mathcal{D}), \mathcal{N}(0, 1), \mathcal{O}(n)"#, tokens: ["ℒ", "𝒟", "𝒩", "𝒪"]),
    Coverage(tex: #"\mathfrak{g}, \mathsf{KL}, \mathtt{lr}, \mathit{loss}, \mathrm{d}x"#, tokens: ["𝔤", "𝖪𝖫", "𝚕𝚛", "𝑙𝑜𝑠𝑠", "d"]),
    Coverage(tex: #"\int_0^1 f(x)\,dx + \oint_C \omega + \prod_{i=1}^n x_i"#, display: true,
             elements: ["msubsup", "munderover"], tokens: ["∫", "∮", "∏"]),
    Coverage(tex: #"\int\limits_a^b f"#, display: true, elements: ["munderover"]),
    Coverage(tex: #"\sum\nolimits_i x_i"#, display: true, elements: ["msub"]),
    Coverage(tex: #"\max_{x} f, \sup_n a_n, \inf_n a_n, \lim_{t\to 0} g, \argmax_\theta p"#, display: true,
             elements: ["munder"], tokens: ["max", "sup", "inf", "lim", "arg\u{2009}max"]),
    Coverage(tex: #"\log p + \exp(x) + \ln 2 + \det A + \tr A + \operatorname{Tr} B + \operatorname{diag}(v)"#,
             tokens: ["log", "exp", "ln", "det", "tr", "Tr", "diag"]),
    Coverage(tex: #"\underset{x}{\operatorname{argmin}}\, f(x)"#, display: true, elements: ["munder"], tokens: ["argmin"]),
    Coverage(tex: #"\overset{\text{def}}{=}"#, elements: ["mover", "mtext"], tokens: ["="]),
    Coverage(tex: #"a \stackrel{?}{=} b"#, elements: ["mover"], tokens: ["?", "="]),
    Coverage(tex: #"\underbrace{x_1 + \cdots + x_n}_{n\text{ terms}}"#, display: true, elements: ["munder"], tokens: ["⏟"]),
    Coverage(tex: #"\text{loss} = \textbf{big} + \textit{it}"#, elements: ["mtext"]),
    Coverage(tex: #"A^\top, A^\intercal, A^{-1}, A^{-1/2}"#, tokens: ["⊤", "⊺"]),
    Coverage(tex: #"\begin{bmatrix} 1 & 0 \\ 0 & 1 \end{bmatrix} \begin{vmatrix} a & b \\ c & d \end{vmatrix}"#,
             elements: ["mtable"], tokens: ["[", "]", "|"]),
    Coverage(tex: #"\begin{matrix} a & b \end{matrix} \begin{Vmatrix} x \end{Vmatrix} \begin{Bmatrix} y \end{Bmatrix}"#,
             elements: ["mtable"], tokens: ["‖", "{", "}"]),
    Coverage(tex: #"\begin{array}{cc} 1 & 2 \\ 3 & 4 \end{array}"#, elements: ["mtable", "mtr", "mtd"]),
    Coverage(tex: "\\begin{align*} a &= b \\\\ c &= d \\end{align*}", display: true, elements: ["mtable"]),
    Coverage(tex: #"\begin{gathered} a = b \\ c = d \end{gathered}"#, display: true, elements: ["mtable"]),
    Coverage(tex: #"\displaystyle \sum_{i} \frac{1}{i^2}"#, elements: ["mstyle", "munder"]),
    Coverage(tex: #"\color{red} x"#, elements: ["mstyle"]),
    Coverage(tex: #"\{ x \in \mathbb{R} \mid x > 0 \}"#, tokens: ["{", "∣", "}"]),
    Coverage(tex: #"f \colon \mathbb{R}^n \to \mathbb{R}"#, tokens: [":", "→"]),
    Coverage(tex: ##"50\% \text{ of } \#\text{params}, x\_1"##, tokens: ["%", "#", "_"]),
    Coverage(tex: #"\binom{n}{k} = \frac{n!}{k!(n-k)!}"#, elements: ["mfrac"], tokens: ["!"]),
    Coverage(tex: #"a \equiv b \pmod{n}"#, tokens: ["mod"]),
    Coverage(tex: #"\not= \not< \not\subset \not\equiv"#, tokens: ["≠", "≮", "⊄", "≢"]),
    Coverage(tex: #"\phantom{x} + \hphantom{y} + \vphantom{z}"#, elements: ["mphantom", "mpadded"]),
    Coverage(tex: #"x \in [0, 1] \times (0, \infty)"#, tokens: ["[", "]", "(", ")", "×"]),
    Coverage(tex: #"\sum_{\substack{i \in S \\ i \ne j}} a_i"#, display: true, elements: ["munder", "mtable"]),
    Coverage(tex: #"\mathop{\mathbb{E}}_{x} f(x)"#, display: true, elements: ["munder"], tokens: ["𝔼"]),
    Coverage(tex: #"{\rm d}x"#, tokens: ["d"]),
    Coverage(tex: #"\cos^2\theta + \sin^2\theta = 1"#, elements: ["msup"], tokens: ["cos", "sin"]),
    Coverage(tex: "x ≤ α₁", tokens: ["≤", "α"]),
    Coverage(tex: #"g_t^2 \odot m_t"#, elements: ["msubsup"], tokens: ["⊙"]),
    Coverage(tex: #"p(y \mid x) \propto \exp(-E(x))"#, tokens: ["∣", "∝", "exp"]),
    Coverage(tex: #"{n \choose k} + {a \atop b}"#, elements: ["mfrac"], tokens: ["("]),
    Coverage(tex: #"x \xrightarrow[\text{below}]{\text{above}} y"#, elements: ["munderover", "mspace"], tokens: ["→"]),
    Coverage(tex: #"a \lt b \gt c"#, tokens: ["<", ">"]),
    Coverage(tex: #"\pmatrix{a & b \cr c & d} + \matrix{1 \\ 2}"#, elements: ["mtable"], tokens: ["(", ")"]),
    Coverage(tex: #"|x| = \cases{x & x \ge 0 \cr -x & x < 0}"#, elements: ["mtable"], tokens: ["{"]),
    Coverage(tex: #"\begin{smallmatrix} a & b \end{smallmatrix} \begin{rcases} a \\ b \end{rcases}"#, elements: ["mstyle", "mtable"], tokens: ["}"]),
]

@Suite("Coverage")
struct CoverageTests {
    @Test(arguments: coverage)
    func formulaContainsItsElementsAndTokens(_ spec: Coverage) throws {
        let root = try tree(spec.tex, display: spec.display)
        let names = Set(root.all.map(\.name))
        for element in spec.elements {
            #expect(names.contains(element), "missing <\(element)>")
        }
        let tokenTexts = Set(root.all.filter { ["mi", "mo", "mn", "mtext"].contains($0.name) }.map(\.text))
        for token in spec.tokens where !token.isEmpty {
            #expect(tokenTexts.contains(token), "missing token \(token)")
        }
    }
}
