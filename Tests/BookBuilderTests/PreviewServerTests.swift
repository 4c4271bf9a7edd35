import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import BookBuilder

@Suite(.serialized) struct PreviewServerTests {
    func get(_ url: String) async throws -> String {
        let (data, _) = try await URLSession.shared.data(from: URL(string: url)!)
        return String(decoding: data, as: UTF8.self)
    }

    @Test func servesRebuildsOnChangeAndSignalsTheReload() async throws {
        let sandbox = try BuildEndToEndTests.Sandbox("good")
        defer { sandbox.remove() }
        let port = UInt16.random(in: 20_000...40_000)
        let server = try PreviewServer(options: BuildOptions(chapters: sandbox.chapters, output: sandbox.site,
                                                             cache: sandbox.root + "/cache"), port: port)
        let running = Task { try await server.run() }
        defer { running.cancel() }
        let base = "http://127.0.0.1:\(port)"
        // The first build happens before the server listens.
        var page = ""
        for _ in 0..<200 where !page.contains("doubled total = 110") {
            page = (try? await get(base + "/01-shared-state.html")) ?? ""
            if page.isEmpty { try await Task.sleep(nanoseconds: 100_000_000) }
        }
        #expect(page.contains("third cell: doubled total = 110"))
        #expect(page.contains("<script src=\"/__litopt/live.js\" defer></script>"), "pages carry the reload script")

        try sandbox.edit("01-shared-state.md") { $0.replacingOccurrences(of: "total *= 2", with: "total *= 3") }
        let status = try await get(base + "/__litopt/wait?since=1")
        #expect(status.contains("\"version\":2"), "the reload signal reports a new successful build")
        #expect(try await get(base + "/01-shared-state.html").contains("doubled total = 165"))

        try sandbox.edit("01-shared-state.md") { $0.replacingOccurrences(of: "total *= 3", with: "total *= \"x\"") }
        let failed = try await get(base + "/__litopt/wait?since=2")
        #expect(failed.contains("\"version\":2") && failed.contains("cannot convert value of type"),
                "a failed rebuild reports its error and keeps the last good version")
        #expect(try await get(base + "/01-shared-state.html").contains("doubled total = 165"), "the last good page stays")
        await server.stop()
    }
}
