import Foundation
import Testing
@testable import BookBuilder

/// Expected output: three fixture books are built for real (cells compile and run) and every
/// file of the site — pages, search index, stylesheet, script, figures — is compared byte for
/// byte with `Fixtures/<book>/Expected/` (fonts excepted: they are copied from Debian's
/// packages, not made by litopt). The `assets/` every book with the default theme gets are
/// the same for all three and kept once, in `Fixtures/expected-assets/`. Output is
/// deterministic, so any difference is a change a reader would see. After an intended change,
/// regenerate the expected files and review the diff before committing it:
///
///     LITOPT_REGENERATE_EXPECTED=1 swift test -c release -Xswiftc -enable-testing --skip-build --filter ExpectedOutputTests
@Suite(.serialized) struct ExpectedOutputTests {
    static let regenerate = ProcessInfo.processInfo.environment["LITOPT_REGENERATE_EXPECTED"] == "1"
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    /// Where the default theme's assets are expected, shared by the books.
    static let sharedFolder = fixtures + "/expected-assets"

    static func expectedFolder(_ fixture: String) -> String { fixtures + "/\(fixture)/Expected" }

    /// Whether `path` (relative to a site) is one of the shared assets.
    static func isShared(_ path: String) -> Bool { path.hasPrefix("assets/") }

    /// The compared files under `folder`: all but fonts.
    static func files(under folder: String) -> [String: Data] {
        BuildEndToEndTests.Sandbox.files(under: folder)
            .filter { !$0.key.hasSuffix(".otf") && !$0.key.hasSuffix(".ttf") && !$0.key.hasSuffix(".woff2") }
    }

    static func write(_ files: [String: Data], to folder: String) throws {
        for (path, data) in files {
            let url = URL(fileURLWithPath: folder + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
    }

    /// Where two texts first differ, as `line N: expected … / got …`.
    static func firstDifference(_ expected: Data, _ actual: Data) -> String {
        let a = String(decoding: expected, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let b = String(decoding: actual, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(a.count, b.count) where (i < a.count ? a[i] : nil) != (i < b.count ? b[i] : nil) {
            return "line \(i + 1): expected \(i < a.count ? String(a[i].prefix(200)) : "(end)") / got \(i < b.count ? String(b[i].prefix(200)) : "(end)")"
        }
        return "\(expected.count) bytes expected, \(actual.count) made"
    }

    @Test(arguments: ["good", "xref", "parts"])
    func aFixtureBookBuildsToItsExpectedFiles(_ fixture: String) throws {
        let sandbox = try BuildEndToEndTests.Sandbox(fixture)
        defer { sandbox.remove() }
        _ = try sandbox.build()
        let made = Self.files(under: sandbox.site)
        let folder = Self.expectedFolder(fixture)
        if Self.regenerate {
            try? FileManager.default.removeItem(atPath: folder)
            try Self.write(made.filter { !Self.isShared($0.key) }, to: folder)
            try Self.write(made.filter { Self.isShared($0.key) }, to: Self.sharedFolder)
            return
        }
        let expected = Self.files(under: folder).merging(Self.files(under: Self.sharedFolder)) { own, _ in own }
        #expect(!expected.isEmpty, "no expected files in \(folder): regenerate them (see ExpectedOutputTests)")
        #expect(made.keys.sorted() == expected.keys.sorted(), "the site's files differ from the expected list")
        for (path, data) in expected.sorted(by: { $0.key < $1.key }) {
            guard let actual = made[path] else { continue }
            #expect(actual == data, "\(fixture)/\(path) differs from the expected file: \(Self.firstDifference(data, actual))")
        }
    }

    /// The comparison itself notices a change: one changed byte in a page, or a missing file.
    @Test func aChangedOrMissingFileIsADifference() {
        let page = Data("<p>one</p>\n<p>two</p>\n".utf8)
        let changed = Data("<p>one</p>\n<p>tvo</p>\n".utf8)
        #expect(Self.firstDifference(page, changed) == "line 2: expected <p>two</p> / got <p>tvo</p>")
        #expect(page != changed)
        let expected = Self.files(under: Self.expectedFolder("good"))
        #expect(expected["index.html"] != nil, "the expected site of the good fixture has its index page")
    }
}
