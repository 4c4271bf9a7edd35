import Foundation

/// The book as one print-ready PDF: a single XHTML document (title page, contents, every
/// chapter on a new page, figures in their light variants, formulas as MathML set in the
/// book's math font) printed by headless Chromium. No LaTeX: the same MathML the site shows.
///
/// Element ids are prefixed with their chapter (`02-sam--fig-1`) so that ids repeated across
/// chapters stay distinct and cross-references between chapters become links inside the PDF.
/// Chromium stamps the print time into the file; those dates are replaced by the book's own
/// (`dcterms:modified` of the EPUB), so the same book and the same Chromium give the same bytes.
enum PDFWriter {
    /// `pageNumbers`: the PDF page each chapter starts on, by file stem (from a first print),
    /// written into the contents after each title.
    static func document(metadata m: EPUBWriter.Metadata, pages: [Page], root: String,
                         pageNumbers: [String: Int] = [:]) -> (xhtml: String, sources: [String]) {
        let stems = Dictionary(uniqueKeysWithValues: pages.map { ($0.chapter.pageName, $0.chapter.fileStem) })
        var sources: [String] = []
        var body = "<section class=\"titlepage\"><h1 class=\"book-title\">\(EPUBWriter.x(m.title))</h1>\n"
        if let subtitle = m.subtitle { body += "<p class=\"book-subtitle\">\(EPUBWriter.x(subtitle))</p>\n" }
        if let author = m.author { body += "<p class=\"book-author\">\(EPUBWriter.x(author))</p>\n" }
        body += "</section>\n<nav class=\"contents\"><h1>Contents</h1>\n<ol>\n"
        for page in pages {
            let number = page.chapter.displayNumber
            if let part = page.chapter.frontMatter.part { body += "<li class=\"part\">\(EPUBWriter.x(part))</li>\n" }
            let pageNumber = pageNumbers[page.chapter.fileStem].map { "<span class=\"page\">\($0)</span>" } ?? ""
            body += "<li><a href=\"#\(page.chapter.fileStem)\">\(number.isEmpty ? "" : "<span class=\"n\">\(EPUBWriter.x(number))</span> ")\(EPUBWriter.x(page.title))\(pageNumber)</a></li>\n"
        }
        body += "</ol>\n</nav>\n"
        for page in pages {
            let stem = page.chapter.fileStem
            var converter = XHTMLConverter()
            converter.unwrapElements = ["picture"]
            converter.dropVoidElements = ["source"]
            converter.dropAttributes = ["loading"]
            converter.rewriteID = { "\(stem)--\($0)" }
            converter.addAttributes = ["details": [("open", "open")]]
            converter.rewriteURL = { url in
                if url.hasPrefix("#") { return "#\(stem)--" + url.dropFirst() }
                if url.contains(":") || url.hasPrefix("/") { return url }
                let (path, fragment) = url.firstIndex(of: "#").map { (String(url[..<$0]), String(url[url.index(after: $0)...])) } ?? (url, "")
                if path == "index.html" { return "#contents" }
                if let target = stems[path] { return fragment.isEmpty ? "#\(target)" : "#\(target)--\(fragment)" }
                return url
            }
            let html = converter.convert(page.content)
            sources += converter.sources
            body += "<section class=\"chapter\" id=\"\(stem)\">\n\(html)\n</section>\n"
        }
        let xhtml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE html>
            <html xmlns="http://www.w3.org/1999/xhtml" xml:lang="\(EPUBWriter.x(m.language))" lang="\(EPUBWriter.x(m.language))">
            <head>
            <meta charset="utf-8"/>
            <title>\(EPUBWriter.x(m.title))</title>
            <style>
            @font-face { font-family: "litopt math"; src: url("file://\(Theme.mathFontSource)"); }
            \(stylesheet)
            </style>
            </head>
            <body>
            \(body)
            </body>
            </html>

            """
        return (xhtml, sources)
    }

    /// Chromium (or Chrome) on the PATH, or nil.
    static func findChromium(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let explicit = environment["LITOPT_CHROMIUM"], FileManager.default.isExecutableFile(atPath: explicit) { return explicit }
        let path = environment["PATH"] ?? "/usr/bin:/bin"
        for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
            for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
                return "\(dir)/\(name)"
            }
        }
        return nil
    }

    /// Prints the book; the PDF's bytes.
    static func render(metadata: EPUBWriter.Metadata, pages: [Page], timeout: TimeInterval = 300) throws(BuildFailure) -> Data {
        func failure(_ message: String) -> BuildFailure { BuildFailure([Diagnostic(file: "book.pdf", message: message)]) }
        guard let chromium = findChromium() else {
            throw failure("PDF output needs Chromium, which was not found on the PATH (Debian: apt-get install chromium; or set LITOPT_CHROMIUM)")
        }
        let fm = FileManager.default
        let work = TemporaryFiles.newFolder()
        defer { try? fm.removeItem(atPath: work) }
        var figures: [String: String] = [:]
        for page in pages { for asset in page.assets { figures[asset.destination] = asset.source } }
        let (xhtml, sources) = document(metadata: metadata, pages: pages, root: work)
        do {
            try fm.createDirectory(atPath: work + "/profile", withIntermediateDirectories: true)
            for source in Set(sources) {
                guard let file = figures[source] else { continue }
                let destination = work + "/" + source
                try fm.createDirectory(atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try fm.copyItem(atPath: file, toPath: destination)
            }
        } catch {
            throw failure("cannot prepare the print document: \(error.localizedDescription)")
        }
        var pdf = try print(xhtml, chromium: chromium, work: work, timeout: timeout, failure: failure)
        // Chromium has no CSS target-counter: read each chapter's first page back from this
        // print (pdftotext, poppler-utils) and print again with the numbers in the contents.
        if let numbers = chapterPages(pdf, pages: pages, work: work), !numbers.isEmpty {
            let numbered = document(metadata: metadata, pages: pages, root: work, pageNumbers: numbers).xhtml
            pdf = try print(numbered, chromium: chromium, work: work, timeout: timeout, failure: failure)
        }
        pdf = fixDates(pdf, modified: metadata.modified)
        return pdf
    }

    /// One Chromium print of `xhtml`; the PDF's bytes.
    static func print(_ xhtml: String, chromium: String, work: String, timeout: TimeInterval,
                      failure: (String) -> BuildFailure) throws(BuildFailure) -> Data {
        let fm = FileManager.default
        do {
            try Data(xhtml.utf8).write(to: URL(fileURLWithPath: work + "/book.xhtml"))
            if fm.fileExists(atPath: work + "/book.pdf") { try fm.removeItem(atPath: work + "/book.pdf") }
        } catch {
            throw failure("cannot prepare the print document: \(error.localizedDescription)")
        }
        let arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                         "--disable-background-networking", "--disable-crash-reporter", "--user-data-dir=\(work)/profile",
                         "--no-pdf-header-footer", "--generate-pdf-document-outline", "--run-all-compositor-stages-before-draw",
                         "--print-to-pdf=\(work)/book.pdf", "file://\(work)/book.xhtml"]
        var environment = ProcessRunner.environment(work: work)
        environment["HOME"] = work + "/profile"  // Chromium writes its own files under HOME too
        let result: ProcessRunner.Result
        do {
            result = try ProcessRunner.run(chromium, arguments, environment: environment, directory: work, timeout: timeout)
        } catch {
            throw failure("cannot start \(chromium): \(error.localizedDescription)")
        }
        guard result.status == 0, !result.signaled, !result.timedOut, let pdf = fm.contents(atPath: work + "/book.pdf"),
              pdf.starts(with: Data("%PDF".utf8)) else {
            let tail = String(result.output.suffix(2000))
            throw failure(result.timedOut ? "Chromium did not print the book within \(Int(timeout)) s"
                          : "Chromium did not print the book (exit status \(result.status)): \(tail)")
        }
        return pdf
    }

    /// The page each chapter starts on, by file stem, read from a print with `pdftotext`
    /// (nil when it is not installed): the first page after the contents whose text begins
    /// with the chapter's title. Chapters start on a new page.
    static func chapterPages(_ pdf: Data, pages: [Page], work: String) -> [String: Int]? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        guard let tool = path.split(separator: ":").map({ "\($0)/pdftotext" }).first(where: FileManager.default.isExecutableFile) else {
            return nil
        }
        let file = work + "/first.pdf"
        guard FileManager.default.createFile(atPath: file, contents: pdf),
              let result = try? ProcessRunner.run(tool, ["-enc", "UTF-8", file, work + "/first.txt"],
                                                  environment: ProcessRunner.environment(work: work),
                                                  timeout: 60),
              result.status == 0, let text = FileManager.default.contents(atPath: work + "/first.txt") else { return nil }
        func squeeze(_ s: String) -> String { s.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        let printed = String(decoding: text, as: UTF8.self).components(separatedBy: "\u{0C}").map(squeeze)
        // The contents page(s): up to the first page holding the last chapter's contents entry.
        var numbers: [String: Int] = [:]
        var next = 2  // page 1 is the title page
        for page in pages {
            let title = squeeze(page.title)
            guard !title.isEmpty else { continue }
            // A chapter's own page carries its number label and title near the top.
            if let found = (next..<printed.count).first(where: { i in
                let head = String(printed[i].prefix(400))
                return head.contains(title) && !head.hasPrefix("Contents")
            }) {
                numbers[page.chapter.fileStem] = found + 1
                next = found + 1
            }
        }
        return numbers
    }

    /// Replaces every `(D:YYYYMMDDHHmmSS…)` date Chromium wrote with the book's date, keeping
    /// each string's length so that the cross-reference offsets stay right.
    static func fixDates(_ pdf: Data, modified: String) -> Data {
        let digits = modified.filter(\.isNumber)  // YYYYMMDDhhmmss
        let stamp = Array(("D:" + digits.prefix(14)).utf8)
        var bytes = [UInt8](pdf)
        let open = Array("(D:".utf8)
        var i = 0
        while i + 17 < bytes.count {
            if bytes[i] == open[0], bytes[i + 1] == open[1], bytes[i + 2] == open[2],
               (i + 3..<i + 17).allSatisfy({ bytes[$0] >= 0x30 && bytes[$0] <= 0x39 }) {
                guard let close = bytes[(i + 1)...].prefix(40).firstIndex(of: UInt8(ascii: ")")) else { i += 1; continue }
                // Same length: D:YYYYMMDDHHmmSS, then UTC written as the original wrote its zone.
                let length = close - (i + 1)
                let zone: [UInt8]? = switch length - stamp.count {
                case 0: []
                case 1: Array("Z".utf8)
                case 7: Array("+00'00'".utf8)
                default: nil
                }
                if let zone { bytes.replaceSubrange((i + 1)..<close, with: stamp + zone) }
                i = close
                continue
            }
            i += 1
        }
        return Data(bytes)
    }

    static let stylesheet = """
        @page { size: A4; margin: 20mm 18mm 22mm; @bottom-center { content: counter(page); font: 9pt "DejaVu Sans", sans-serif; color: #555; } }
        @page :first { @bottom-center { content: none; } }
        html { font-size: 10.5pt; }
        body { font-family: "TeX Gyre Pagella", "DejaVu Serif", serif; line-height: 1.42; color: #111; margin: 0; }
        math { font-family: "litopt math", math; }
        .titlepage { text-align: center; padding-top: 30%; break-after: page; }
        .book-title { font-size: 2.4em; border: none; }
        .book-subtitle { font-size: 1.3em; font-style: italic; }
        .book-author { margin-top: 3em; font-size: 1.1em; }
        nav.contents { break-after: page; }
        nav.contents ol { list-style: none; padding: 0; }
        nav.contents li { margin: 0.3em 0; }
        nav.contents li.part { margin-top: 1em; font-weight: bold; font-family: "DejaVu Sans", sans-serif; font-size: 0.85em; text-transform: uppercase; }
        nav.contents a { color: inherit; text-decoration: none; }
        nav.contents .n { display: inline-block; min-width: 2em; }
        nav.contents a { display: flex; }
        nav.contents .page { margin-left: auto; padding-left: 1em; font-variant-numeric: tabular-nums; }
        section.chapter { break-before: page; }
        h1, h2, h3, h4 { font-family: "DejaVu Sans", sans-serif; line-height: 1.2; break-after: avoid; }
        h1 { font-size: 1.9em; }
        h1 .chapter-number { display: block; font-size: 0.5em; font-weight: normal; text-transform: uppercase; letter-spacing: 0.06em; color: #555; }
        h2 { font-size: 1.35em; margin-top: 1.4em; }
        h3 { font-size: 1.1em; }
        a { color: #1a4f8b; text-decoration: none; }
        a.anchor { color: inherit; }
        .section-number { margin-right: 0.35em; }
        p { orphans: 3; widows: 3; }
        pre { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 0.78em; background: #f6f6f3; padding: 0.45em 0.6em; border-radius: 3px; break-inside: avoid; }
        code, samp { font-family: "DejaVu Sans Mono", monospace; font-size: 0.88em; }
        pre code, pre samp { font-size: 1em; }
        .cell-output, .cell-value { background: #fff; border-left: 2px solid #bbb; }
        .cell-error { border-left: 2px solid #b00; }
        summary { list-style: none; font-weight: bold; }
        summary::-webkit-details-marker { display: none; }
        figure { margin: 1em 0; break-inside: avoid; text-align: center; }
        figure img, p img { max-width: 100%; height: auto; }
        figcaption { font-size: 0.88em; text-align: left; margin-top: 0.3em; }
        .figure-number { font-weight: bold; margin-right: 0.3em; }
        .table-wrap { break-inside: avoid; }
        table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.82em; }
        th, td { border-bottom: 1px solid #ccc; padding: 0.15em 0.5em; text-align: left; }
        .callout { border: 1px solid #ccc; border-left: 3px solid #666; padding: 0.1em 0.8em; margin: 1em 0; break-inside: avoid; display: block; }
        .callout-title { font-weight: bold; }
        .equation { margin: 0.7em 0; }
        """
}
