import Crypto
import Foundation
import Notebook

/// What the last successful build of a site was made from, so a build whose inputs did not
/// change does no work: no parsing, planning, highlighting, rendering or writing.
///
/// The inputs are everything a build reads that can change its output: every file under the
/// chapters folder (chapters, book.yml, the bibliography, the theme, images), the files the
/// chapters name in `inputs:`, a bibliography outside the folder, the litopt binary, the engine
/// library and the compiler (by path, size, modification time and inode, as `make` would),
/// the OpenBLAS kernels chapter programs run on, the `LITOPT_*` environment, and the options
/// that shape the output. The stamp also lists every file of the site as written; when a file
/// there was changed, added or removed since, the site is built again.
///
/// Never used for builds whose results live elsewhere too (shards, render-only builds, a shared
/// or remote cache) or that must execute (a chapter with `cache: false`).
struct SiteStamp: Codable {
    /// SHA-256 over the build's inputs (`SiteStamp.inputs(core:cache:entries:)`).
    var inputs: String
    /// Every file of the site: its path inside the site folder, and its size, modification
    /// time and inode.
    var site: [String: FileStamp]
    /// The summary of the build that wrote the site.
    var summary: BuildSummary
    /// The results cache entries (content keys) the site was rendered from.
    var entries: [String]

    /// Whether a build with these options and this book may be answered by a stamp.
    static func applies(_ options: BuildOptions, book: Book, stores: ResultStores) -> Bool {
        options.shard == nil && !options.renderOnly && stores.shared == nil && stores.remote == nil
            && book.chapters.allSatisfy(\.frontMatter.cache)
    }

    /// The stamp file for a site folder, in the cache folder.
    static func file(cache: String, output: String) -> String {
        let digest = SHA256.hash(data: Data(OutputFolders.canonical(output).utf8)).map { String(format: "%02x", $0) }.joined()
        return cache + "/stamps/" + digest.prefix(32) + ".json"
    }

    /// SHA-256 of `core` and of the files of the cached results the site was rendered from
    /// (`entries`, folders of the local results cache): an entry altered or removed is a
    /// changed input, so the next build looks at it again.
    static func inputs(core: String, cache: String, entries: [String]) -> String {
        var hasher = SHA256()
        hasher.update(data: Data(core.utf8))
        for entry in entries.sorted() {
            let folder = cache + "/results/" + entry
            let enumerator = FileManager.default.enumerator(atPath: folder)
            var files: [String] = []
            while let path = enumerator?.nextObject() as? String { files.append(path) }
            hasher.update(data: Data("entry\t\(entry)\t\(files.count)\n".utf8))
            for path in files.sorted() {
                if let stamp = FileStamp(folder + "/" + path) { hasher.update(data: Data("\(path)\t\(stamp)\n".utf8)) }
            }
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// SHA-256 over everything the build reads that can change its output, but the cache.
    static func coreInputs(_ options: BuildOptions, book: Book, chapters: String, project: String) -> String {
        var hasher = SHA256()
        func add(_ text: String) { hasher.update(data: Data((text + "\n").utf8)) }
        func addFile(_ label: String, _ path: String) { add("\(label)\t\(FileStamp(path)?.description ?? "missing")") }
        add("litopt-site-stamp-1")
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        addFile("litopt", exe)
        let environment = ProcessInfo.processInfo.environment
        let bin = environment["LITOPT_ENGINE_DIR"] ?? URL(fileURLWithPath: exe).resolvingSymlinksInPath().deletingLastPathComponent().path
        addFile("engine", bin + "/" + CellProgram.engineLibrary)
        if let swiftc = Toolchain.findExecutable("swiftc", environment: environment) {
            addFile("swiftc", URL(fileURLWithPath: swiftc).resolvingSymlinksInPath().path)
        }
        add("blas\t\(BLASCore.effective)")
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) where key.hasPrefix("LITOPT_") { add("env\t\(key)=\(value)") }
        add("chapters\t\(OutputFolders.canonical(chapters))")
        add("output\t\(OutputFolders.canonical(options.output))")
        add("cache\t\(OutputFolders.canonical(options.cache))")
        add("formats\t\(options.formats.map(\.rawValue).sorted().joined(separator: ","))")
        add("keep-going\t\(options.keepGoing)")
        add("limits\t\(options.limits.maxMemoryBytes.map(String.init) ?? "-")\t\(options.limits.maxFileBytes.map(String.init) ?? "-")")
        // Every file under the chapters folder, in a stable order.
        let enumerator = FileManager.default.enumerator(atPath: chapters)
        var files: [String] = []
        while let path = enumerator?.nextObject() as? String { files.append(path) }
        for path in files.sorted() {
            if let stamp = FileStamp(chapters + "/" + path) { add("file\t\(path)\t\(stamp)") }  // folders have none
        }
        for chapter in book.chapters {
            for input in chapter.frontMatter.inputs { addFile("input\t\(input)", project + "/" + input) }
        }
        if let bibliography = book.config.bibliography {
            addFile("bibliography\t\(bibliography)", bibliography.hasPrefix("/") ? bibliography : chapters + "/" + bibliography)
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Every file of the site folder with its stamp.
    static func listing(_ output: String) -> [String: FileStamp] {
        var listing: [String: FileStamp] = [:]
        let enumerator = FileManager.default.enumerator(atPath: output)
        while let path = enumerator?.nextObject() as? String {
            if let stamp = FileStamp(output + "/" + path) { listing[path] = stamp }  // folders have none
        }
        return listing
    }

    /// The stamp of the site in `output` if it was built from exactly `inputs` and is as it
    /// was written; nil otherwise.
    static func current(file: String, core: String, cache: String, output: String) -> SiteStamp? {
        guard let data = FileManager.default.contents(atPath: file),
              let stamp = try? JSONDecoder().decode(SiteStamp.self, from: data),
              stamp.inputs == inputs(core: core, cache: cache, entries: stamp.entries),
              listing(output) == stamp.site else { return nil }
        return stamp
    }

    /// Records what the site now in `output` was built from (atomically; a failure to write
    /// only costs the next build its shortcut).
    static func record(file: String, core: String, cache: String, entries: [String], output: String, summary: BuildSummary) {
        let stamp = SiteStamp(inputs: inputs(core: core, cache: cache, entries: entries), site: listing(output),
                              summary: summary, entries: entries)
        guard let data = try? JSONEncoder().encode(stamp) else { return }
        try? FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try? data.write(to: URL(fileURLWithPath: file), options: .atomic)
    }

    /// The summary a build answered by this stamp reports: every chapter from the cache.
    func upToDateSummary(seconds: Double) -> BuildSummary {
        var summary = self.summary
        for i in summary.chapters.indices {
            summary.chapters[i].cached = true
            summary.chapters[i].compileSeconds = 0
            summary.chapters[i].runSeconds = 0
            if summary.chapters[i].origin != nil { summary.chapters[i].origin = .local }
            for c in summary.chapters[i].cellReports.indices { summary.chapters[i].cellReports[c].memos = nil }
        }
        summary.seconds = seconds
        summary.upToDate = true
        return summary
    }
}
