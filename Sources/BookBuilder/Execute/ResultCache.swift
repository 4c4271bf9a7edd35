import Crypto
import Foundation
import Notebook

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

    static let formatVersion = "litopt-results-4"  // bump when how programs are compiled or linked changes

    /// Identity of the engine + compiler pair: changes whenever either is rebuilt or replaced.
    /// `cache`: the cache folder, where the compiler's version is remembered by the identity
    /// of its binary, so a build does not run `swiftc --version` (and leave its temporary
    /// folder behind) every time.
    public static func engineIdentity(_ toolchain: Toolchain, cache: String? = nil) -> String {
        var hasher = SHA256()
        hasher.update(data: Data(libraryDigest(toolchain.engineLibrary, cache: cache).utf8))
        hasher.update(data: Data(compilerVersion(toolchain.swiftc, cache: cache).utf8))
        // The OpenBLAS kernels chapter programs run on: another choice rounds differently.
        hasher.update(data: Data("blas-core:\(BLASCore.effective)".utf8))
        return hex(hasher.finalize())
    }

    /// The SHA-256 of the engine library, remembered in `cache/engine.json` under the file's
    /// real path, size, modification time and inode, so an unchanged 15 MB archive is not
    /// read and hashed again on every build (any rebuild changes its modification time).
    static func libraryDigest(_ path: String, cache: String?) -> String {
        remembered(path, in: cache.map { $0 + "/engine.json" }) {
            var hasher = SHA256()
            if let handle = FileHandle(forReadingAtPath: path) {
                while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
                try? handle.close()
            }
            return hex(hasher.finalize())
        } ?? ""
    }

    /// `swiftc --version`, remembered in `cache/compiler.json` under the compiler binary's
    /// real path, size, modification time and inode.
    static func compilerVersion(_ swiftc: String, cache: String?) -> String {
        remembered(swiftc, in: cache.map { $0 + "/compiler.json" }) {
            // The compiler's driver makes a temporary folder of its own: give it ours.
            let scratch = TemporaryFiles.newFolder()
            try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            guard let result = try? ProcessRunner.run(swiftc, ["--version"], environment: ProcessRunner.environment(work: scratch), timeout: 30),
                  result.status == 0, !result.signaled else { return nil }
            return result.output
        } ?? "unknown"
    }

    /// What `compute` says about the file at `path`, remembered in `file` under the file's real
    /// path, size, modification time and inode (what changes when it is rebuilt or replaced),
    /// so it is computed again only when the file changes. One entry is kept (one engine, one
    /// compiler at a time), written atomically; a nil answer is not remembered.
    static func remembered(_ path: String, in file: String?, compute: () -> String?) -> String? {
        let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let identity = FileStamp(real).map { "\(real)\t\($0)" } ?? real
        if let file, let data = FileManager.default.contents(atPath: file),
           let known = try? JSONDecoder().decode([String: String].self, from: data), let value = known[identity] {
            return value
        }
        guard let value = compute() else { return nil }
        if let file {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let temporary = file + ".\(getpid())-\(UUID().uuidString)"
            if let data = try? encoder.encode([identity: value]), FileManager.default.createFile(atPath: temporary, contents: data) {
                rename(temporary, file)
            }
        }
        return value
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
        add(program.lineFreeSource)
        for cell in cells {
            add("cell \(cell.index) eval=\(cell.options.eval) error=\(cell.options.error) timeout=\(cell.options.timeout)"
                + (cell.options.measured ? " measured" : ""))
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

    /// The stored run for `key`, verified whole; `nil` when absent or damaged (then removed).
    ///
    /// `run.json` is checked against the digest in `run.sha256` (so altered or bit-rotted
    /// text is never published), and every file it lists against its own digest; a folder
    /// holding anything else, or anything in place of these files, is damaged too.
    public func load(_ key: String) -> ChapterRun? {
        let fm = FileManager.default
        let folder = "\(directory)/\(key)"
        guard fm.fileExists(atPath: folder) else { return nil }
        guard let data = fm.contents(atPath: folder + "/run.json"),
              let digest = fm.contents(atPath: folder + "/run.sha256"),
              String(decoding: digest, as: UTF8.self) == Self.hex(SHA256.hash(data: data)),
              let entry = try? JSONDecoder().decode(Entry.self, from: data), entry.key == key,
              Set((try? fm.contentsOfDirectory(atPath: folder)) ?? []) == Set(entry.files.keys).union(["run.json", "run.sha256"])
        else {
            discard(folder)
            return nil
        }
        for (name, digest) in entry.files {
            guard !name.contains("/"), let bytes = fm.contents(atPath: folder + "/" + name),
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
            let names = run.cells.flatMap(\.outputs).flatMap(\.files)
            for name in names {
                let bytes = try Data(contentsOf: URL(fileURLWithPath: run.outputDirectory + "/" + name))
                try bytes.write(to: URL(fileURLWithPath: staging + "/" + name))
                files[name] = Self.hex(SHA256.hash(data: bytes))
            }
            var stored = run
            stored.outputDirectory = ""
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let json = try encoder.encode(Entry(key: key, run: stored, files: files))
            try json.write(to: URL(fileURLWithPath: staging + "/run.json"))
            try Data(Self.hex(SHA256.hash(data: json)).utf8).write(to: URL(fileURLWithPath: staging + "/run.sha256"))
            // Same key, same content: if another build stored a sound entry first, keep theirs;
            // a damaged one (even a file or folder of another kind in its place) is replaced.
            if fm.fileExists(atPath: final) {
                if load(key) != nil {
                    try? fm.removeItem(atPath: staging)
                    return
                }
                discard(final)
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
