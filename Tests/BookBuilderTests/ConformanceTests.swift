import Foundation
import Testing
@testable import BookBuilder

/// The GitHub Flavored Markdown spec (and cmark-gfm's extension examples) run through
/// litopt's own parse + render path: `MarkdownParser.parse` on a synthetic chapter, then
/// `PageRenderer`, with no cell executed. cmark-gfm parses, but everything after that is
/// ours — math shielding, the owned `Document`, callouts, cells, references, our HTML — so
/// any example that comes out different is a place where our transforms break ordinary
/// Markdown.
///
/// Examples whose Markdown holds a `$` are skipped: there `$…$` is math by design.
///
/// Both sides go through `normalize`, which removes only what litopt adds or spells
/// differently on purpose:
/// - headings: `id="…"`, the `<a class="anchor">` wrapper and `<span class="section-number">`
///   (the synthetic chapter is unnumbered, so its first `#` heading is the page title and
///   renders as a bare `<h1>`, exactly like cmark's);
/// - tables: litopt's `<div class="table-wrap">` scroller, `style="text-align:…"` instead of
///   the obsolete `align="…"`, and the line breaks between table tags;
/// - HTML5 void elements (`<br>`, `<hr>`, `<img …>`, `<input …>`) instead of XHTML's ` />`,
///   and boolean attributes of task-list checkboxes (`disabled` vs `disabled=""`, any order);
/// - `'` written as `&#39;` (litopt escapes it in text, cmark in URLs as `&#x27;`).
/// Highlighting spans, cells, callouts and figure wrappers never arise: no example has a
/// ```` ```swift ```` fence or a `> [!KIND]` quote.
@Suite struct ConformanceTests {
    struct Example: CustomStringConvertible {
        var file: String
        var number: Int
        var line: Int
        var section: String
        var markdown: String
        var html: String
        var description: String { "\(file) example \(number) (line \(line), \(section))" }
    }

    /// Sections whose every example litopt renders differently on purpose, with the reason.
    static let knownDifferent: [String: String] = [
        // litopt attaches table, strikethrough, autolink, tagfilter and tasklist (DESIGN.md);
        // `[^1]` stays text, as it does on a site without footnotes.
        "Footnotes": "the footnotes extension is not enabled",
    ]

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/conformance")

    /// Every example of a spec file: blocks between lines of 32 backticks + ` example`,
    /// Markdown, a `.` line, then HTML; `→` stands for a tab. Numbered as the spec numbers them.
    static func examples(in name: String) throws -> [Example] {
        let text = try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
        let fence = String(repeating: "`", count: 32)
        var result: [Example] = []
        var section = ""
        var state = 0  // 0 outside, 1 Markdown, 2 HTML
        var markdown = "", html = "", start = 0
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            switch state {
            case 0:
                if line.hasPrefix(fence + " example") {
                    state = 1; markdown = ""; html = ""; start = i + 1
                } else if line.hasPrefix("#") {
                    section = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
                }
            case 1:
                if line == "." { state = 2 } else { markdown += line + "\n" }
            default:
                if line == fence {
                    state = 0
                    let tab: (String) -> String = { $0.replacingOccurrences(of: "→", with: "\t") }
                    result.append(Example(file: name, number: result.count + 1, line: start, section: section,
                                          markdown: tab(markdown), html: tab(html)))
                } else {
                    html += line + "\n"
                }
            }
        }
        return result
    }

    static let all: [Example] = {
        (try? examples(in: "cmark-gfm-spec.txt") + examples(in: "cmark-gfm-extensions.txt")) ?? []
    }()

    /// What litopt's page body is for `markdown`, through the same stages as a build.
    static func render(_ markdown: String) throws -> String {
        let chapter = Chapter(displayPath: "Chapters/spec.md", path: "/book/Chapters/spec.md", slug: "spec",
                              number: 1, body: markdown, bodyLineOffset: 0, frontMatter: FrontMatter(), label: "")
        let document = try MarkdownParser.parse(chapter)
        let labels = (try? LabelIndex.build(chapters: [chapter], documents: [document])) ?? LabelIndex()
        var renderer = PageRenderer(chapter: chapter, document: document, run: nil, labels: labels)
        return renderer.render().body
    }

    static func replacing(_ pattern: String, in text: String, with template: String) -> String {
        let regex = try! NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
        return regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
    }

    /// Removes what litopt adds or spells differently on purpose (see the suite's comment).
    static func normalize(_ html: String) -> String {
        var out = html
        // Headings: id, anchor link, section number.
        out = replacing(##"<h([1-6]) id="[^"]*"><a class="anchor" href="#[^"]*">(?:<span class="section-number">[^<]*</span> )?(.*?)</a></h\1>"##,
                        in: out, with: "<h$1>$2</h$1>")
        // Tables: the scrolling wrapper, alignment spelling, line breaks between table tags.
        out = replacing(#"<div class="table-wrap">(<table>.*?</table>)</div>"#, in: out, with: "$1")
        out = replacing(#" style="text-align:(left|center|right)""#, in: out, with: #" align="$1""#)
        out = replacing(#"\n(</?(?:table|thead|tbody|tr|th|td)\b[^>]*>)"#, in: out, with: "$1")
        out = replacing(#"(</?(?:table|thead|tbody|tr|th|td)\b[^>]*>)\n"#, in: out, with: "$1")
        // Task-list checkboxes: one spelling.
        out = replacing(#"<input type="checkbox" checked="" disabled="" />|<input checked="" disabled="" type="checkbox">|<input type="checkbox" disabled checked>"#,
                        in: out, with: "<input type=\"checkbox\" checked disabled>")
        out = replacing(#"<input type="checkbox" disabled="" />|<input disabled="" type="checkbox">|<input type="checkbox" disabled>"#,
                        in: out, with: "<input type=\"checkbox\" disabled>")
        // XHTML void elements → HTML5.
        out = replacing(#"<(br|hr|img)\b([^<>]*?) ?/>"#, in: out, with: "<$1$2>")
        // Apostrophes.
        out = out.replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&#x27;", with: "'")
        return out
    }

    struct Outcome {
        var passed: [Example] = []
        var failed: [(Example, expected: String, actual: String)] = []
        var known: [Example] = []
        var skipped: [Example] = []
    }

    static func run() -> Outcome {
        var outcome = Outcome()
        for example in all {
            if example.markdown.contains("$") { outcome.skipped.append(example); continue }
            if knownDifferent[example.section] != nil { outcome.known.append(example); continue }
            let actual: String
            do {
                actual = try render(example.markdown)
            } catch {
                outcome.failed.append((example, normalize(example.html), "thrown: \(error)"))
                continue
            }
            let expected = normalize(example.html), got = normalize(actual)
            if expected == got { outcome.passed.append(example) } else { outcome.failed.append((example, expected, got)) }
        }
        return outcome
    }

    @Test func specFilesAreThere() {
        // 673 spec examples + 26 extension examples in the versions checked in.
        #expect(Self.all.filter { $0.file == "cmark-gfm-spec.txt" }.count == 673)
        #expect(Self.all.filter { $0.file == "cmark-gfm-extensions.txt" }.count == 26)
    }

    @Test func everyExampleWithoutDollarsRendersLikeCmark() {
        let outcome = Self.run()
        for (example, expected, actual) in outcome.failed {
            Issue.record("""
            \(example)
            --- Markdown
            \(example.markdown)--- expected (normalized)
            \(expected)--- litopt (normalized)
            \(actual)
            """)
        }
        let total = Self.all.count
        print("Conformance: \(outcome.passed.count) passed, \(outcome.failed.count) failed, "
              + "\(outcome.known.count) known different, \(outcome.skipped.count) skipped (with $) of \(total)")
    }

    /// The normalization removes only what it says it removes.
    @Test func normalizationIsNarrow() {
        #expect(Self.normalize(##"<h2 id="foo"><a class="anchor" href="#foo"><span class="section-number">1.2</span> <a href="/u">Foo</a></a></h2>"##)
                == #"<h2><a href="/u">Foo</a></h2>"#)
        #expect(Self.normalize("<p>a<br />\nb</p>\n<hr />\n") == "<p>a<br>\nb</p>\n<hr>\n")
        #expect(Self.normalize("<p>a</p>\n<p>b</p>\n") == "<p>a</p>\n<p>b</p>\n")
        #expect(Self.normalize("<ul>\n<li>\n</li>\n</ul>\n") != Self.normalize("<ul>\n<li></li>\n</ul>\n"))
    }
}
