import Testing
@testable import TeXMath

@Test func smoke() throws {
    let r = MathRenderer()
    for (tex, display) in [
        (#"\hat\varepsilon = \rho \frac{\nabla L(w)}{\|\nabla L(w)\|_2}"#, false),
        (#"\min_w \max_{\|\varepsilon\|_2 \le \rho} L(w+\varepsilon)"#, true),
        (#"\theta_{t+1} = \theta_t - \eta\, \operatorname{sign}(c_t)"#, false),
        (#"\Delta w = -H^{-1} g"#, false),
        (#"\mathbb{E}_{x\sim\mathcal D}[\ell(x; w)]"#, false),
        (#"\begin{aligned} a &= b \\ &= c \end{aligned}"#, true),
        (#"x = 1 \label{eq-x}"#, true),
    ] {
        let m = try r.render(tex, display: display, number: "1.2")
        print(m.mathML); print(m.plainText, m.label ?? "-", m.tag ?? "-")
    }
}
