import Crypto
import Foundation

/// Chapter results stored under a content key, so unchanged chapters execute nothing.
///
/// The key is the SHA-256 of everything that can change what a chapter's program does:
/// its cells in order with their execution options (`eval`, `error`, `timeout`), the
/// contents of the files its front matter lists as `inputs`, the engine library's bytes and
/// the compiler's version. Prose, captions and `echo` are not in it: editing them re-renders
/// the page without re-running anything.
///
/// An entry is a folder `results/<key>/` holding the outputs and `run.json`, which lists
/// every file with its digest. It is written under a temporary name and renamed into place,
/// so a killed build never leaves a partial entry; an entry that fails verification (a file
/// missing, truncated or altered) is deleted and counts as a miss.
public struct ResultCache: Sendable {
    public var directory: String

    public init(directory: String) {
        self.directory = directory
    }

    static let formatVersion = "litopt-results-3"  // bump when how programs are compiled or linked changes

    /// Identity of the engine + compiler pair: changes whenever either is rebuilt or replaced.
    public static func engineIdentity(_ toolchain: Toolchain) -> String {
        var hasher = SHA256()
        if let handle = FileHandle(forReadingAtPath: toolchain.engineLibrary) {
            while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
            try? handle.close()
        }
        let version = (try? ProcessRunner.run(toolchain.swiftc, ["--version"], timeout: 30).output) ?? "unknown"
        hasher.update(data: Data(version.utf8))
        return hex(hasher.finalize())
    }

    /// The content key of a chapter's program.
    public static func key(program: Program, cells: [Cell], inputs: [(path: String, contents: Data?)],
                           engine: String) -> String {
        var hasher = SHA256()
        func add(_ text: String) {
            hasher.update(data: Data("\(text.utf8.count):".utf8))
            hasher.update(data: Data(text.utf8))
        }
        add(formatVersion)
        add(engine)
        // Line numbers are left out: a prose edit that moves cells down re-runs nothing.
        add(program.source.replacingOccurrences(of: #"#sourceLocation\(file: (.*), line: \d+\)"#,
                                                with: "#sourceLocation(file: $1)", options: .regularExpression))
        for cell in cells {
            add("cell \(cell.index) eval=\(cell.options.eval) error=\(cell.options.error) timeout=\(cell.options.timeout)")
        }
        for input in inputs {
            add(input.path)
            if let contents = input.contents {
                add("\(contents.count)")
                hasher.update(data: contents)
            } else {
                add("<missing>")
            }
        }
        return hex(hasher.finalize())
    }

    struct Entry: Codable {
        var key: String
        var run: ChapterRun
        /// File name → SHA-256 of its bytes.
        var files: [String: String]
    }

    /// The stored run for `key`, verified; `nil` when absent or damaged (then removed).
    public func load(_ key: String) -> ChapterRun? {
        let folder = "\(directory)/\(key)"
        guard let data = FileManager.default.contents(atPath: folder + "/run.json") else { return nil }
        guard let entry = try? JSONDecoder().decode(Entry.self, from: data), entry.key == key else {
            discard(folder)
            return nil
        }
        for (name, digest) in entry.files {
            guard let bytes = FileManager.default.contents(atPath: folder + "/" + name),
                  Self.hex(SHA256.hash(data: bytes)) == digest else {
                discard(folder)
                return nil
            }
        }
        var run = entry.run
        run.outputDirectory = folder
        return run
    }

    /// Stores `run` (its files are copied from `run.outputDirectory`) under `key`.
    public func store(_ run: ChapterRun, key: String) {
        let fm = FileManager.default
        let final = "\(directory)/\(key)"
        let staging = "\(directory)/.staging-\(UUID().uuidString)"
        do {
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: true)
            var files: [String: String] = [:]
            let names = run.cells.flatMap(\.outputs).flatMap { record -> [String] in
                if case .image(let file, let dark, _, _, _) = record.item { return [file] + (dark.map { [$0] } ?? []) }
                return []
            }
            for name in names {
                let bytes = try Data(contentsOf: URL(fileURLWithPath: run.outputDirectory + "/" + name))
                try bytes.write(to: URL(fileURLWithPath: staging + "/" + name))
                files[name] = Self.hex(SHA256.hash(data: bytes))
            }
            var stored = run
            stored.outputDirectory = ""
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try encoder.encode(Entry(key: key, run: stored, files: files))
                .write(to: URL(fileURLWithPath: staging + "/run.json"))
            // Same key, same content: if another build stored it first, keep theirs.
            if fm.fileExists(atPath: final) {
                try? fm.removeItem(atPath: staging)
                return
            }
            try fm.moveItem(atPath: staging, toPath: final)
        } catch {
            // Another build stored the same key first, or the disk is full: the cache is an optimization.
            try? fm.removeItem(atPath: staging)
        }
    }

    func discard(_ folder: String) {
        let trash = "\(directory)/.trash-\(UUID().uuidString)"
        if (try? FileManager.default.moveItem(atPath: folder, toPath: trash)) != nil {
            try? FileManager.default.removeItem(atPath: trash)
        }
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
