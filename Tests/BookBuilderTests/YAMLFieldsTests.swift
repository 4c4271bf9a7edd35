import Foundation
import Testing
@testable import BookBuilder

/// book.yml and front matter decode into their fields: the keys are the coding keys, each
/// problem is placed from Yams' marks, and lists carry where their entries are written.
@Suite struct YAMLFieldsTests {
    func failure(_ body: () throws -> Void) -> Diagnostic? {
        do { try body(); return nil } catch let error as BuildFailure { return error.diagnostics.first } catch { return nil }
    }

    @Test func theKnownKeysAreTheCodingKeys() throws {
        let front = try #require(failure { _ = try BookLoader.parseFrontMatter("title: X\nbogus: 1\n", display: "x.md") })
        #expect(front.message.hasSuffix("(expected one of: \(FrontMatterFields.CodingKeys.allCases.map(\.rawValue).sorted().joined(separator: ", ")))"))
        #expect((front.line, front.column) == (3, 1))
        let book = try #require(failure { _ = try BookLoader.parseConfig("{title: T, trust-htm: true}", display: "book.yml") })
        #expect(book.message.contains("'trust-htm'") && book.message.contains("trust-html"))
        #expect((book.line, book.column) == (1, 12))
    }

    @Test func aKeyWithNothingAfterItIsNotTakenForAbsent() throws {
        for key in ["title", "cache", "inputs", "execute", "part"] {
            let d = try #require(failure { _ = try BookLoader.parseFrontMatter("numbered: true\n\(key):\n", display: "x.md") }, "\(key)")
            #expect(d.line == 3 && d.message.hasPrefix("'\(key)' must be"), "\(key): \(d.description)")
        }
    }

    @Test func aKeySetTwiceIsReportedAtItsSecondLine() throws {
        let d = try #require(failure { _ = try BookLoader.parseFrontMatter("title: X\ncache: false\ntitle: Y\n", display: "x.md") })
        #expect(d.message == "'title' is set twice; keep one" && (d.line, d.column) == (4, 1), "\(d.description)")
    }

    @Test func listEntriesCarryWhereTheyAreWritten() throws {
        let front = try BookLoader.parseFrontMatter("title: X\ninputs:\n  - a.csv\n  -   b.csv\n", display: "x.md")
        #expect(front.inputs == ["a.csv", "b.csv"])
        #expect(front.inputPlaces == [SourcePosition(line: 4, column: 5), SourcePosition(line: 5, column: 7)])
        let config = try BookLoader.parseConfig("title: T\nchapters: [01-a.md,  02-b.md]\n", display: "book.yml")
        #expect(config.chapters == ["01-a.md", "02-b.md"])
        #expect(config.chapterPlaces == [SourcePosition(line: 2, column: 12), SourcePosition(line: 2, column: 22)])
    }

    @Test func valuesReadAsYAMLTypesThem() throws {
        let config = try BookLoader.parseConfig("title: 2026\ndate: 2026-12-01\nexecute: {echo: yes, timeout: 60}\n", display: "book.yml")
        #expect(config.title == "2026")
        #expect(config.date == "2026-12-01")
        #expect(config.cellDefaults["echo"] == "true")
        #expect(config.cellDefaults["timeout"] == "60")
        // A quoted "true" is text, not a flag; a number is not a bibliography path.
        #expect(failure { _ = try BookLoader.parseConfig("trust-html: \"true\"\n", display: "book.yml") }?.message == "'trust-html' must be true or false")
        #expect(failure { _ = try BookLoader.parseConfig("bibliography: 3\n", display: "book.yml") }?.message
                == "'bibliography' must be the path of a BibTeX file, e.g. references.bib")
    }

    @Test func aValueOfTheWrongShapeSaysWhatWasFound() throws {
        #expect(failure { _ = try BookLoader.parseConfig("title: T\nnumbering: [a]\n", display: "book.yml") }?.message
                == "'numbering' must be chapter or book, not a list")
        let nested = try #require(failure { _ = try BookLoader.parseConfig("execute:\n  echo: [1]\n", display: "book.yml") })
        #expect(nested.message == "in execute: 'echo' must be a single value, not a list or a mapping" && nested.line == 1)
        #expect(failure { _ = try BookLoader.parseConfig("- a\n- b\n", display: "book.yml") }?.message == "expected a YAML mapping of keys to values")
    }
}
