import Foundation

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
        let staging = parent.appendingPathComponent(".\(outputURL.lastPathComponent).staging-\(UUID().uuidString)")
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
            defer { try? fm.removeItem(at: staging) }

            func put(_ text: String, _ name: String) throws {
                let url = staging.appendingPathComponent(name)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            }
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
            let site = Theme.Site(book: book, pages: pages, sections: pages.map(ChapterSections.init), searchShards: shards.count)
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

    /// Replaces `output` by `staging` with two renames; the old site is removed last.
    static func swapIn(_ staging: URL, at output: URL) throws {
        let fm = FileManager.default
        // Another build may swap its own site in between our two renames; then the second
        // rename finds the folder taken, and we simply try again (the last build wins whole).
        var attempt = 0
        while true {
            attempt += 1
            var old: URL?
            if fm.fileExists(atPath: output.path) {
                let aside = output.deletingLastPathComponent()
                    .appendingPathComponent(".\(output.lastPathComponent).old-\(UUID().uuidString)")
                do {
                    try fm.moveItem(at: output, to: aside)
                    old = aside
                } catch where attempt < 20 && !fm.fileExists(atPath: output.path) {
                    continue  // someone else moved it first
                }
            }
            do {
                try fm.moveItem(at: staging, to: output)
                if let old { try? fm.removeItem(at: old) }
                return
            } catch where attempt < 20 && fm.fileExists(atPath: output.path) {
                if let old { try? fm.removeItem(at: old) }
                continue
            } catch {
                if let old { try? fm.moveItem(at: old, to: output) }
                throw error
            }
        }
    }
}
