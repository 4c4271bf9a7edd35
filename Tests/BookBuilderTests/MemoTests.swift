import Foundation
import Notebook
import Testing
@testable import BookBuilder

/// `memo` across builds: loaded when nothing upstream changed, computed when something did,
/// recomputed (with a warning) when its entry is damaged.
@Suite(.serialized) struct MemoTests {
    typealias Sandbox = BuildEndToEndTests.Sandbox

    func events(_ summary: BuildSummary) -> [MemoEvent] { summary.memoEvents }

    @Test func editingALaterCellLoadsTheValueAndThePageMatchesAColdBuild() throws {
        let sandbox = try Sandbox("memo")
        defer { sandbox.remove() }
        let cold = try sandbox.build(ownCache: true)
        #expect(events(cold).map(\.loaded) == [false])
        #expect(events(cold).first?.key == "slow-sums")

        try sandbox.edit("01-memo.md") { $0.replacingOccurrences(of: "print(\"third cell:\"", with: "print(\"third cell, edited:\"") }
        let warm = try sandbox.build(ownCache: true)
        #expect(warm.chapters.map(\.cached) == [false], "the chapter re-ran")
        let loaded = try #require(events(warm).first)
        #expect(loaded.loaded, "the slow step was loaded, not rerun")
        #expect(loaded.computeSeconds > 0 && loaded.savedSeconds >= 0)
        #expect(warm.chapters[0].cellReports[1].memos?.count == 1, "the report names the cell that memoized")
        let warmPage = try sandbox.page("01-memo.html")
        #expect(warmPage.contains("summing 3000000 terms"), "what the block printed is replayed on a load")
        #expect(warmPage.contains("third cell, edited:"))

        // The same chapter built from nothing, every value computed: byte for byte the same page.
        let fresh = sandbox.root + "/fresh"
        _ = try BookBuild.run(BuildOptions(chapters: sandbox.chapters, output: fresh, cache: sandbox.root + "/cache-fresh",
                                           jobs: 1, useCache: false))
        #expect(try String(contentsOfFile: fresh + "/01-memo.html", encoding: .utf8) == warmPage)
    }

    @Test func editingTheMemoizedCellOrACellAboveItRecomputes() throws {
        let sandbox = try Sandbox("memo")
        defer { sandbox.remove() }
        _ = try sandbox.build(ownCache: true)
        try sandbox.edit("01-memo.md") { $0.replacingOccurrences(of: "let terms = 3_000_000", with: "let terms = 2_000_000") }
        let above = try sandbox.build(ownCache: true)
        #expect(events(above).map(\.loaded) == [false], "a cell above changed")
        #expect(try sandbox.page("01-memo.html").contains("summing 2000000 terms"))

        try sandbox.edit("01-memo.md") { $0.replacingOccurrences(of: "1 / Double(k + 1)", with: "1 / Double(k + 2)") }
        let own = try sandbox.build(ownCache: true)
        #expect(events(own).map(\.loaded) == [false], "the memoizing cell changed")

        let noCache = try BookBuild.run(BuildOptions(chapters: sandbox.chapters, output: sandbox.site,
                                                     cache: sandbox.root + "/cache", jobs: 1, useCache: false))
        #expect(events(noCache).map(\.loaded) == [false], "--no-cache recomputes")
    }

    @Test func aDamagedEntryIsRecomputedWithAWarning() throws {
        let sandbox = try Sandbox("memo")
        defer { sandbox.remove() }
        _ = try sandbox.build(ownCache: true)
        let folder = sandbox.root + "/cache/memo"
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasSuffix(".memo") })
        var bytes = try #require(FileManager.default.contents(atPath: folder + "/" + name))
        bytes[bytes.count - 20] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: folder + "/" + name))

        try sandbox.edit("01-memo.md") { $0.replacingOccurrences(of: "print(\"third cell:\"", with: "print(\"third:\"") }
        let damaged = try sandbox.build(ownCache: true)
        let event = try #require(events(damaged).first)
        #expect(!event.loaded)
        #expect(event.warning?.contains("checksum mismatch") == true)
        #expect(damaged.warnings.count == 1)
        #expect(damaged.warnings.first?.description.contains("01-memo.md:11:1: warning: memo 'slow-sums'") == true)

        // Recomputing stored a sound entry again; a truncated one is caught the same way.
        try sandbox.edit("01-memo.md") { $0.replacingOccurrences(of: "print(\"third:\"", with: "print(\"third again:\"") }
        #expect(events(try sandbox.build(ownCache: true)).first?.loaded == true)
        let sound = try #require(FileManager.default.contents(atPath: folder + "/" + name))
        try sound.prefix(sound.count / 2).write(to: URL(fileURLWithPath: folder + "/" + name))
        try sandbox.edit("01-memo.md") { $0.replacingOccurrences(of: "print(\"third again:\"", with: "print(\"third once more:\"") }
        let truncated = try #require(events(try sandbox.build(ownCache: true)).first)
        #expect(!truncated.loaded && truncated.warning?.contains("truncated") == true)
    }
}
