import Foundation
import Testing
@testable import BookBuilder

/// The `litopt` executable as a user meets it: its help, its exit statuses (0 built, 1 the
/// book has errors, 64 the command line is wrong) and where its messages go.
@Suite(.serialized) struct CommandLineTests {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs the built `litopt` in `folder` with `arguments`.
    static func litopt(_ arguments: [String], in folder: String? = nil) throws -> Result {
        let binary = ReliabilityTests.litopt
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build litopt first (make test does)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = URL(fileURLWithPath: folder) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both before waiting, so a full pipe cannot block the child.
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                      stderr: String(decoding: stderrData, as: UTF8.self))
    }

    /// The lines of a help text that document `option`.
    static func helpLines(_ help: String, for option: String) -> [String] {
        help.split(separator: "\n").map(String.init).filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix(option + " ") }
    }

    @Test func theTopLevelHelpListsEverySubcommand() throws {
        let help = try Self.litopt(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: litopt <subcommand>"), "\(help.stdout)")
        for subcommand in ["build", "serve", "check", "new", "clean", "slurm"] {
            #expect(help.stdout.contains("\n  \(subcommand) "), "\(subcommand) missing from: \(help.stdout)")
        }
        #expect(help.stdout.contains("build (default)"), "build is the default subcommand")
        #expect(help.stderr.isEmpty)
    }

    @Test func buildAndServeDocumentTheSameFolderOptions() throws {
        let build = try Self.litopt(["build", "--help"])
        let serve = try Self.litopt(["serve", "--help"])
        #expect(build.status == 0 && serve.status == 0)
        for option in ["--chapters <dir>", "--out <dir>", "--cache <dir>"] {
            let inBuild = Self.helpLines(build.stdout, for: option)
            #expect(!inBuild.isEmpty, "build --help documents \(option)")
            #expect(inBuild == Self.helpLines(serve.stdout, for: option), "\(option): the same words in build and serve")
        }
        for option in ["--no-cache", "--format <format>", "--keep-going", "--jobs <n>"] {
            #expect(!Self.helpLines(build.stdout, for: option).isEmpty, "build --help documents \(option): \(build.stdout)")
        }
    }

    @Test(arguments: [
        (["build", "--frobnicate"], "Unknown option '--frobnicate'"),
        (["build", "--format", "docx"], "unknown format 'docx' (expected html, epub or pdf)"),
        (["build", "--jobs", "0"], "--jobs must be at least 1"),
        (["build", "--memory-limit", "lots"], "--memory-limit: 'lots' is not a size"),
        (["build", "--render-only", "--no-cache"], "--render-only reads cached results"),
        (["check", "--typecheck=yes"], "--typecheck"),
        (["frobnicate"], "Unexpected argument 'frobnicate'"),
    ])
    func aWrongCommandLineExitsWithTheUsageStatusAndTouchesNothing(_ arguments: [String], _ message: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("litopt-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try Self.litopt(arguments, in: folder)
        #expect(result.status == 64, "EX_USAGE for \(arguments), got \(result.status): \(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty, "nothing written for \(arguments)")
    }

    @Test func aBrokenChapterExitsOneWithItsPositionAndLeavesTheSite() throws {
        let project = try ReliabilityTests.Project(["01-a.md": "# A\n\nSome text.\n\n```swift\nlet x = 1\nprint(x)\n```\n"])
        defer { project.remove() }
        let good = try Self.litopt(["build", "--chapters", "Chapters", "--out", "Site", "--jobs", "1"], in: project.root)
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout.contains("built 1 chapters (1 cells: 1 chapters executed, 0 cached) into Site/"), "\(good.stdout)")
        let site = ReliabilityTests.Project.snapshot(project.site)
        #expect(site["01-a.html"] != nil)

        try "# A\n\nSome text.\n\n```swift\nlet x = 1\nprint(y)\n```\n".write(toFile: project.chapters + "/01-a.md", atomically: true, encoding: .utf8)
        let broken = try Self.litopt(["build", "--chapters", "Chapters", "--out", "Site", "--jobs", "1", "--quiet"], in: project.root)
        #expect(broken.status == 1)
        let first = broken.stderr.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.hasPrefix("Chapters/01-a.md:7:7: error: ") && first.contains("'y'"), "\(broken.stderr)")
        #expect(broken.stderr.hasSuffix("build failed with 1 error; Site/ was left unchanged\n"), "\(broken.stderr)")
        #expect(broken.stdout.isEmpty, "--quiet prints only errors")
        #expect(ReliabilityTests.Project.snapshot(project.site) == site, "the previous site byte for byte")

        // `check` finds no error there (it does not type-check unless asked) and exits 0; with
        // --typecheck it reports the same position.
        let check = try Self.litopt(["check"], in: project.root)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.hasPrefix("checked 1 chapters, 1 cells: no problems"), "\(check.stdout)")
        let typecheck = try Self.litopt(["check", "--typecheck"], in: project.root)
        #expect(typecheck.status == 1)
        #expect(typecheck.stderr.hasPrefix("Chapters/01-a.md:7:7: error: "), "\(typecheck.stderr)")
    }

    /// A warning reaches stderr through the one printer, without color when stderr is not a
    /// terminal (here a pipe, even with a color-capable TERM), and the JSON report carries it as
    /// an object with its place, not as a line of text.
    @Test func aWarningIsPlainOnAPipeAndStructuredInTheReport() throws {
        let project = try ReliabilityTests.Project(["01-a.md": "# A\n\nText.\n\n<div onclick=\"alert(1)\">d</div>\n"])
        defer { project.remove() }
        let check = try Self.litopt(["check"], in: project.root)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stderr.hasPrefix("Chapters/01-a.md:5:"), "\(check.stderr)")
        #expect(check.stderr.contains(": warning: removed"), "\(check.stderr)")
        #expect(!check.stderr.contains("\u{1B}"), "no escape codes on a pipe")
        let build = try Self.litopt(["build", "--chapters", "Chapters", "--out", "Site", "--quiet", "--report", "r.json"], in: project.root)
        #expect(build.status == 0, "\(build.stderr)")
        #expect(build.stderr == check.stderr, "build and check print the same warning the same way")
        let report = try Data(contentsOf: URL(fileURLWithPath: project.root + "/r.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: report) as? [String: Any])
        let warnings = try #require(json["renderWarnings"] as? [[String: Any]], "\(json.keys.sorted())")
        #expect(warnings.count == 1)
        #expect(warnings.first?["severity"] as? String == "warning")
        #expect(warnings.first?["line"] as? Int == 5)
        #expect((warnings.first?["file"] as? String)?.hasSuffix("01-a.md") == true)
        #expect((warnings.first?["message"] as? String)?.hasPrefix("removed") == true)
    }

    @Test func checkReportsADanglingReferenceWhereItIsWritten() throws {
        let project = try ReliabilityTests.Project(["01-a.md": "# A\n\nSee @fig-one.\n\nAnd again, see @fig-none here.\n"])
        defer { project.remove() }
        let check = try Self.litopt(["check"], in: project.root)
        #expect(check.status == 1)
        #expect(check.stderr.contains("Chapters/01-a.md:3:5: error: "), "\(check.stderr)")
        #expect(check.stderr.contains("Chapters/01-a.md:5:16: error: "), "\(check.stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.site), "check writes no site")
    }

    @Test func cleanRemovesOnlyACacheLitoptMade() throws {
        let project = try ReliabilityTests.Project(["01-a.md": "# A\n\n```swift\nprint(1)\n```\n"])
        defer { project.remove() }
        try FileManager.default.createDirectory(atPath: project.root + "/notes", withIntermediateDirectories: true)
        try "mine".write(toFile: project.root + "/notes/keep.txt", atomically: true, encoding: .utf8)
        let refused = try Self.litopt(["clean", "--cache", "notes"], in: project.root)
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(refused.stderr.hasPrefix("notes"), "\(refused.stderr)")
        #expect(FileManager.default.fileExists(atPath: project.root + "/notes/keep.txt"))

        #expect(try Self.litopt(["build", "--quiet"], in: project.root).status == 0)
        #expect(FileManager.default.fileExists(atPath: project.cache))
        let clean = try Self.litopt(["clean"], in: project.root)
        #expect(clean.status == 0 && clean.stdout == "removed .litopt-cache/\n", "\(clean.stdout)\(clean.stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.cache))
    }
}
