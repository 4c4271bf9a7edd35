import Foundation
import Testing
import Notebook
@testable import BookBuilder

/// litopt carries the C shims' module maps itself, so a copy of the built binary (with the
/// engine library and its modules beside it) compiles cells with no source tree.
@Suite(.serialized) struct EngineShimsTests {
    typealias Project = ReliabilityTests.Project

    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources").path

    @Test func theEmbeddedShimsAreTheSourceFilesByteForByte() throws {
        #expect(Set(EngineShims.files.keys) == Set(CellProgram.shims))
        for name in CellProgram.shims {
            let folder = Self.sources + "/" + name
            let onDisk = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".h") || $0.hasSuffix(".modulemap") }
            #expect(Set(onDisk) == Set(EngineShims.files[name]!.keys), "\(name)")
            for (file, text) in EngineShims.files[name]! {
                #expect(try String(contentsOfFile: folder + "/" + file, encoding: .utf8) == text, "\(name)/\(file) drifted")
            }
        }
    }

    @Test func theShimsAreWrittenOnceIntoTheCacheFolder() throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("litopt-shims-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let maps = try EngineShims.materialize(cache: cache)
        #expect(maps.count == CellProgram.shims.count)
        #expect(maps.allSatisfy { $0.hasPrefix(cache + "/shims/") && FileManager.default.fileExists(atPath: $0) })
        let modified = try FileManager.default.attributesOfItem(atPath: maps[0])[.modificationDate] as? Date
        #expect(try EngineShims.materialize(cache: cache) == maps)
        #expect(try FileManager.default.attributesOfItem(atPath: maps[0])[.modificationDate] as? Date == modified, "not rewritten")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache + "/shims").count == 1, "no staging folder left")
    }

    @Test func theEngineLibraryIsHashedOnceUntilItChanges() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("litopt-engine-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let library = folder + "/libLitOptEngine.a"
        try Data("one".utf8).write(to: URL(fileURLWithPath: library))
        let first = ResultCache.libraryDigest(library, cache: folder)
        #expect(first.count == 64 && first == ResultCache.libraryDigest(library, cache: nil), "computed without a cache alike")
        // Remembered by identity: the same bytes' digest is read back, not recomputed.
        let remembered = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/engine.json")))
        #expect(remembered.values.first == first)
        #expect(ResultCache.libraryDigest(library, cache: folder) == first)
        // Rebuilt (new bytes, new modification time): hashed again.
        Thread.sleep(forTimeInterval: 0.01)
        try Data("two!".utf8).write(to: URL(fileURLWithPath: library))
        let second = ResultCache.libraryDigest(library, cache: folder)
        #expect(second != first && second == ResultCache.libraryDigest(library, cache: nil))
    }

    /// The binary, the engine library and its modules in a folder of their own; that copy
    /// builds a chapter with a figure (PNG through CPNG) and linear algebra (COpenBLAS).
    @Test func aCopiedBinaryBuildsWithoutItsSourceTree() throws {
        let project = try Project(["01-a.md": """
            # A

            ```swift
            let h = Tensor(shape: [2, 2], scalars: [2, 1, 1, 3])
            print(fmt(symmetricEigen(h).values.scalars.max()!, digits: 4))
            ```
            """])
        defer { project.remove() }
        let built = URL(fileURLWithPath: ReliabilityTests.litopt).resolvingSymlinksInPath().deletingLastPathComponent().path
        let copy = project.root + "/installed/bin"
        try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
        // Hard links for the two files (a copy's write descriptor, inherited by a process another
        // test forks meanwhile, would make exec fail with ETXTBSY), a copy of the modules.
        for item in ["litopt", "libLitOptEngine.a"] {
            try FileManager.default.linkItem(atPath: built + "/" + item, toPath: copy + "/" + item)
        }
        try FileManager.default.copyItem(atPath: built + "/Modules", toPath: copy + "/Modules")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: copy + "/litopt")
        process.arguments = ["build", "--chapters", project.chapters, "--out", project.site, "--cache", project.cache, "--quiet"]
        process.currentDirectoryURL = URL(fileURLWithPath: project.root)
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("LITOPT_") }
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(stderr)")
        let page = try String(contentsOfFile: project.site + "/01-a.html", encoding: .utf8)
        #expect(page.contains("3.618"), "the eigenvalue (5 + √5)/2 printed")
        // Its compiler calls named no file of the source tree.
        let maps = try FileManager.default.contentsOfDirectory(atPath: project.cache + "/shims")
        #expect(maps.count == 1)
    }

    /// A chapter's program starts on the kernels the builder chose: OpenBLAS's own, unless it
    /// fell back to Prescott on a CPU with AVX2 (then `BLASCore.suggestion`); a set
    /// OPENBLAS_CORETYPE is kept.
    @Test func aChapterProgramRunsOnTheChosenBLASKernels() throws {
        let project = try Project(["01-a.md": "# A\n\n```swift\nprint(\"kernels:\", BLASCore.openBLASCoreName() ?? \"none\")\n```\n"])
        defer { project.remove() }
        _ = try BookBuild.run(project.options())
        let page = try String(contentsOfFile: project.site + "/01-a.html", encoding: .utf8)
        let own = try #require(BLASCore.openBLASCoreName())
        let expected = ProcessInfo.processInfo.environment[BLASCore.variable] ?? BLASCore.suggestion ?? own
        #expect(page.lowercased().contains("kernels: \(expected.lowercased())"), "\(page)")
    }
}
