import ArgumentParser
import BookBuilder
import Foundation

@main
struct LitOpt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "litopt",
        abstract: "Turn Markdown chapters with executable Swift cells into an offline HTML book.",
        discussion: """
        Fenced ```swift blocks in Chapters/NN-slug.md are cells: they run against litopt's \
        optimization engine, and what they print or show lands in the page under them.
        """,
        subcommands: [Build.self],
        defaultSubcommand: Build.self)
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run every chapter's cells and write the site.",
        discussion: """
        The site is written to a temporary folder and moved into place only when the whole \
        build succeeded: on any error the previous site is left exactly as it was. Errors \
        are printed as FILE.md:LINE:COL: error: … and the exit status is non-zero.
        """)

    @Option(name: .long, help: ArgumentHelp("Folder holding book.yml and the NN-slug.md chapters.", valueName: "dir"))
    var chapters = "Chapters"

    @Option(name: .long, help: ArgumentHelp("Folder the site is written to.", valueName: "dir"))
    var out = "Site"

    @Option(name: .long, help: ArgumentHelp("Folder for the compiler's module cache.", valueName: "dir"))
    var cache = ".litopt-cache"

    @Option(name: .long, help: ArgumentHelp("Chapters compiled and run at once (default: number of cores).", valueName: "n"))
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let options = BuildOptions(chapters: chapters, output: out, cache: cache, jobs: jobs)
        let color = isatty(STDERR_FILENO) != 0
        do {
            let summary = try BookBuild.run(options) { line in
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
            let cells = summary.chapters.map(\.cells).reduce(0, +)
            print("built \(summary.chapters.count) chapters (\(cells) cells) into \(out)/ in \(String(format: "%.2f", summary.seconds)) s")
        } catch {
            for diagnostic in error.diagnostics {
                FileHandle.standardError.write(Data((diagnostic.rendered(color: color) + "\n").utf8))
            }
            let count = error.diagnostics.count
            FileHandle.standardError.write(Data("build failed with \(count) error\(count == 1 ? "" : "s"); \(out)/ was left unchanged\n".utf8))
            throw ExitCode.failure
        }
    }
}
