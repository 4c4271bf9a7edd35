import Crypto
import Foundation

/// The book as one EPUB 3 file, from the same rendered pages as the site.
///
/// Layout of the archive (OCF): `mimetype` first and stored, `META-INF/container.xml`, and
/// everything else under `OEBPS/` — the package document, the navigation document, a title
/// page, one XHTML content document per chapter (same base name as its HTML page, so the
/// pages' relative figure paths stay valid), the figures they show (light variants only), a
/// reader stylesheet and the math font. Formulas are MathML already, which EPUB 3 reads
/// natively (`properties="mathml"`). No NCX: EPUB 3 readers use the navigation document.
///
/// The bytes depend only on the book: entries in a fixed order, a fixed ZIP timestamp, and
/// `dcterms:modified` from `book.yml`'s `date`, or `SOURCE_DATE_EPOCH`, or else 1970-01-01.
enum EPUBWriter {
    struct Metadata: Equatable {
        var title: String
        var subtitle: String?
        var author: String?
        var language: String
        var identifier: String
        /// `YYYY-MM-DDThh:mm:ssZ`.
        var modified: String
        /// `YYYY-MM-DD` or `YYYY`, when the book gives one.
        var date: String?
        /// Absolute path of the cover image, when configured.
        var cover: String?
    }

    static func metadata(_ book: BookConfig, environment: [String: String] = ProcessInfo.processInfo.environment) -> Metadata {
        let identifier = book.identifier ?? {
            // A stable UUID from the title and author (name-based, version 5 layout).
            var bytes = Array(Insecure.SHA1.hash(data: Data("litopt-book\u{0}\(book.title)\u{0}\(book.author ?? "")".utf8)).prefix(16))
            bytes[6] = (bytes[6] & 0x0F) | 0x50
            bytes[8] = (bytes[8] & 0x3F) | 0x80
            let hex = bytes.map { String(format: "%02x", $0) }.joined()
            let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
            return "urn:uuid:" + parts.joined(separator: "-")
        }()
        var modified = "1970-01-01T00:00:00Z"
        if let epoch = environment["SOURCE_DATE_EPOCH"].flatMap(TimeInterval.init) {
            let formatter = ISO8601DateFormatter()
            formatter.timeZone = TimeZone(identifier: "UTC")
            modified = formatter.string(from: Date(timeIntervalSince1970: epoch))
        } else if let date = book.date, date.count == 10 {
            modified = date + "T00:00:00Z"
        } else if let date = book.date, date.count == 4 {
            modified = date + "-01-01T00:00:00Z"
        }
        return Metadata(title: book.title, subtitle: book.subtitle, author: book.author, language: book.language ?? "en",
                        identifier: identifier, modified: modified, date: book.date, cover: book.cover)
    }

    /// The archive's bytes.
    static func archive(metadata: Metadata, pages: [Page]) throws(BuildFailure) -> Data {
        var zip = ZIPWriter()
        var manifest: [(id: String, href: String, type: String, properties: String?)] = []
        var spine: [String] = []
        var files: [(String, Data)] = []
        let chapterFiles = Dictionary(uniqueKeysWithValues: pages.map { ($0.chapter.pageName, xhtmlName($0.chapter)) })
        var figures: [String: String] = [:]  // destination → source
        for page in pages { for asset in page.assets { figures[asset.destination] = asset.source } }
        var used: Set<String> = []

        // Title page.
        files.append(("OEBPS/title.xhtml", Data(titlePage(metadata).utf8)))
        manifest.append(("title", "title.xhtml", "application/xhtml+xml", nil))
        spine.append("title")

        // Chapters.
        for (n, page) in pages.enumerated() {
            var converter = XHTMLConverter()
            converter.unwrapElements = ["picture"]
            converter.dropVoidElements = ["source"]
            converter.dropAttributes = ["loading"]
            converter.rewriteURL = { url in rewrite(url, chapterFiles: chapterFiles) }
            let body = converter.convert(page.content)
            for source in converter.sources where figures[source] != nil { used.insert(source) }
            let name = xhtmlName(page.chapter)
            let document = contentDocument(title: page.title, language: metadata.language, body: body)
            files.append(("OEBPS/" + name, Data(document.utf8)))
            var properties: [String] = []
            if body.contains("<math") { properties.append("mathml") }
            if body.contains("<svg") { properties.append("svg") }
            let id = "chapter-\(n + 1)"
            manifest.append((id, name, "application/xhtml+xml", properties.isEmpty ? nil : properties.joined(separator: " ")))
            spine.append(id)
        }

        // Navigation.
        files.append(("OEBPS/nav.xhtml", Data(navigation(metadata, pages: pages).utf8)))
        manifest.append(("nav", "nav.xhtml", "application/xhtml+xml", "nav"))

        // Style, font, figures, cover.
        files.append(("OEBPS/style.css", Data(stylesheet.utf8)))
        manifest.append(("css", "style.css", "text/css", nil))
        if let font = FileManager.default.contents(atPath: Theme.mathFontSource) {
            files.append(("OEBPS/math.otf", font))
            manifest.append(("math-font", "math.otf", "font/otf", nil))
        }
        for (k, destination) in used.sorted().enumerated() {
            guard let type = mediaType(destination) else { continue }
            guard let bytes = FileManager.default.contents(atPath: figures[destination]!) else {
                throw BuildFailure([Diagnostic(file: figures[destination]!, message: "cannot read a figure for the EPUB")])
            }
            files.append(("OEBPS/" + destination, bytes))
            manifest.append(("figure-\(k + 1)", destination, type, nil))
        }
        if let cover = metadata.cover {
            guard let type = mediaType(cover), let bytes = FileManager.default.contents(atPath: cover) else {
                throw BuildFailure([Diagnostic(file: "book.yml", message: "cover '\(cover)' is not a readable PNG, JPEG or SVG image")])
            }
            let name = "cover." + (cover as NSString).pathExtension.lowercased()
            files.append(("OEBPS/" + name, bytes))
            manifest.append(("cover-image", name, type, "cover-image"))
        }

        let package = packageDocument(metadata, manifest: manifest, spine: spine)
        do throws(ZIPWriter.Failure) {
            try zip.add("mimetype", Data("application/epub+zip".utf8))
            try zip.add("META-INF/container.xml", Data(container.utf8))
            try zip.add("OEBPS/content.opf", Data(package.utf8))
            for (path, data) in files { try zip.add(path, data) }
        } catch {
            throw BuildFailure([Diagnostic(file: "book.epub", message: "cannot assemble the EPUB: \(error)")])
        }
        return zip.finished()
    }

    static func xhtmlName(_ chapter: Chapter) -> String { chapter.fileStem + ".xhtml" }

    /// `02-sam.html#x` → `02-sam.xhtml#x`; `index.html` → the title page; others unchanged.
    static func rewrite(_ url: String, chapterFiles: [String: String]) -> String {
        if url.contains(":") || url.hasPrefix("/") || url.hasPrefix("#") { return url }
        let (path, fragment) = url.firstIndex(of: "#").map { (String(url[..<$0]), String(url[$0...])) } ?? (url, "")
        if path == "index.html" { return "title.xhtml" + fragment }
        if let file = chapterFiles[path] { return file + fragment }
        return url
    }

    static func mediaType(_ path: String) -> String? {
        switch (path as NSString).pathExtension.lowercased() {
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "svg": "image/svg+xml"
        case "gif": "image/gif"
        case "webp": "image/webp"
        default: nil
        }
    }

    static func x(_ text: String) -> String { XHTMLConverter.escapeAttribute(text) }

    static let container = """
        <?xml version="1.0" encoding="UTF-8"?>
        <container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
          <rootfiles>
            <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
          </rootfiles>
        </container>

        """

    static func packageDocument(_ m: Metadata, manifest: [(id: String, href: String, type: String, properties: String?)], spine: [String]) -> String {
        var opf = """
            <?xml version="1.0" encoding="UTF-8"?>
            <package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="pub-id" xml:lang="\(x(m.language))">
              <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
                <dc:identifier id="pub-id">\(x(m.identifier))</dc:identifier>
                <dc:title>\(x(m.title))</dc:title>
                <dc:language>\(x(m.language))</dc:language>

            """
        if let subtitle = m.subtitle { opf += "    <dc:description>\(x(subtitle))</dc:description>\n" }
        if let author = m.author { opf += "    <dc:creator>\(x(author))</dc:creator>\n" }
        if let date = m.date { opf += "    <dc:date>\(x(date))</dc:date>\n" }
        opf += "    <meta property=\"dcterms:modified\">\(m.modified)</meta>\n  </metadata>\n  <manifest>\n"
        for item in manifest {
            let properties = item.properties.map { " properties=\"\($0)\"" } ?? ""
            opf += "    <item id=\"\(item.id)\" href=\"\(x(item.href))\" media-type=\"\(item.type)\"\(properties)/>\n"
        }
        opf += "  </manifest>\n  <spine>\n"
        for id in spine { opf += "    <itemref idref=\"\(id)\"/>\n" }
        opf += "  </spine>\n</package>\n"
        return opf
    }

    static func contentDocument(title: String, language: String, body: String, extraHead: String = "") -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="\(x(language))" lang="\(x(language))">
        <head>
        <meta charset="utf-8"/>
        <title>\(x(title))</title>
        <link rel="stylesheet" type="text/css" href="style.css"/>\(extraHead)
        </head>
        <body>
        <section epub:type="chapter">
        \(body)
        </section>
        </body>
        </html>

        """
    }

    static func titlePage(_ m: Metadata) -> String {
        var body = "<h1 class=\"book-title\">\(x(m.title))</h1>\n"
        if let subtitle = m.subtitle { body += "<p class=\"book-subtitle\">\(x(subtitle))</p>\n" }
        if let author = m.author { body += "<p class=\"book-author\">\(x(author))</p>\n" }
        return contentDocument(title: m.title, language: m.language, body: body)
            .replacingOccurrences(of: "<section epub:type=\"chapter\">", with: "<section epub:type=\"titlepage\" class=\"titlepage\">")
    }

    static func navigation(_ m: Metadata, pages: [Page]) -> String {
        var list = "<nav epub:type=\"toc\" id=\"toc\">\n<h1>Contents</h1>\n<ol>\n"
        for page in pages {
            let number = page.chapter.displayNumber
            let label = (number.isEmpty ? "" : number + " ") + page.title
            list += "<li><a href=\"\(x(xhtmlName(page.chapter)))\">\(x(label))</a>"
            let sections = page.sections.filter { $0.level == 2 }
            if !sections.isEmpty {
                list += "\n<ol>\n"
                for section in sections {
                    let title = (section.number.map { $0 + " " } ?? "") + section.title
                    list += "<li><a href=\"\(x(xhtmlName(page.chapter)))#\(x(section.id))\">\(x(title))</a></li>\n"
                }
                list += "</ol>\n"
            }
            list += "</li>\n"
        }
        list += "</ol>\n</nav>\n"
        list += "<nav epub:type=\"landmarks\" id=\"landmarks\" hidden=\"hidden\">\n<ol>\n"
        list += "<li><a epub:type=\"titlepage\" href=\"title.xhtml\">Title page</a></li>\n"
        if let first = pages.first { list += "<li><a epub:type=\"bodymatter\" href=\"\(x(xhtmlName(first.chapter)))\">Start</a></li>\n" }
        list += "</ol>\n</nav>"
        return contentDocument(title: "Contents", language: m.language, body: list)
            .replacingOccurrences(of: "<section epub:type=\"chapter\">\n", with: "")
            .replacingOccurrences(of: "\n</section>\n</body>", with: "\n</body>")
    }

    /// For reading systems: the site's typography without its layout (no sidebar, no
    /// scripts), figures at most the screen's width, code that wraps.
    static let stylesheet = """
        @font-face { font-family: "litopt math"; src: url("math.otf"); }
        body { font-family: serif; line-height: 1.45; margin: 0 0.5em; }
        math { font-family: "litopt math", math; }
        math[display="block"] { display: block; margin: 0.6em 0; overflow-x: auto; }
        h1, h2, h3, h4 { font-family: sans-serif; line-height: 1.2; page-break-after: avoid; }
        h1 .chapter-number { display: block; font-size: 0.6em; font-weight: normal; text-transform: uppercase; letter-spacing: 0.05em; }
        a.anchor { color: inherit; text-decoration: none; }
        .section-number { margin-right: 0.3em; }
        pre { white-space: pre-wrap; word-wrap: break-word; font-size: 0.8em; background: #f5f5f2; padding: 0.5em; border-radius: 3px; }
        code, samp { font-family: monospace; font-size: 0.9em; }
        pre code, pre samp { font-size: 1em; }
        .cell-output, .cell-value { background: #fff; border-left: 3px solid #ccc; }
        .cell-error { border-left: 3px solid #b00; }
        figure { margin: 1em 0; page-break-inside: avoid; text-align: center; }
        figure img, p img { max-width: 100%; height: auto; }
        figcaption { font-size: 0.9em; text-align: left; }
        .figure-number { font-weight: bold; margin-right: 0.3em; }
        table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.85em; }
        th, td { border-bottom: 1px solid #ccc; padding: 0.2em 0.5em; text-align: left; }
        .callout { border: 1px solid #ccc; border-left: 4px solid #666; padding: 0.2em 0.8em; margin: 1em 0; }
        .callout-title, .callout summary { font-weight: bold; }
        .equation { margin: 0.8em 0; }
        .titlepage { text-align: center; margin-top: 30%; }
        .book-subtitle { font-size: 1.2em; font-style: italic; }
        .book-author { margin-top: 2em; }
        """
}
