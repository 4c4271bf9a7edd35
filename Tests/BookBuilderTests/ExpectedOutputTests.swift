import Foundation
import Testing
@testable import BookBuilder

/// Expected output: three fixture books are built for real (cells compile and run) and every
/// file of the site — pages, search index, stylesheet, script, figures — is compared byte for
/// byte with `Fixtures/<book>/Expected/` (fonts excepted: they are copied from Debian's
/// packages, not made by litopt). Output is deterministic, so any difference is a change a
/// reader would see. After an intended change, regenerate the expected files and review the
/// diff before committing it:
///
///     LITOPT_REGENERATE_EXPECTED=1 swift test -c release -Xswiftc -enable-testing --skip-build --filter ExpectedOutputTests
@Suite(.serialized) struct ExpectedOutputTests {
    static let regenerate = ProcessInfo.processInfo.environment["LITOPT_REGENERATE_EXPECTED"] == "1"

    static func expectedFolder(_ fixture: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(fixture)/Expected").path
    }

    /// Every compared file under `folder`, relative path → bytes.
    static func files(under folder: String) -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let path = enumerator?.nextObject() as? String {
            guard !path.hasSuffix(".otf"), !path.hasSuffix(".ttf"), !path.hasSuffix(".woff2") else { continue }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  let data = FileManager.default.contents(atPath: folder + "/" + path) else { continue }
            files[path] = data
        }
        return files
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
            for (path, data) in made {
                let url = URL(fileURLWithPath: folder + "/" + path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url)
            }
            return
        }
        let expected = Self.files(under: folder)
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
