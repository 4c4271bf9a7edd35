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
/// Examples where litopt's math shield finds a `$…$` span are skipped: there the dollars are
/// math by design. (In the spec versions checked in, five examples hold a `$` and none of
/// them a span, so all run.) An `<IGNORE>` example only has to render without failing.
///
/// Both sides go through `normalize`, which removes only what litopt adds or spells
/// differently on purpose:
/// - headings: `id="…"`, the `<a class="anchor">` self-link and `<span class="section-number">`
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

    /// Examples litopt renders differently on purpose, by file and number, with the reason.
    /// Each must still differ (`knownDifferencesAreStillDifferent`), so the list cannot go stale.
    static let knownDifferent: [(file: String, numbers: [Int], reason: String)] = [
        // The core spec's examples are CommonMark without extensions; litopt always attaches
        // GFM's tagfilter (DESIGN.md), as github.com does, and the extension file's own
        // "HTML tag filter" example passes.
        ("cmark-gfm-spec.txt", [140, 141, 142, 145, 147],
         "GFM tagfilter: raw <script>/<style> is escaped to &lt;script>/&lt;style>"),
        // Likewise the autolink extension (www., http:// and e-mail links in plain text); the
        // extension file's "Autolinks" examples pass.
        ("cmark-gfm-spec.txt", [610, 614, 616, 619, 620],
         "GFM autolink extension: a bare URL or address in the text becomes a link"),
        // Footnotes are on, rendered litopt's way (ScholarlyBookTests has the exact HTML).
        ("cmark-gfm-extensions.txt", [22],
         "footnotes: ids fn-1/fnref-1, labelled back-links, a back-link after a code block in its own <p>"),
    ]

    static func knownReason(_ example: Example) -> String? {
        knownDifferent.first { $0.file == example.file && $0.numbers.contains(example.number) }?.reason
    }

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
        /// Known-different examples that, against the list, came out the same.
        var knownButSame: [Example] = []
        var known: [Example] = []
        var skipped: [Example] = []
    }

    static func run() -> Outcome {
        var outcome = Outcome()
        for example in all {
            if !MathShield(example.markdown).spans.isEmpty { outcome.skipped.append(example); continue }
            let actual: String
            do {
                actual = try render(example.markdown)
            } catch {
                outcome.failed.append((example, normalize(example.html), "thrown: \(error)"))
                continue
            }
            let expected = normalize(example.html), got = normalize(actual)
            let same = expected == got || example.html == "<IGNORE>\n"
            switch (knownReason(example) != nil, same) {
            case (false, true): outcome.passed.append(example)
            case (false, false): outcome.failed.append((example, expected, got))
            case (true, false): outcome.known.append(example)
            case (true, true): outcome.knownButSame.append(example)
            }
        }
        return outcome
    }

    static let outcome = run()

    @Test func openQuestionsAreShownOpenAndDeepDivesFolded() throws {
        let html = try Self.render("> [!QUESTION] Does flatness predict generalization?\n> Nobody knows.\n\n> [!DETAILS] The proof\n> It follows.\n")
        #expect(html.contains("<details class=\"callout callout-question\" open><summary>Does flatness predict generalization?</summary>"), "\(html)")
        #expect(html.contains("<details class=\"callout callout-details\"><summary>The proof</summary>"), "\(html)")
    }

    @Test func specFilesAreThere() {
        // 673 spec examples + 26 extension examples in the versions checked in.
        #expect(Self.all.filter { $0.file == "cmark-gfm-spec.txt" }.count == 673)
        #expect(Self.all.filter { $0.file == "cmark-gfm-extensions.txt" }.count == 26)
    }

    @Test func everyExampleWithoutMathRendersLikeCmark() {
        let outcome = Self.outcome
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
              + "\(outcome.known.count) known different, \(outcome.skipped.count) skipped (with math) of \(total)")
    }

    @Test func knownDifferencesAreStillDifferent() {
        for example in Self.outcome.knownButSame {
            Issue.record("\(example) now renders like cmark: take it off the known-different list")
        }
        #expect(Self.outcome.known.count == Self.knownDifferent.map(\.numbers.count).reduce(0, +))
    }

    /// A heading is a self-link (`<a class="anchor">`); a link inside it would nest anchors,
    /// which HTML forbids and browsers split apart.
    @Test func headingsHoldingLinksDoNotNestAnchors() throws {
        let body = try Self.render("""
        # Title

        ## See [the spec](https://spec.commonmark.org) and <https://github.com>

        ### Plain *words*
        """)
        #expect(body.contains(##"<h2 id="see-the-spec-and-https-github-com">See <a href="https://spec.commonmark.org">the spec</a>"##))
        #expect(body.contains(##"<h3 id="plain-words"><a class="anchor" href="#plain-words">Plain <em>words</em></a></h3>"##))
        #expect(!body.contains(##"<a class="anchor" href="#see"##))
    }

    /// Math where the spec has a word: every `foo` of an example becomes `$a$`. Where cmark
    /// sees text, litopt must render math (written back as `$a$` before comparing); in code,
    /// raw HTML, URLs and titles the dollars must come back verbatim; and since the shield's
    /// token is a word, nothing around it — emphasis, links, blocks — may change. (Examples
    /// where `foo` is a tag name, or where `Foo` elsewhere matches it as a link label, are left
    /// out: there the change would change the Markdown.)
    /// In an image's alt text math reads as its TeX without dollars (`Inline.plainText`).
    @Test func mathInPlaceOfAWordChangesNothingElse() throws {
        var compared = 0
        for example in Self.all where example.markdown.contains("foo") && !example.markdown.contains("$")
            && !example.markdown.contains("<foo") && !example.markdown.contains("</foo")
            && example.markdown.lowercased().components(separatedBy: "foo").count
                == example.markdown.components(separatedBy: "foo").count
            && Self.knownReason(example) == nil && example.html != "<IGNORE>\n" {
            let markdown = example.markdown.replacingOccurrences(of: "foo", with: "$a$")
            var expected = Self.normalize(example.html.replacingOccurrences(of: "foo", with: "$a$"))
            while expected.contains(#"alt=""#), case let next = Self.replacing(#"(alt="[^"]*?)\$a\$"#, in: expected, with: "$1a"),
                  next != expected {
                expected = next
            }
            let rendered = try Self.render(markdown)
            let actual = Self.normalize(Self.replacing("<math[^>]*>.*?</math>", in: rendered, with: "\\$a\\$"))
            compared += 1
            #expect(actual == expected, "\(example)\n--- Markdown\n\(markdown)--- expected\n\(expected)--- litopt\n\(actual)")
        }
        #expect(compared > 150)
        print("Math in place of a word: \(compared) examples compared")
    }

    /// litopt's own syntax next to ordinary Markdown: a reference inside a link's text reads as
    /// its number without a second anchor; a section title in a reference is escaped; only
    /// relative `.md` links are rewritten to pages.
    @Test func referencesAndChapterLinksStayValidHTML() throws {
        let body = try Self.render("""
        # T

        ## Vectors `<T>` & co {#sec-v}

        See @sec-v and [the @sec-v part](#x). Mail <a@b.md> or read [next](02-next.md#top).
        """)
        #expect(body.contains(##"See <a class="xref" href="#sec-v">“Vectors &lt;T&gt; &amp; co”</a> and "##))
        #expect(body.contains(##"<a href="#x">the “Vectors &lt;T&gt; &amp; co” part</a>"##))
        #expect(body.contains(#"<a href="mailto:a@b.md">a@b.md</a>"#))
        #expect(body.contains(##"<a href="02-next.html#top">next</a>"##))
    }

    /// The math shield hides `$…$` from cmark everywhere but fenced code and code spans; what
    /// cmark then takes for code, raw HTML or a URL must get its dollars back verbatim.
    @Test func dollarsOutsideTextComeBackVerbatim() throws {
        let cases: [(String, String)] = [
            ("    let total = $a$ + $b$\n", "<pre><code>let total = $a$ + $b$\n</code></pre>\n"),
            ("> ```\n> echo $HOME$ and $PATH$\n> ```\n",
             "<blockquote>\n<pre><code>echo $HOME$ and $PATH$\n</code></pre>\n</blockquote>\n"),
            ("1. item\n\n       $x$ indented\n",
             "<ol>\n<li>\n<p>item</p>\n<pre><code>$x$ indented\n</code></pre>\n</li>\n</ol>\n"),
            ("[price](https://example.com/?q=$5$x \"costs $1$y\")\n",
             "<p><a href=\"https://example.com/?q=$5$x\" title=\"costs $1$y\">price</a></p>\n"),
            ("<span title=\"$x$\">$y$</span>\n", "<p><span title=\"$x$\">"),
            ("<div data-tex=\"$$x$$\">\n\n", "<div data-tex=\"$$x$$\">\n"),
        ]
        for (markdown, expected) in cases {
            let body = try Self.render(markdown)
            #expect(body.hasPrefix(expected), "\(markdown)")
            #expect(!body.contains(MathShield.tokenPrefix), "\(markdown)")
        }
    }

    /// The same formula twice is one token to cmark (so a link label holding math matches its
    /// definition) but keeps each occurrence's line.
    @Test func aRepeatedFormulaMatchesItsLabelAndKeepsItsLines() throws {
        let document = try MarkdownParser.parse("""
        See [$L$-smooth].

        Again $L$ here,
        and $L$ there.

        [$L$-smooth]: https://example.com/smooth
        """, file: "x.md", lineOffset: 10)
        #expect(document.blocks == [
            .paragraph([.text("See ", at: SourcePosition(line: 11, column: 1)),
                        .link(destination: "https://example.com/smooth", title: "",
                              [.math(tex: "L", display: false, at: SourcePosition(line: 11, column: 6)), .text("-smooth", at: SourcePosition(line: 11, column: 9))], at: SourcePosition(line: 11, column: 5)),
                        .text(".", at: SourcePosition(line: 11, column: 17))]),
            .paragraph([.text("Again ", at: SourcePosition(line: 13, column: 1)), .math(tex: "L", display: false, at: SourcePosition(line: 13, column: 7)), .text(" here,", at: SourcePosition(line: 13, column: 10)),
                        .softBreak,
                        .text("and ", at: SourcePosition(line: 14, column: 1)), .math(tex: "L", display: false, at: SourcePosition(line: 14, column: 5)), .text(" there.", at: SourcePosition(line: 14, column: 8))]),
        ])
    }

    /// A line that starts like a fence but is not one must not switch the shield off.
    @Test func notAFenceDoesNotHideMath() throws {
        // A backtick in a backtick fence's info string: this line is inline code.
        var document = try MarkdownParser.parse("``` `x` ``` then $a*b*c$\n", file: "x.md")
        guard case .paragraph(let first)? = document.blocks.first else { Issue.record("no paragraph"); return }
        #expect(first.contains(.math(tex: "a*b*c", display: false, at: SourcePosition(line: 1, column: 18))))
        // A closing fence has nothing after its backticks: this fence is closed only later.
        document = try MarkdownParser.parse("```\nx\n``` not closed\n```\n\n$a*b*c$\n", file: "x.md")
        #expect(document.blocks.last == .paragraph([.math(tex: "a*b*c", display: false, at: SourcePosition(line: 6, column: 1))]))
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
