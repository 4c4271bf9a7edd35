import Testing
@testable import TeXMath

/// Exact MathML for representative formulas: what the page will contain, character for character.
/// `body` is the formula's element inside `<semantics>`; the wrapper has its own tests.
struct Golden: CustomTestStringConvertible, Sendable {
    var tex: String
    var display: Bool
    var mathML: String
    var testDescription: String { (display ? "$$" : "$") + tex }

    static func inline(_ tex: String, _ mathML: String) -> Golden { Golden(tex: tex, display: false, mathML: mathML) }
    static func display(_ tex: String, _ mathML: String) -> Golden { Golden(tex: tex, display: true, mathML: mathML) }
}

let goldens: [Golden] = [
    .inline("x", "<mi>x</mi>"),
    .inline("x_i^2", "<msubsup><mi>x</mi><mi>i</mi><mn>2</mn></msubsup>"),
    .inline(#"\theta_{t+1}"#, "<msub><mi>θ</mi><mrow><mi>t</mi><mo>+</mo><mn>1</mn></mrow></msub>"),
    // Unary minus after a relation is marked prefix, so it hugs H; inside ^{-1} it is first and inferred.
    .inline(#"\Delta w = -H^{-1} g"#,
            #"<mrow><mi mathvariant="normal">Δ</mi><mi>w</mi><mo>=</mo><mo form="prefix">−</mo><msup><mi>H</mi><mrow><mo>−</mo><mn>1</mn></mrow></msup><mi>g</mi></mrow>"#),
    .inline(#"\frac{a}{b}"#, "<mfrac><mi>a</mi><mi>b</mi></mfrac>"),
    .display(#"\tfrac12"#, #"<mstyle displaystyle="false"><mfrac><mn>1</mn><mn>2</mn></mfrac></mstyle>"#),
    .inline(#"\dfrac12"#, #"<mstyle displaystyle="true" scriptlevel="0"><mfrac><mn>1</mn><mn>2</mn></mfrac></mstyle>"#),
    .inline(#"\sqrt[3]{x}"#, "<mroot><mi>x</mi><mn>3</mn></mroot>"),
    .inline(#"\sqrt{x+1}"#, "<msqrt><mi>x</mi><mo>+</mo><mn>1</mn></msqrt>"),
    // Parentheses typed bare keep their size, as in TeX.
    .inline(#"\lambda_i(H)"#,
            #"<mrow><msub><mi>λ</mi><mi>i</mi></msub><mo stretchy="false">(</mo><mi>H</mi><mo stretchy="false">)</mo></mrow>"#),
    .inline(#"\mathrm{tr}(H) = \sum_i \lambda_i"#,
            #"<mrow><mi>tr</mi><mo stretchy="false">(</mo><mi>H</mi><mo stretchy="false">)</mo><mo>=</mo><msub><mo>∑</mo><mi>i</mi></msub><msub><mi>λ</mi><mi>i</mi></msub></mrow>"#),
    .display(#"\mathrm{tr}(H) = \sum_i \lambda_i"#,
             #"<mrow><mi>tr</mi><mo stretchy="false">(</mo><mi>H</mi><mo stretchy="false">)</mo><mo>=</mo><munder><mo>∑</mo><mi>i</mi></munder><msub><mi>λ</mi><mi>i</mi></msub></mrow>"#),
    .display(#"\sum_{i=1}^{n}"#, "<munderover><mo>∑</mo><mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi></munderover>"),
    .inline(#"\sum_{i=1}^{n}"#, "<msubsup><mo>∑</mo><mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi></msubsup>"),
    .inline(#"\sum\limits_i x_i"#,
            #"<mrow><munder><mo movablelimits="false">∑</mo><mi>i</mi></munder><msub><mi>x</mi><mi>i</mi></msub></mrow>"#),
    .display(#"\operatorname*{arg\,min}_w"#, "<munder><mi>arg&#x2009;min</mi><mi>w</mi></munder>"),
    // ‖ is an ordinary symbol in TeX: no space on either side.
    .inline(#"\|x\|_2"#,
            #"<mrow><mo lspace="0" rspace="0" stretchy="false">‖</mo><mi>x</mi><msub><mo lspace="0" rspace="0" stretchy="false">‖</mo><mn>2</mn></msub></mrow>"#),
    .inline(#"\left( \frac{a}{b} \right)"#,
            #"<mrow><mo form="prefix" stretchy="true">(</mo><mfrac><mi>a</mi><mi>b</mi></mfrac><mo form="postfix" stretchy="true">)</mo></mrow>"#),
    .inline(#"\hat\varepsilon"#, #"<mover accent="true"><mi>ε</mi><mo stretchy="false">^</mo></mover>"#),
    .inline(#"\mathbf{x}^\top \in \mathbb{R}^d"#,
            "<mrow><msup><mi>𝐱</mi><mi>⊤</mi></msup><mo>∈</mo><msup><mi>ℝ</mi><mi>d</mi></msup></mrow>"),
    .inline(#"\eta < 2/\lambda_{\max}"#,
            #"<mrow><mi>η</mi><mo>&lt;</mo><mn>2</mn><mo lspace="0" rspace="0" stretchy="false">/</mo><msub><mi>λ</mi><mi>max</mi></msub></mrow>"#),
    .inline(#"F \approx A \otimes G"#, "<mrow><mi>F</mi><mo>≈</mo><mi>A</mi><mo>⊗</mo><mi>G</mi></mrow>"),
    .inline(#"\nabla^2 L(w^\ast) \succeq 0"#,
            #"<mrow><msup><mi mathvariant="normal">∇</mi><mn>2</mn></msup><mi>L</mi><mo stretchy="false">(</mo><msup><mi>w</mi><mo>∗</mo></msup><mo stretchy="false">)</mo><mo>⪰</mo><mn>0</mn></mrow>"#),
    .inline("f'(x)", #"<mrow><msup><mi>f</mi><mo>′</mo></msup><mo stretchy="false">(</mo><mi>x</mi><mo stretchy="false">)</mo></mrow>"#),
    .inline(#"\text{if } x > 0"#, "<mrow><mtext>if&#xA0;</mtext><mi>x</mi><mo>&gt;</mo><mn>0</mn></mrow>"),
    .inline(#"\begin{pmatrix} a & b \\ c & d \end{pmatrix}"#,
            #"<mrow><mo form="prefix" stretchy="true">(</mo><mtable><mtr><mtd><mi>a</mi></mtd><mtd><mi>b</mi></mtd></mtr><mtr><mtd><mi>c</mi></mtd><mtd><mi>d</mi></mtd></mtr></mtable><mo form="postfix" stretchy="true">)</mo></mrow>"#),
    .display(#"|x| = \begin{cases} x & x \ge 0 \\ -x & \text{otherwise} \end{cases}"#,
             #"<mrow><mo lspace="0" rspace="0" stretchy="false">|</mo><mi>x</mi><mo lspace="0" rspace="0" stretchy="false">|</mo><mo>=</mo><mrow><mo form="prefix" stretchy="true">{</mo><mtable><mtr><mtd style="text-align:left"><mi>x</mi></mtd><mtd style="text-align:left;padding-left:1em"><mi>x</mi><mo>≥</mo><mn>0</mn></mtd></mtr><mtr><mtd style="text-align:left"><mo>−</mo><mi>x</mi></mtd><mtd style="text-align:left;padding-left:1em"><mtext>otherwise</mtext></mtd></mtr></mtable></mrow></mrow>"#),
    .display(#"\begin{aligned} f(x) &= (x-1)^2 \\ &\ge 0 \end{aligned}"#,
             #"<mtable displaystyle="true"><mtr><mtd style="text-align:right;padding-right:0"><mi>f</mi><mo stretchy="false">(</mo><mi>x</mi><mo stretchy="false">)</mo></mtd><mtd style="text-align:left;padding-left:0"><mo>=</mo><mo stretchy="false">(</mo><mi>x</mi><mo>−</mo><mn>1</mn><msup><mo stretchy="false">)</mo><mn>2</mn></msup></mtd></mtr><mtr><mtd style="text-align:right;padding-right:0"></mtd><mtd style="text-align:left;padding-left:0"><mo>≥</mo><mn>0</mn></mtd></mtr></mtable>"#),
    // Named operators get TeX's thin space before an ordinary atom, none before a parenthesis.
    .inline(#"\log x"#, #"<mrow><mi>log</mi><mspace width="0.1667em"/><mi>x</mi></mrow>"#),
    .inline(#"\log(x)"#, #"<mrow><mi>log</mi><mo stretchy="false">(</mo><mi>x</mi><mo stretchy="false">)</mo></mrow>"#),
    .inline(#"\bigl( x \bigr)"#,
            #"<mrow><mo form="prefix" stretchy="true" minsize="1.2em" maxsize="1.2em">(</mo><mi>x</mi><mo form="postfix" stretchy="true" minsize="1.2em" maxsize="1.2em">)</mo></mrow>"#),
    .inline(#"a \not\in B, a \ne b"#, "<mrow><mi>a</mi><mo>∉</mo><mi>B</mi><mo>,</mo><mi>a</mi><mo>≠</mo><mi>b</mi></mrow>"),
    .inline(#"\binom{n}{k}"#,
            #"<mrow><mo form="prefix" stretchy="true">(</mo><mfrac linethickness="0"><mi>n</mi><mi>k</mi></mfrac><mo form="postfix" stretchy="true">)</mo></mrow>"#),
    .display(#"\overbrace{a+b}^{n}"#,
             #"<mover><mover accent="true"><mrow><mi>a</mi><mo>+</mo><mi>b</mi></mrow><mo stretchy="true">⏞</mo></mover><mi>n</mi></mover>"#),
    .inline(#"\underset{x}{\operatorname{argmin}} f(x)"#,
            #"<mrow><munder><mi>argmin</mi><mi>x</mi></munder><mspace width="0.1667em"/><mi>f</mi><mo stretchy="false">(</mo><mi>x</mi><mo stretchy="false">)</mo></mrow>"#),
    .display(#"\lim_{n\to\infty} a_n"#,
             #"<mrow><munder><mi>lim</mi><mrow><mi>n</mi><mo>→</mo><mi>∞</mi></mrow></munder><mspace width="0.1667em"/><msub><mi>a</mi><mi>n</mi></msub></mrow>"#),
    .inline(#"\text{for all $x \in X$ we have}"#,
            "<mrow><mtext>for all&#xA0;</mtext><mrow><mi>x</mi><mo>∈</mo><mi>X</mi></mrow><mtext>&#xA0;we have</mtext></mrow>"),
    .inline(#"3.14 x^{10}"#, "<mrow><mn>3.14</mn><msup><mi>x</mi><mn>10</mn></msup></mrow>"),
    .inline(#"\{ x \mid x > 0 \}"#,
            #"<mrow><mo stretchy="false">{</mo><mi>x</mi><mo>∣</mo><mi>x</mi><mo>&gt;</mo><mn>0</mn><mo stretchy="false">}</mo></mrow>"#),
    .inline(#"a \quad b \qquad c \; d \: e \! f \ g ~ h"#,
            #"<mrow><mi>a</mi><mspace width="1em"/><mi>b</mi><mspace width="2em"/><mi>c</mi><mspace width="0.2778em"/><mi>d</mi><mspace width="0.2222em"/><mi>e</mi><mspace width="-0.1667em"/><mi>f</mi><mtext>&#xA0;</mtext><mi>g</mi><mtext>&#xA0;</mtext><mi>h</mi></mrow>"#),
    .inline(##"\%\#\_\&"##,
            #"<mrow><mi mathvariant="normal">%</mi><mi mathvariant="normal">#</mi><mi mathvariant="normal">_</mi><mi mathvariant="normal">&amp;</mi></mrow>"#),
    .inline(#"{a \over b}"#, "<mfrac><mi>a</mi><mi>b</mi></mfrac>"),
    .inline(#"\boxed{x}"#, #"<mstyle style="border:1px solid currentColor;padding:0.2em 0.3em"><mi>x</mi></mstyle>"#),
    .display(#"\xrightarrow{t}"#,
             #"<mover><mo stretchy="true">→</mo><mrow><mspace width="0.3em"/><mi>t</mi><mspace width="0.3em"/></mrow></mover>"#),
    .inline(#"\big| x \big|"#,
            #"<mrow><mo lspace="0" rspace="0" stretchy="true" minsize="1.2em" maxsize="1.2em">|</mo><mi>x</mi><mo lspace="0" rspace="0" stretchy="true" minsize="1.2em" maxsize="1.2em">|</mo></mrow>"#),
    // The optimizers' update rules and the landscape tools' formulas, as the course writes them.
    .inline(#"\theta_{t+1} = \theta_t - \eta\, \operatorname{sign}(c_t)"#,
            #"<mrow><msub><mi>θ</mi><mrow><mi>t</mi><mo>+</mo><mn>1</mn></mrow></msub><mo>=</mo><msub><mi>θ</mi><mi>t</mi></msub><mo>−</mo><mi>η</mi><mspace width="0.1667em"/><mi>sign</mi><mo stretchy="false">(</mo><msub><mi>c</mi><mi>t</mi></msub><mo stretchy="false">)</mo></mrow>"#),
    .inline(#"m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t"#,
            #"<mrow><msub><mi>m</mi><mi>t</mi></msub><mo>=</mo><msub><mi>β</mi><mn>1</mn></msub><msub><mi>m</mi><mrow><mi>t</mi><mo>−</mo><mn>1</mn></mrow></msub><mo>+</mo><mo stretchy="false">(</mo><mn>1</mn><mo>−</mo><msub><mi>β</mi><mn>1</mn></msub><mo stretchy="false">)</mo><msub><mi>g</mi><mi>t</mi></msub></mrow>"#),
    .inline(#"\hat v_t = \frac{v_t}{1-\beta_2^t}"#,
            #"<mrow><msub><mover accent="true"><mi>v</mi><mo stretchy="false">^</mo></mover><mi>t</mi></msub><mo>=</mo><mfrac><msub><mi>v</mi><mi>t</mi></msub><mrow><mn>1</mn><mo>−</mo><msubsup><mi>β</mi><mn>2</mn><mi>t</mi></msubsup></mrow></mfrac></mrow>"#),
    .inline(#"\operatorname{clip}(x, -1, 1)"#,
            #"<mrow><mi>clip</mi><mo stretchy="false">(</mo><mi>x</mi><mo>,</mo><mo form="prefix">−</mo><mn>1</mn><mo>,</mo><mn>1</mn><mo stretchy="false">)</mo></mrow>"#),
    .inline(#"H \succeq 0"#,
            #"<mrow><mi>H</mi><mo>⪰</mo><mn>0</mn></mrow>"#),
    .inline(#"A \preceq B"#,
            #"<mrow><mi>A</mi><mo>⪯</mo><mi>B</mi></mrow>"#),
    .inline(#"g \odot g"#,
            #"<mrow><mi>g</mi><mo>⊙</mo><mi>g</mi></mrow>"#),
    .inline(#"A \otimes G"#,
            #"<mrow><mi>A</mi><mo>⊗</mo><mi>G</mi></mrow>"#),
    .inline(#"\mathbb{E}[\|g\|^2]"#,
            #"<mrow><mi>𝔼</mi><mo stretchy="false">[</mo><mo lspace="0" rspace="0" stretchy="false">‖</mo><mi>g</mi><msup><mo lspace="0" rspace="0" stretchy="false">‖</mo><mn>2</mn></msup><mo stretchy="false">]</mo></mrow>"#),
    .inline(#"\mathcal{B}"#,
            #"<mi>ℬ</mi>"#),
    .inline(#"\mathbf{w}"#,
            #"<mi>𝐰</mi>"#),
    .inline(#"\nabla^2 L(w)"#,
            #"<mrow><msup><mi mathvariant="normal">∇</mi><mn>2</mn></msup><mi>L</mi><mo stretchy="false">(</mo><mi>w</mi><mo stretchy="false">)</mo></mrow>"#),
    .inline(#"\frac{\partial L}{\partial w_i}"#,
            #"<mfrac><mrow><mi>∂</mi><mi>L</mi></mrow><mrow><mi>∂</mi><msub><mi>w</mi><mi>i</mi></msub></mrow></mfrac>"#),
    .display(#"\sum_{i=1}^{n} \ell_i(w)"#,
            #"<mrow><munderover><mo>∑</mo><mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi></munderover><msub><mi>ℓ</mi><mi>i</mi></msub><mo stretchy="false">(</mo><mi>w</mi><mo stretchy="false">)</mo></mrow>"#),
    .display(#"\prod_{k} \lambda_k"#,
            #"<mrow><munder><mo>∏</mo><mi>k</mi></munder><msub><mi>λ</mi><mi>k</mi></msub></mrow>"#),
    .display(#"\int_0^1 L(\gamma(t))\,dt"#,
            #"<mrow><msubsup><mo>∫</mo><mn>0</mn><mn>1</mn></msubsup><mi>L</mi><mo stretchy="false">(</mo><mi>γ</mi><mo stretchy="false">(</mo><mi>t</mi><mo stretchy="false">)</mo><mo stretchy="false">)</mo><mspace width="0.1667em"/><mi>d</mi><mi>t</mi></mrow>"#),
    .inline(#"\eta < \frac{2}{\lambda_{\max}}"#,
            #"<mrow><mi>η</mi><mo>&lt;</mo><mfrac><mn>2</mn><msub><mi>λ</mi><mi>max</mi></msub></mfrac></mrow>"#),
    .display(#"\begin{pmatrix} a & b \\ c & d \end{pmatrix}"#,
            #"<mrow><mo form="prefix" stretchy="true">(</mo><mtable><mtr><mtd><mi>a</mi></mtd><mtd><mi>b</mi></mtd></mtr><mtr><mtd><mi>c</mi></mtd><mtd><mi>d</mi></mtd></mtr></mtable><mo form="postfix" stretchy="true">)</mo></mrow>"#),
    .display(#"f(x) = \begin{cases} x^2 & x \ge 0 \\ -x & x < 0 \end{cases}"#,
            #"<mrow><mi>f</mi><mo stretchy="false">(</mo><mi>x</mi><mo stretchy="false">)</mo><mo>=</mo><mrow><mo form="prefix" stretchy="true">{</mo><mtable><mtr><mtd style="text-align:left"><msup><mi>x</mi><mn>2</mn></msup></mtd><mtd style="text-align:left;padding-left:1em"><mi>x</mi><mo>≥</mo><mn>0</mn></mtd></mtr><mtr><mtd style="text-align:left"><mo>−</mo><mi>x</mi></mtd><mtd style="text-align:left;padding-left:1em"><mi>x</mi><mo>&lt;</mo><mn>0</mn></mtd></mtr></mtable></mrow></mrow>"#),
    .inline(#"\bar{w} = \tfrac{1}{K} \sum_k w_k"#,
            #"<mrow><mover accent="true"><mi>w</mi><mo stretchy="false">¯</mo></mover><mo>=</mo><mfrac><mn>1</mn><mi>K</mi></mfrac><msub><mo>∑</mo><mi>k</mi></msub><msub><mi>w</mi><mi>k</mi></msub></mrow>"#),
    .inline(#"\tilde{L}"#,
            #"<mover accent="true"><mi>L</mi><mo stretchy="false">~</mo></mover>"#),
    .inline(#"L^{-1/4}"#,
            #"<msup><mi>L</mi><mrow><mo>−</mo><mn>1</mn><mo lspace="0" rspace="0" stretchy="false">/</mo><mn>4</mn></mrow></msup>"#),
    .display(#"\operatorname*{arg\,max}_{\|\epsilon\| \le \rho} L(w+\epsilon)"#,
            #"<mrow><munder><mi>arg&#x2009;max</mi><mrow><mo lspace="0" rspace="0" stretchy="false">‖</mo><mi>ϵ</mi><mo lspace="0" rspace="0" stretchy="false">‖</mo><mo>≤</mo><mi>ρ</mi></mrow></munder><mspace width="0.1667em"/><mi>L</mi><mo stretchy="false">(</mo><mi>w</mi><mo>+</mo><mi>ϵ</mi><mo stretchy="false">)</mo></mrow>"#),
    .inline(#"\left\| \frac{a}{b} \right\|"#,
            #"<mrow><mo form="prefix" stretchy="true">‖</mo><mfrac><mi>a</mi><mi>b</mi></mfrac><mo form="postfix" stretchy="true">‖</mo></mrow>"#),
]

@Suite("Golden MathML")
struct GoldenMathMLTests {
    @Test(arguments: goldens)
    func formulaConvertsExactly(_ golden: Golden) throws {
        let rendered = try MathRenderer().render(golden.tex, display: golden.display)
        #expect(rendered.body == golden.mathML)
    }

    @Test func inlineMathIsWrappedInSemanticsWithTheSourceAsAnnotation() throws {
        let rendered = try MathRenderer().render("a<b", display: false)
        #expect(rendered.mathML == #"<math><semantics><mrow><mi>a</mi><mo>&lt;</mo><mi>b</mi></mrow><annotation encoding="application/x-tex">a&lt;b</annotation></semantics></math>"#)
    }

    @Test func displayMathIsABlock() throws {
        let rendered = try MathRenderer().render(#" x \ge 0 "#, display: true)
        #expect(rendered.mathML == #"<math display="block"><semantics><mrow><mi>x</mi><mo>≥</mo><mn>0</mn></mrow><annotation encoding="application/x-tex">x \ge 0</annotation></semantics></math>"#)
    }

    @Test func ampersandsInTheAnnotationAreEscaped() throws {
        let rendered = try MathRenderer().render(#"\begin{matrix} a & b \end{matrix}"#, display: true)
        #expect(rendered.mathML.contains(#"<annotation encoding="application/x-tex">\begin{matrix} a &amp; b \end{matrix}</annotation>"#))
    }
}
