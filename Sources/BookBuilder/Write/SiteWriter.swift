import CProcess
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Stage 6: writes the pages, the stylesheet, the script, the search index and the figures as a site.
///
/// The site is assembled in a temporary folder beside the output folder and swapped in
/// whole only when everything was written, so a failed build leaves the previous site
/// byte-for-byte as it was. The only stage that touches the output folder.
public enum SiteWriter {
    /// `theme`: a folder of `NAME.mustache` files replacing built-in templates (see `Templates`).
    /// `html: false` writes only `extras` (single-file outputs such as `book.epub`), which are
    /// swapped in with the rest in any case.
    public static func write(book: BookConfig, pages: [Page], to output: String, theme: String? = nil,
                             html: Bool = true, extras: [(name: String, data: Data)] = []) throws(BuildFailure) {
        let fm = FileManager.default
        let templates = try Theme(overrides: theme)
        let outputURL = URL(fileURLWithPath: output).standardizedFileURL
        let parent = outputURL.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(".\(outputURL.lastPathComponent).staging-\(getpid())-\(UUID().uuidString)")
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            recoverAndSweep(at: outputURL)
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
            defer { try? fm.removeItem(at: staging) }

            func put(_ text: String, _ name: String) throws {
                let url = staging.appendingPathComponent(name)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            }
            try put(OutputFolders.siteStampContents, OutputFolders.siteStamp)
            for extra in extras { try extra.data.write(to: staging.appendingPathComponent(extra.name)) }
            if html {
            try put(Stylesheet.css, "assets/style.css")
            try put(BookScript.source, "assets/book.js")
            // The OpenType math font formulas are set in (TeX Gyre Pagella Math, GUST Font License),
            // shipped with the site so formulas look the same everywhere, offline.
            if fm.fileExists(atPath: Theme.mathFontSource) {
                try fm.copyItem(atPath: Theme.mathFontSource, toPath: staging.appendingPathComponent("assets/math.otf").path)
            }
            let shards = SearchIndex(pages: pages).shards
            for (n, shard) in shards.enumerated() {
                try put(shard, "search/index-\(n).js")
            }
            let site = Theme.Site(book: book, pages: pages, searchShards: shards.count)
            try put(templates.indexPage(site), "index.html")
            for (i, page) in pages.enumerated() {
                try put(templates.chapterPage(site, index: i), page.chapter.pageName)
                for asset in page.assets {
                    let destination = staging.appendingPathComponent(asset.destination)
                    try fm.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try fm.copyItem(atPath: asset.source, toPath: destination.path)
                }
            }
            }
            try swapIn(staging, at: outputURL)
        } catch let failure as BuildFailure {
            throw failure
        } catch {
            throw BuildFailure([Diagnostic(file: output, message: "cannot write the site: \(error.localizedDescription)")])
        }
    }

    /// Replaces `output` by `staging` in one atomic step where the file system can
    /// (`renameat2` with `RENAME_EXCHANGE`): at every instant `output` is the old site or the
    /// new one, whole, even if litopt is killed; the old one, left under the staging name, is
    /// removed after. Elsewhere it falls back to two renames (old aside, new in), and a build
    /// killed between them is repaired by the next one (`recoverAndSweep`).
    static func swapIn(_ staging: URL, at output: URL) throws {
        let fm = FileManager.default
        var attempt = 0
        while true {
            attempt += 1
            if !fm.fileExists(atPath: output.path) {
                if rename(staging.path, output.path) == 0 { return }
                // Another build put its site there first: exchange with it instead.
                if (errno == EEXIST || errno == ENOTEMPTY), attempt < 20 { continue }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            if litopt_exchange(staging.path, output.path) == 0 {
                try? fm.removeItem(at: staging)  // now the old site
                return
            }
            if errno == ENOENT, attempt < 20 { continue }  // another build moved it meanwhile
            guard errno == EINVAL || errno == ENOSYS || errno == ENOTSUP else {
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            // No atomic exchange here: two renames.
            let aside = output.deletingLastPathComponent()
                .appendingPathComponent(".\(output.lastPathComponent).old-\(getpid())-\(UUID().uuidString)")
            do {
                try fm.moveItem(at: output, to: aside)
            } catch where attempt < 20 && !fm.fileExists(atPath: output.path) {
                continue  // someone else moved it first
            }
            do {
                try fm.moveItem(at: staging, to: output)
                try? fm.removeItem(at: aside)
                return
            } catch where attempt < 20 && fm.fileExists(atPath: output.path) {
                try? fm.removeItem(at: aside)
                continue
            } catch {
                try? fm.moveItem(at: aside, to: output)
                throw error
            }
        }
    }

    /// Repairs what a build killed mid-swap left beside `output`: when `output` is missing, the
    /// newest old copy of a dead build is put back; every other staging or old copy of a dead
    /// build is removed. Copies of builds still running are left alone.
    static func recoverAndSweep(at output: URL) {
        let fm = FileManager.default
        let parent = output.deletingLastPathComponent()
        let name = output.lastPathComponent
        var stale: [(path: URL, old: Bool, modified: Date)] = []
        for entry in (try? fm.contentsOfDirectory(atPath: parent.path)) ?? [] {
            for (marker, old) in [(".\(name).staging-", false), (".\(name).old-", true)] where entry.hasPrefix(marker) {
                let rest = entry.dropFirst(marker.count)
                guard let dash = rest.firstIndex(of: "-"), let pid = Int32(rest[..<dash]), TemporaryFiles.isGone(pid) else { continue }
                let url = parent.appendingPathComponent(entry)
                let modified = (try? fm.attributesOfItem(atPath: url.path)[.modificationDate] as? Date) ?? .distantPast
                stale.append((url, old, modified))
            }
        }
        if !fm.fileExists(atPath: output.path),
           let newest = stale.filter(\.old).max(by: { $0.modified < $1.modified }),
           (try? fm.moveItem(at: newest.path, to: output)) != nil {
            stale.removeAll { $0.path == newest.path }
        }
        for item in stale { try? fm.removeItem(at: item.path) }
    }
}
