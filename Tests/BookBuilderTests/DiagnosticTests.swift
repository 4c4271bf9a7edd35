import Foundation
import Testing
@testable import BookBuilder

/// Each kind of problem an author can make, and exactly how it is reported.
@Suite(.serialized) struct DiagnosticTests {
    /// A one-chapter book written on the spot.
    func book(_ markdown: String, config: String = "title: T\n") throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("litopt-diag-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/Chapters", withIntermediateDirectories: true)
        try config.write(toFile: root + "/Chapters/book.yml", atomically: true, encoding: .utf8)
        try markdown.write(toFile: root + "/Chapters/01-only.md", atomically: true, encoding: .utf8)
        return root
    }

    func diagnostics(_ root: String) -> [Diagnostic] {
        defer { try? FileManager.default.removeItem(atPath: root) }
        do {
            _ = try BookBuild.run(BuildOptions(chapters: root + "/Chapters", output: root + "/Site",
                                               cache: FileManager.default.temporaryDirectory.path + "/litopt-test-cache",
                                               useCache: false))
            return []
        } catch let failure as BuildFailure {
            return failure.diagnostics
        } catch {
            return [Diagnostic(file: "?", message: "\(error)")]
        }
    }

    @Test func malformedFrontMatterPointsAtItsLine() throws {
        let found = diagnostics(try book("---\ntitle: A\nexecute: [1, 2\n---\n# A\n"))
        let d = try #require(found.first)
        #expect(d.file.hasSuffix("Chapters/01-only.md"))
        #expect(d.message.hasPrefix("invalid YAML"))
        #expect(d.line >= 2)
    }

    @Test func unknownFrontMatterKeyListsTheValidOnes() throws {
        let d = try #require(diagnostics(try book("---\ntitle: A\ntimout: 3\n---\n# A\n")).first)
        #expect(d.headline.hasSuffix("01-only.md:3:1: error: unknown key 'timout' (expected one of: appendix, cache, execute, exercises, inputs, numbered, part, title)"))
    }

    @Test func unknownBookKeyIsAnError() throws {
        let d = try #require(diagnostics(try book("# A\n", config: "title: T\nauthors: me\n")).first)
        #expect(d.headline.hasSuffix("book.yml:2:1: error: unknown key 'authors' (expected one of: author, bibliography, chapters, cover, date, execute, exercises, explorable-limit, identifier, language, numbering, remote-cache, shared-cache, subtitle, title, trust-html)"))
    }

    /// Positions come from the YAML parser's marks, so keys and list entries written in flow
    /// style are found where they are, not reported without a line.
    @Test func keysAndEntriesInFlowStyleAreReportedWhereTheyAreWritten() throws {
        let key = try #require(diagnostics(try book("# A\n", config: "{title: T, authors: me}\n")).first)
        #expect(key.headline.hasSuffix("book.yml:1:12: error: unknown key 'authors' (expected one of: author, bibliography, chapters, cover, date, execute, exercises, explorable-limit, identifier, language, numbering, remote-cache, shared-cache, subtitle, title, trust-html)"),
                "\(key.headline)")
        let front = try #require(diagnostics(try book("---\n{title: A, timout: 3}\n---\n# A\n")).first)
        #expect(front.headline.hasSuffix("01-only.md:2:12: error: unknown key 'timout' (expected one of: appendix, cache, execute, exercises, inputs, numbered, part, title)"),
                "\(front.headline)")
        // A list entry: the second of two identical names is the one listed twice.
        let listed = diagnostics(try book("# A\n", config: "title: T\nchapters: [01-only.md, 01-only.md]\n"))
        #expect(listed.map(\.headline).contains { $0.hasSuffix("book.yml:2:24: error: chapter '01-only.md' is listed twice") }, "\(listed)")
        // An entry that is not a file name is reported at the entry, not at the key.
        let number = diagnostics(try book("# A\n", config: "title: T\nchapters: [01-only.md, 3]\n"))
        #expect(number.map(\.headline).contains { $0.hasSuffix("book.yml:2:24: error: 'chapters' must be a list of file names (found '3')") }, "\(number)")
        let inputs = diagnostics(try book("---\ntitle: A\ninputs: [data/a.csv,\n  data/missing.csv]\n---\n# A\n"))
        #expect(inputs.map(\.headline).contains { $0.hasSuffix("01-only.md:3:10: error: input 'data/a.csv' does not exist (paths are relative to the folder holding the chapters folder)") }, "\(inputs)")
        #expect(inputs.map(\.headline).contains { $0.hasSuffix("01-only.md:4:3: error: input 'data/missing.csv' does not exist (paths are relative to the folder holding the chapters folder)") }, "\(inputs)")
    }

    @Test func frontMatterIsSplitAtItsClosingLine() {
        func split(_ text: String) -> [String?] {
            let (yaml, body, offset) = BookLoader.splitFrontMatter(text)
            return [yaml, body, String(offset)]
        }
        #expect(split("---\ntitle: A\nx: 1\n---\n# A\n\ntext\n") == ["title: A\nx: 1", "# A\n\ntext\n", "4"])
        #expect(split("---\n---\nbody") == ["", "body", "2"])
        #expect(split("---\na: 1\n---") == ["a: 1", "", "3"])
        #expect(split(" --- \na: 1\n  ---  \nb") == ["a: 1", "b", "3"], "delimiters may carry spaces")
        #expect(split("---") == [nil, "---", "0"])
        #expect(split("---\na: 1\n") == [nil, "---\na: 1\n", "0"], "never closed: no front matter")
        #expect(split("# A\n---\n") == [nil, "# A\n---\n", "0"])
        #expect(split("") == [nil, "", "0"])
    }

    @Test func aSyntaxErrorIsReportedInItsCellNotAtTheEnd() throws {
        let d = try #require(diagnostics(try book("# A\n\n```swift\nlet xs = [1, 2\nprint(xs)\n```\n\n```swift\nprint(2)\n```\n")).first)
        #expect(d.file.hasSuffix("01-only.md"))
        #expect((4...6).contains(d.line), "inside the first cell, not in the second")
        #expect(d.message.contains("]"))
    }

    @Test func hugeOutputIsCutWithANoticeAndTheBuildSucceeds() throws {
        let root = try book("# A\n\n```swift\nfor i in 0..<200_000 { print(\"line \\(i) of a very chatty cell\") }\n```\n")
        defer { try? FileManager.default.removeItem(atPath: root) }
        _ = try BookBuild.run(BuildOptions(chapters: root + "/Chapters", output: root + "/Site",
                                           cache: FileManager.default.temporaryDirectory.path + "/litopt-test-cache",
                                           useCache: false))
        let page = try String(contentsOfFile: root + "/Site/01-only.html", encoding: .utf8)
        #expect(page.contains("output truncated at 256 KiB"))
        #expect(page.utf8.count < 400_000, "the page stays small")
        #expect(!page.contains("line 199999 of"))
    }

    @Test func theRenderingReadsLikeTheCompilers() {
        let d = Diagnostic(file: "Chapters/02-sam.md", line: 41, column: 14,
                           message: "cannot convert value of type 'String' to specified type 'Int'",
                           sourceLine: "let n: Int = \"not a number\"")
        #expect(d.description == """
        Chapters/02-sam.md:41:14: error: cannot convert value of type 'String' to specified type 'Int'
        let n: Int = "not a number"
                     ^
        """)
    }
}
