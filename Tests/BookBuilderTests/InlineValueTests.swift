import Foundation
import Testing
@testable import BookBuilder

/// Prose that cannot go stale: `` `{swift} expr` `` inline values, computed captions and alt
/// text, claims, and the lint for numbers typed where a cell printed them.
@Suite(.serialized) struct InlineValueTests {
    typealias Project = ReliabilityTests.Project

    func page(_ project: Project, _ name: String = "01-a.html") throws -> String {
        try String(contentsOfFile: project.site + "/" + name, encoding: .utf8)
    }

    /// The inline values of a page, in order.
    func values(_ html: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: #"<span class="inline-value">(.*?)</span>"#)
        let ns = html as NSString
        return regex.matches(in: html, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range(at: 1)) }
    }

    @Test func inlineValuesRunWhereTheyStandInEveryKindOfBlock() throws {
        let project = try Project(["01-a.md": """
            # A

            Before any cell: `{swift} 6 * 7`.

            ```swift
            var x = 1.5
            ```

            Now x is `{swift} x`; in a list:

            - item `{swift} x + 1`

            | a | b |
            |---|---|
            | `{swift} fmt(x * 1000)` | `{swift} percent(0.1234)` |

            > [!NOTE] A callout
            > x is still `{swift} x`, escaped: `{swift} "<b>&\\"x\\""`.

            ```swift
            x = 2
            ```

            After the second cell, `{swift} x`; helpers: `{swift} fmt(0.000012345, digits: 2)`, `{swift} signed(-0.25)`, `{swift} signed(0.5, digits: 2)`, `{swift} tally(3, of: 5)`, `{swift} interval(0.1, 0.25, digits: 2)`, `{swift} fmt(9.9996, digits: 3)`, `{swift} fmt(12345)`, `{swift} list(["a", "b", "c"])`, `{swift} list(["a"])`, `{swift} list([])`, `{swift} fmt(954_691.0, digits: 2)`, `{swift} fmt(4882.4)`.
            """])
        defer { project.remove() }
        let summary = try BookBuild.run(project.options(useCache: true))
        #expect(summary.inlineValueCount == 20)
        let html = try page(project)
        #expect(values(html) == ["42", "1.5", "2.5", "1500", "12.3%", "1.5", "&lt;b&gt;&amp;&quot;x&quot;", "2",
                                 "1.2 × 10⁻⁵", "−0.250", "+0.50", "3 of 5", "[0.10, 0.25]", "10.0", "12\u{2009}345",
                                 "a, b and c", "a", "none", "950\u{2009}000", "4880"])
        #expect(!html.contains("<b>&"), "escaped")
    }

    @Test func aCompileErrorInAnInlineValueIsReportedAtItsLineAndColumn() throws {
        let project = try Project(["01-a.md": "# A\n\n```swift\nlet n = 3\n```\n\nThe count is `{swift} n + \"s\"` here.\n"])
        defer { project.remove() }
        let before = Project.snapshot(project.site)
        let d = try #require(project.failures().first)
        #expect(d.file.hasSuffix("01-a.md") && d.line == 7 && d.column >= 23 && d.column <= 27, "\(d.description)")
        #expect(Project.snapshot(project.site) == before)
        // A syntax error is found before compiling, and `check` finds it too.
        let syntax = try Project(["01-a.md": "# A\n\nBroken: `{swift} (1 +`.\n"])
        defer { syntax.remove() }
        #expect(syntax.failures().first.map { $0.line == 3 && $0.message.contains("inline value") } == true)
        #expect(throws: BuildFailure.self) { try BookCheck.run(chapters: syntax.chapters) }
    }

    /// main.swift's globals are visible above their declaration: reading one there compiled
    /// and read uninitialized memory (0 for an Int, a crash for a String).
    @Test func aNameFromALaterCellIsAnErrorWhereItIsUsed() throws {
        let project = try Project(["01-a.md": """
            # A

            ```swift
            let a = [1, 2]
            let total = a.reduce(0) { sum, b in sum + b }
            func later() -> String { words.joined() }
            ```

            The value is `{swift} words.count + a.count`.

            ```swift
            let words = ["x", "y"]
            print(later(), words.first!, total)
            ```

            ```swift
            print(a.count, { (c: Int) in c }(words.count), zed)
            ```

            ```swift
            let zed = 1
            ```
            """])
        defer { project.remove() }
        let problems = project.failures()
        #expect(problems.map { "\($0.line):\($0.column)" } == ["9:23", "17:48"], "\(problems.map(\.description))")
        #expect(problems.first?.message == "`words` is used above the cell that defines it (line 11): "
            + "cells and inline values see only what the cells above them define")
        #expect(problems.last?.message.hasPrefix("`zed` is used above the cell that defines it (line 20)") == true)
        // `check` finds them without compiling.
        #expect(throws: BuildFailure.self) { try BookCheck.run(chapters: project.chapters) }
    }

    @Test func checkWithTypecheckFindsATypeErrorInAnInlineValueWithoutRunning() throws {
        let project = try Project(["01-a.md": "# A\n\n```swift\nlet n = 3\nwhile true {}\n```\n\nThe count is `{swift} n + \"s\"` here.\n"])
        defer { project.remove() }
        let plain = try? BookCheck.run(chapters: project.chapters)
        #expect(plain != nil, "without --typecheck only syntax is checked, and it is fine")
        var found: [Diagnostic] = []
        do throws(BuildFailure) {
            _ = try BookCheck.run(chapters: project.chapters, typecheck: true, cache: project.cache)
        } catch {
            found = error.diagnostics
        }
        let d = try #require(found.first, "--typecheck should have found the error")
        #expect(d.file.hasSuffix("01-a.md") && d.line == 8 && d.column == 25, "\(d.description)")
    }

    @Test func anEvalFalseChapterShowsItsInlineValuesAsCode() throws {
        let project = try Project(["01-a.md": "---\nexecute: {eval: false}\n---\n# A\n\n```swift\nlet x = 1\n```\n\nValue `{swift} x`.\n"])
        defer { project.remove() }
        #expect(project.failures().isEmpty)
        #expect(try page(project).contains("<code>{swift} x</code>"))
    }

    @Test func editingProseNextToAnInlineValueRerunsNothingAndEditingItRerunsTheChapter() throws {
        let project = try Project(["01-a.md": "# A\n\n```swift\nlet x = 2\n```\n\nTwice x is `{swift} 2 * x`.\n"])
        defer { project.remove() }
        let options = project.options(useCache: true)
        #expect(try BookBuild.run(options).executed == 1)
        let path = project.chapters + "/01-a.md"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "Twice x is", with: "Two times x is")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try BookBuild.run(options).fromCache == 1, "prose edit: cached")
        #expect(values(try page(project)) == ["4"])
        text = text.replacingOccurrences(of: "`{swift} 2 * x`", with: "`{swift} 3 * x`")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try BookBuild.run(options).executed == 1, "inline edit: re-run")
        #expect(values(try page(project)) == ["6"])
    }

    @Test func computedCaptionsAndAltTextLandInThePage() throws {
        let project = try Project(["01-a.md": """
            # A

            ```swift {label=fig-x, caption="Loss falls to \\(fmt(loss)) in \\(steps) steps (\\"quoted\\")", alt="A line whose end is \\(fmt(loss, digits: 2))"}
            let loss = 0.012345
            let steps = 40
            show(Figure.lines(title: "t", x: "x", y: "y").line([0, 1], [1, loss], label: "l"))
            ```

            See @fig-x.
            """])
        defer { project.remove() }
        #expect(project.failures().isEmpty)
        let html = try page(project)
        #expect(html.contains("Loss falls to 0.0123 in 40 steps (&quot;quoted&quot;)</figcaption>"))
        #expect(html.contains("alt=\"A line whose end is 0.012\""))
    }

    @Test func aFailedClaimFailsTheBuildAtItsLineAndAWarningClaimIsFlaggedInThePage() throws {
        let failing = try Project(["01-a.md": "# A\n\n```swift\nlet a = 2.0, b = 3.0\nclaim(\"a exceeds b\", a > b, \"a = \\(a), b = \\(b)\")\n```\n"])
        defer { failing.remove() }
        let before = Project.snapshot(failing.site)
        let d = try #require(failing.failures().first)
        #expect(d.line == 5 && d.message == "claim failed: a exceeds b (a = 2.0, b = 3.0)", "\(d.description)")
        #expect(Project.snapshot(failing.site) == before, "the previous site is intact")

        let warning = try Project(["01-a.md": "# A\n\n```swift\nlet a = 2.0\nclaim(\"a is small\", a < 10)\nprint(\"between\")\nclaim(\"a is huge\", a > 10, \"a = \\(a)\", severity: .warning)\n```\n"])
        defer { warning.remove() }
        let summary = try BookBuild.run(warning.options())
        #expect(summary.claims.count == 2 && summary.claims.filter(\.holds).count == 1)
        #expect(summary.warnings.contains { $0.description.contains("01-a.md:7:") && $0.description.contains("claim does not hold: a is huge (a = 2.0)") })
        let html = try page(warning)
        #expect(html.contains("<div class=\"claim-failed\" role=\"note\"><strong>This claim does not hold in this build:</strong> a is huge"))
        #expect(html.components(separatedBy: "class=\"claim-failed\"").count == 2, "a claim that holds leaves no trace in the page")
        #expect(html.range(of: "between")!.lowerBound < html.range(of: "claim-failed")!.lowerBound, "the notice stands where the claim was made")
    }

    @Test func theLintFlagsANumberTypedFromACellsOutputButNotItsLiterals() throws {
        let project = try Project(["01-a.md": """
            # A

            ```swift
            let steps = 3000
            let loss = 0.5 * 0.024690
            print("final loss \\(loss) after \\(steps) steps")
            ```

            The loss ends at 0.012345 after 3000 steps; 0.024690 was the start and 2.5 is short.
            """])
        defer { project.remove() }
        let summary = try BookBuild.run(project.options())
        let typed = summary.warnings.map(\.description).filter { $0.contains("typed result") }
        #expect(typed.count == 1, "\(typed)")
        #expect(typed.first?.contains("01-a.md:9:18:") == true && typed.first?.contains("0.012345") == true)
        // The same number typed before the cell (a parameter mentioned in the introduction) is not
        // the typed result: the warning points at the prose after the cell that printed it.
        let repeated = try Project(["01-a.md": "# A\n\nWe expect about 0.012345.\n\n```swift\nprint(0.5 * 0.02469)\n```\n\nIt printed 0.012345.\n"])
        defer { repeated.remove() }
        let warnings = try BookBuild.run(repeated.options()).warnings.map(\.description).filter { $0.contains("typed result") }
        #expect(warnings.count == 1 && warnings.first?.contains("01-a.md:9:12:") == true, "\(warnings)")
    }

    @Test func anExplorableFigureWritesEveryFrameDeterministicallyAndWarnsPastItsLimit() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/explorable/Chapters")
        let source = try String(contentsOf: fixtures.appendingPathComponent("01-knob.md"), encoding: .utf8)
        let project = try Project(["01-a.md": source], config: "title: Knobs\nexplorable-limit: 20K\n")
        defer { project.remove() }
        let first = try BookBuild.run(project.options())
        let frames = try FileManager.default.contentsOfDirectory(atPath: project.site + "/figures/01-a").sorted()
        // Every frame in the desktop and the stacked layout, light and dark.
        #expect(frames.filter { $0.hasPrefix("cell0-") }.count == 20, "5 frames, 2 layouts, light and dark: \(frames)")
        #expect(frames.filter { $0.hasPrefix("cell0-") && $0.hasSuffix("-narrow.png") }.count == 5)
        #expect(frames.filter { $0.hasPrefix("cell1-") }.count == 24)
        let html = try page(project)
        #expect(html.contains("<input type=\"range\" min=\"0\" max=\"4\" step=\"1\" value=\"2\" aria-label=\"a\" aria-valuetext=\"a = 1\">"))
        #expect(html.contains("data-readouts=\"[&quot;at x = 1 the curve is at 0.250&quot;"))
        #expect(first.warnings.contains { $0.description.contains("explorable figure over a: 5 frames") && $0.description.contains("more than the 20 KiB limit") })
        // Two knobs: 3 × 2 frames in 2 layouts, light and dark, one slider per knob, starting at (1, 0) = frame 2.
        #expect(frames.filter { $0.hasPrefix("cell2-") }.count == 24)
        #expect(html.contains("data-narrow-frames=\"[&quot;figures/01-a/cell0-1-f0-narrow.png&quot;"))
        #expect(html.contains("<div class=\"explorable explorable-grid\" data-columns=\"2\""))
        #expect(html.contains("src=\"figures/01-a/cell2-3-f2.png\""), "the initial pair's frame")
        #expect(html.contains("<input type=\"range\" min=\"0\" max=\"2\" step=\"1\" value=\"1\" aria-label=\"a\" aria-valuetext=\"a = 1\">"))
        #expect(html.contains("<input type=\"range\" min=\"0\" max=\"1\" step=\"1\" value=\"0\" aria-label=\"c\" aria-valuetext=\"c = 0\">"))
        let bytes = Project.snapshot(project.site + "/figures")
        _ = try BookBuild.run(project.options())
        #expect(Project.snapshot(project.site + "/figures") == bytes, "the frames are byte-identical across builds")
    }
}
