import Foundation

/// Which folders litopt may replace or delete: its own, and nothing else.
///
/// The site folder is replaced whole by every build and the cache folder is removed by
/// `litopt clean`, so a wrong `--out` or `--cache` would otherwise wipe whatever it names.
/// Each folder litopt makes carries a stamp (`.litopt-site` in a site; the standard
/// `CACHEDIR.TAG` in a cache). A folder is accepted when it does not exist yet, is empty, or
/// carries its stamp — and never when it is, holds, or lies inside the chapters folder, or
/// is or holds the project (the chapters folder's parent). A folder may lie inside the
/// project: `Site/` and `.litopt-cache/` beside `Chapters/` are the defaults.
public enum OutputFolders {
    public static let siteStamp = ".litopt-site"
    public static let siteStampContents = "This folder is a site written by litopt; each build replaces it whole.\n"
    public static let cacheTag = "CACHEDIR.TAG"
    /// The Cache Directory Tagging Specification's signature, then what wrote it.
    public static let cacheTagContents = "Signature: 8a477f597d28d172789f06886806bc55\n# This folder is litopt's cache (cached results, memo values, the compiler's module cache).\n"
    /// What a cache made before the tag existed may hold, and nothing else.
    static let legacyCacheEntries: Set<String> = ["results", "memo", "module-cache", "times.json", "compiler.json", "engine.json", "shims", cacheTag]

    public enum Kind: Sendable {
        case site, cache
        var flag: String { self == .site ? "--out" : "--cache" }
        var noun: String { self == .site ? "site" : "cache" }
    }

    /// The absolute path with symbolic links resolved as far as the path exists, and `.`/`..` removed.
    public static func canonical(_ path: String) -> String {
        var url = URL(fileURLWithPath: path).standardizedFileURL
        var tail: [String] = []
        while !FileManager.default.fileExists(atPath: url.path), url.path != "/" {
            tail.insert(url.lastPathComponent, at: 0)
            url = url.deletingLastPathComponent()
        }
        var resolved = url.resolvingSymlinksInPath()
        for part in tail { resolved.appendPathComponent(part) }
        return resolved.standardizedFileURL.path
    }

    /// `a` is `b` or lies inside it.
    public static func within(_ a: String, _ b: String) -> Bool {
        a == b || a.hasPrefix(b.hasSuffix("/") ? b : b + "/")
    }

    /// Throws, saying why, unless `folder` may be used as the `kind` folder of the book in
    /// `chapters`. `other` is the other folder (the cache when checking the site), which
    /// must not overlap it.
    public static func check(_ folder: String, kind: Kind, chapters: String, other: String? = nil) throws(BuildFailure) {
        func refuse(_ why: String) -> BuildFailure {
            BuildFailure([Diagnostic(file: folder, message: "refusing \(kind.flag) \(folder): \(why)")])
        }
        let path = canonical(folder)
        let chaptersPath = canonical(chapters)
        let project = (chaptersPath as NSString).deletingLastPathComponent
        if within(path, chaptersPath) {
            throw refuse(path == chaptersPath ? "it is the chapters folder" : "it lies inside the chapters folder \(chapters)")
        }
        if within(chaptersPath, path) {
            throw refuse(path == project ? "it is the project folder, which holds the chapters"
                                         : "it holds the chapters folder \(chapters)")
        }
        if let other {
            let otherPath = canonical(other)
            if within(path, otherPath) || within(otherPath, path) {
                throw refuse("it overlaps the \(kind == .site ? "cache" : "site") folder \(other)")
            }
        }
        try checkOwned(folder, kind: kind)
    }

    /// Throws unless `folder` is absent, empty, or stamped as litopt's `kind` folder.
    public static func checkOwned(_ folder: String, kind: Kind) throws(BuildFailure) {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: folder, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw BuildFailure([Diagnostic(file: folder, message: "refusing \(kind.flag) \(folder): it is a file, not a folder")])
        }
        let entries = (try? fm.contentsOfDirectory(atPath: folder)) ?? []
        if entries.isEmpty || isStamped(folder, kind: kind) { return }
        if kind == .cache, Set(entries).isSubset(of: legacyCacheEntries) { return }
        throw BuildFailure([Diagnostic(file: folder, message:
            "refusing \(kind.flag) \(folder): it holds files litopt did not write (no \(kind == .site ? siteStamp : cacheTag) in it), "
            + "and the \(kind.noun) folder is \(kind == .site ? "replaced whole" : "deleted whole"); remove it yourself or choose another folder")])
    }

    static func isStamped(_ folder: String, kind: Kind) -> Bool {
        let stamp = folder + "/" + (kind == .site ? siteStamp : cacheTag)
        guard let data = FileManager.default.contents(atPath: stamp) else { return false }
        let text = String(decoding: data, as: UTF8.self)
        return kind == .site ? text == siteStampContents : text.hasPrefix("Signature: 8a477f597d28d172789f06886806bc55")
    }

    /// Creates the cache folder if needed and tags it.
    public static func prepareCache(_ folder: String) {
        let fm = FileManager.default
        try? fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        if !isStamped(folder, kind: .cache) {
            // Written in place, not through a temporary file and a rename: a second build
            // checking a shared folder at that moment must see only names it knows (an empty
            // folder, or CACHEDIR.TAG itself), never a stray temporary file it would refuse.
            try? Data(cacheTagContents.utf8).write(to: URL(fileURLWithPath: folder + "/" + cacheTag))
        }
    }
}
