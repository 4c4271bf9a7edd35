import Testing
@testable import TeXMath

/// Whatever an author types, the converter answers with MathML or a ``MathError``: it never
/// crashes, hangs, or writes malformed XML.
@Suite("Robustness")
struct RobustnessTests {
    @Test(arguments: [
        String(repeating: #"\hat"#, count: 2000) + "x",
        String(repeating: #"\frac{"#, count: 300) + "x",
        String(repeating: #"\sqrt{"#, count: 300),
        String(repeating: #"\left("#, count: 300),
        String(repeating: #"x^{"#, count: 300),
        String(repeating: #"\begin{pmatrix}"#, count: 300),
        String(repeating: #"\text{$"#, count: 300),
    ])
    func pathologicalNestingIsAnError(_ tex: String) {
        #expect(throws: MathError.self) { try MathRenderer().render(tex, display: true) }
    }

    @Test func theDeepestAllowedNestingRenders() throws {
        let tex = String(repeating: #"\frac{1}{"#, count: 10) + "x" + String(repeating: "}", count: 10)
        let rendered = try MathRenderer().render(tex, display: true)
        #expect(MathMLTree.parse(rendered.mathML) != nil)
    }

    /// Random strings over TeX's building blocks: every one renders to well-formed XML or throws.
    @Test func randomInputRendersOrThrows() {
        let pieces = ["x", "2", "+", "-", "=", "(", ")", "[", "]", "|", "{", "}", "^", "_", "'", "&", #"\\"#,
                      " ", #"\frac"#, #"\sqrt"#, #"\left("#, #"\right)"#, #"\middle|"#, #"\sum"#, #"\min"#,
                      #"\alpha"#, #"\mathbf"#, #"\text{a $b$}"#, #"\begin{pmatrix}"#, #"\end{pmatrix}"#,
                      #"\begin{aligned}"#, #"\end{aligned}"#, #"\hat"#, #"\limits"#, #"\not"#, #"\label{eq}"#,
                      #"\operatorname*"#, #"\big("#, "[", "$", "%", "\n", #"\,"#, #"\over"#, #"\displaystyle"#,
                      #"\color{red}"#, #"\sqrt["#, #"\tag{1}"#, "α", "≤", "𝐱"]
        var generator = SplitMix64(seed: 0x5EED)
        var rendered = 0
        for _ in 0..<3000 {
            let count = Int(generator.next() % 12) + 1
            let tex = (0..<count).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            do {
                let math = try MathRenderer().render(tex, display: generator.next() % 2 == 0)
                #expect(MathMLTree.parse(math.mathML) != nil, "malformed output for \(tex)")
                rendered += 1
            } catch {
                #expect(error.offset >= 0 && error.offset <= tex.utf8.count, "offset outside the source for \(tex)")
            }
        }
        #expect(rendered > 300, "the generator should produce plenty of valid formulas too")
    }
}

/// A small deterministic generator, so the random test is reproducible.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
