import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import BookBuilder

@Suite struct ZIPWriterTests {
    @Test func crc32MatchesTheStandardCheckValue() {
        // The CRC-32 check value of the ASCII digits 1…9 (ISO 3309 / ITU-T V.42).
        #expect(CRC32.checksum(Data("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum(Data()) == 0)
    }

    @Test func storedEntriesAreLaidOutAsTheZIPFormatSays() throws {
        var zip = ZIPWriter()
        try zip.add("mimetype", Data("application/epub+zip".utf8))
        try zip.add("a/b.txt", Data("hello".utf8))
        let bytes = [UInt8](zip.finished())
        // Local header signature, then at byte 30 the name and at 38 the stored contents: what
        // EPUB readers check to recognize the format without unzipping.
        #expect(Array(bytes[0..<4]) == [0x50, 0x4b, 0x03, 0x04])
        #expect(String(decoding: bytes[30..<58], as: UTF8.self) == "mimetypeapplication/epub+zip")
        #expect(bytes[8] == 0 && bytes[9] == 0)  // method: stored
        #expect(bytes[28] == 0 && bytes[29] == 0)  // no extra field
        // End of central directory: two entries.
        let end = bytes.count - 22
        #expect(Array(bytes[end..<end + 4]) == [0x50, 0x4b, 0x05, 0x06])
        #expect(bytes[end + 10] == 2)
        #expect(throws: ZIPWriter.Failure.duplicate("a/b.txt")) { try zip.add("a/b.txt", Data()) }
    }

    @Test func anIndependentUnzipReadsTheArchiveBack() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unzip") else { return }
        var zip = ZIPWriter()
        let payload = Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try zip.add("mimetype", Data("application/epub+zip".utf8))
        try zip.add("dir/data.bin", payload)
        try zip.add("ünïcode.txt", Data("λ".utf8))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("litopt-zip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try zip.finished().write(to: folder.appendingPathComponent("t.zip"))
        let test = try runProgram("/usr/bin/unzip", ["-t", "t.zip"], in: folder.path)
        #expect(test.status == 0, "\(test.output)")
        #expect(test.output.contains("No errors detected"))
        _ = try runProgram("/usr/bin/unzip", ["-q", "t.zip", "-d", "out"], in: folder.path)
        #expect(FileManager.default.contents(atPath: folder.path + "/out/dir/data.bin") == payload)
        #expect(FileManager.default.contents(atPath: folder.path + "/out/ünïcode.txt") == Data("λ".utf8))
    }
}

@Suite struct XHTMLConverterTests {
    func convert(_ html: String, _ configure: (inout XHTMLConverter) -> Void = { _ in }) -> String {
        var converter = XHTMLConverter()
        configure(&converter)
        return converter.convert(html)
    }

    @Test func voidElementsAndBareAttributesBecomeXML() {
        #expect(convert("<p>a<br>b<hr><input type=checkbox disabled checked=\"\"></p>")
                == "<p>a<br/>b<hr/><input type=\"checkbox\" disabled=\"disabled\" checked=\"\"/></p>")
        #expect(convert("<img src='x.png' alt=\"a &amp; b\" loading=\"lazy\">") { $0.dropAttributes = ["loading"] }
                == "<img src=\"x.png\" alt=\"a &amp; b\"/>")
    }

    @Test func characterReferencesBecomeCharacters() {
        #expect(convert("a&nbsp;b &mdash; &#955; &#x3BB; &lt;tag&gt; &unknown; & x")
                == "a\u{A0}b — λ λ &lt;tag&gt; &amp;unknown; &amp; x")
    }

    @Test func scriptsCommentsAndStrayTagsGo() {
        #expect(convert("<!-- note --><p>x<script>alert('<p>')</script>y</p></div><em>open")
                == "<p>xy</p><em>open</em>")
        #expect(convert("<p onclick=\"evil()\" class=\"c\">t</p>") == "<p class=\"c\">t</p>")
        #expect(convert("<div><em>x</div>y") == "<div><em>x</em></div>y")
    }

    @Test func picturesUnwrapToTheirLightImage() {
        let html = "<picture><source srcset=\"d.png\" media=\"(prefers-color-scheme: dark)\"><img src=\"l.png\" alt=\"\"></picture>"
        var converter = XHTMLConverter()
        converter.unwrapElements = ["picture"]
        converter.dropVoidElements = ["source"]
        #expect(converter.convert(html) == "<img src=\"l.png\" alt=\"\"/>")
        #expect(converter.sources == ["l.png"])
    }

    @Test func mathAndSVGGetTheirNamespaces() {
        #expect(convert("<math display=\"block\"><mi>x</mi><mspace width=\"1em\"></mspace></math>")
                == "<math xmlns=\"http://www.w3.org/1998/Math/MathML\" display=\"block\"><mi>x</mi><mspace width=\"1em\"/></math>")
        #expect(convert("<svg viewBox=\"0 0 1 1\"><path d=\"M0 0\"/></svg>")
                == "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"><path d=\"M0 0\"/></svg>")
    }

    /// The EPUB and PDF writers convert a page's tree; that must read exactly as its serialized
    /// HTML does, including an author's raw tags that open in one inline node and close in
    /// another, formulas, scripts removed with their contents, and rewritten links and ids.
    @Test func aPageTreeConvertsAsItsHTMLDoes() throws {
        var chapter = Chapter.fixture
        chapter.body = """
            # Title {#sec-title}

            Text with <span class="mark">raw *emphasis* inside</span> and <kbd>K</kbd>, a link to
            [the next chapter](02-b.md#sec-x "its title"), an [odd](https://x.org/a b?c=1&d='2') URL,
            `code <b>` and $\\alpha_{i} < 1$ & more.

            <details><summary>Why</summary>

            Because $$x^2$$.

            </details>

            <div onclick="evil()"><script>alert('<p>')</script><em>unclosed</div>

            ![A figure](fig.png "t")

            | a | b |
            |---|:-:|
            | <br> | 1 |
            """
        let document = try MarkdownParser.parse(chapter.body, file: chapter.displayPath)
        var renderer = PageRenderer(chapter: chapter, document: document, run: nil)
        renderer.trustHTML = true
        let page = renderer.render()
        func configured() -> XHTMLConverter {
            var converter = XHTMLConverter()
            converter.unwrapElements = ["picture"]
            converter.dropVoidElements = ["source"]
            converter.rewriteID = { "c--" + $0 }
            converter.addAttributes = ["details": [("open", "open")]]
            converter.rewriteURL = { $0.hasPrefix("#") ? "#c--" + $0.dropFirst() : "x/" + $0 }
            return converter
        }
        var fromTree = configured(), fromHTML = configured()
        let tree = fromTree.convert(page.content)
        #expect(tree == fromHTML.convert(page.body))
        #expect(fromTree.sources == fromHTML.sources)
        #expect(fromTree.sources == ["x/fig.png"])
        #expect(tree.contains("<span class=\"mark\">raw <em>emphasis</em> inside</span>"))
        #expect(tree.contains("<details open=\"open\">"))
        #expect(tree.contains("<math xmlns=\"http://www.w3.org/1998/Math/MathML\""))
        #expect(!tree.contains("<script") && !tree.contains("onclick"), "\(tree)")  // tag-filtered, then dropped
        #expect(tree.contains("<br/>"))
    }

    @Test func linksAreRewritten() {
        #expect(convert("<a href=\"02-b.html#x\">b</a>") { $0.rewriteURL = { EPUBWriter.rewrite($0, chapterFiles: ["02-b.html": "02-b.xhtml"]) } }
                == "<a href=\"02-b.xhtml#x\">b</a>")
        #expect(EPUBWriter.rewrite("https://x.org/a.html", chapterFiles: [:]) == "https://x.org/a.html")
        #expect(EPUBWriter.rewrite("index.html", chapterFiles: [:]) == "title.xhtml")
        #expect(EPUBWriter.rewrite("#sec", chapterFiles: [:]) == "#sec")
    }
}

/// Builds fixture books as EPUB for real and reads the archive back with `unzip` and an XML parser.
@Suite(.serialized) struct EPUBBuildTests {
    struct Built {
        let root: String
        var site: String { root + "/Site" }
        var epub: String { site + "/book.epub" }
        func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    func build(_ fixture: String, formats: Set<OutputFormat>, yaml: String? = nil) throws -> Built {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("litopt-epub-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixtures.appendingPathComponent(fixture).path + "/Chapters", toPath: root + "/Chapters")
        if let yaml { try yaml.write(toFile: root + "/Chapters/book.yml", atomically: true, encoding: .utf8) }
        var options = BuildOptions(chapters: root + "/Chapters", output: root + "/Site",
                                   cache: FileManager.default.temporaryDirectory.path + "/litopt-test-cache", jobs: 2, useCache: true)
        options.formats = formats
        _ = try BookBuild.run(options)
        return Built(root: root)
    }

    func unzip(_ epub: String, into folder: String) throws {
        let result = try runProgram("/usr/bin/unzip", ["-q", "-o", epub, "-d", folder], in: "/")
        #expect(result.status == 0, "\(result.output)")
    }

    @Test func theBookIsAValidEPUBWithEveryChapterFigureAndFormula() throws {
        let built = try build("xref", formats: [.html, .epub],
                              yaml: "title: \"Bowls & <ridges>\"\nauthor: A. Author\nlanguage: en-GB\ndate: 2026-12-01\n")
        defer { built.remove() }
        let bytes = try #require(FileManager.default.contents(atPath: built.epub))
        #expect(String(decoding: bytes[30..<58], as: UTF8.self) == "mimetypeapplication/epub+zip")
        #expect(FileManager.default.fileExists(atPath: built.site + "/index.html"))
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unzip") else { return }
        let folder = built.root + "/unzipped"
        try unzip(built.epub, into: folder)
        let opf = try String(contentsOfFile: folder + "/OEBPS/content.opf", encoding: .utf8)
        #expect(opf.contains("<dc:title>Bowls &amp; &lt;ridges&gt;</dc:title>"))
        #expect(opf.contains("<dc:language>en-GB</dc:language>"))
        #expect(opf.contains("<meta property=\"dcterms:modified\">2026-12-01T00:00:00Z</meta>"))
        #expect(opf.contains("properties=\"mathml\""))
        // Every content document is well-formed XML, and every image it shows is in the archive.
        let documents = try FileManager.default.contentsOfDirectory(atPath: folder + "/OEBPS").filter { $0.hasSuffix(".xhtml") }.sorted()
        #expect(documents.contains("01-bowls.xhtml") && documents.contains("nav.xhtml") && documents.contains("title.xhtml"))
        for name in documents {
            let data = try #require(FileManager.default.contents(atPath: folder + "/OEBPS/" + name))
            let document = try XMLDocument(data: data, options: [])
            let images = try document.nodes(forXPath: "//*[local-name()='img']/@src").compactMap(\.stringValue)
            for src in images {
                #expect(FileManager.default.fileExists(atPath: folder + "/OEBPS/" + src), "\(name) shows \(src), which is missing")
                #expect(!src.contains("dark"), "\(name) shows a dark variant")
                #expect(opf.contains("href=\"\(src)\""), "\(src) is not in the manifest")
            }
        }
        let chapter = try String(contentsOfFile: folder + "/OEBPS/01-bowls.xhtml", encoding: .utf8)
        #expect(chapter.contains("<math xmlns=\"http://www.w3.org/1998/Math/MathML\""))
        #expect(chapter.contains("<img "))
        #expect(!chapter.contains("<script") && !chapter.contains("<picture"))
    }

    @Test func epubcheckReportsNoErrors() throws {
        // Debian's epubcheck is a jar (/usr/bin/epubcheck links to it; running it directly
        // needs binfmt support), so it is started through java.
        let jar = "/usr/share/java/epubcheck.jar", java = "/usr/bin/java"
        guard FileManager.default.fileExists(atPath: jar), FileManager.default.isExecutableFile(atPath: java) else { return }
        for fixture in ["xref", "good", "parts"] {
            let built = try build(fixture, formats: [.epub])
            defer { built.remove() }
            let result = try runProgram(java, ["-jar", jar, "--quiet", built.epub], in: built.root)
            #expect(result.status == 0, "epubcheck on \(fixture): \(result.output)")
        }
    }

    @Test func theSameBookGivesTheSameBytesAndEPUBAloneWritesNoPages() throws {
        let first = try build("xref", formats: [.epub])
        defer { first.remove() }
        let second = try build("xref", formats: [.epub])
        defer { second.remove() }
        #expect(FileManager.default.contents(atPath: first.epub) == FileManager.default.contents(atPath: second.epub))
        #expect(try FileManager.default.contentsOfDirectory(atPath: first.site).sorted() == [OutputFolders.siteStamp, "book.epub"])
    }
}

/// Runs a program, returning its exit status and what it printed (stdout and stderr).
func runProgram(_ program: String, _ arguments: [String], in directory: String) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Prints fixture books to PDF with the Chromium on this machine (skipped where there is none)
/// and reads them back with poppler's pdftotext and pdfinfo.
@Suite(.serialized) struct PDFBuildTests {
    @Test func theBookPrintsWithItsChaptersFiguresAndFormulas() throws {
        guard PDFWriter.findChromium() != nil, FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext") else { return }
        let tests = EPUBBuildTests()
        let built = try tests.build("xref", formats: [.pdf], yaml: "title: Bowls\nauthor: A. Author\ndate: 2026-12-01\n")
        defer { built.remove() }
        let pdf = built.site + "/book.pdf"
        let bytes = try #require(FileManager.default.contents(atPath: pdf))
        #expect(bytes.starts(with: Data("%PDF".utf8)))
        let text = try runProgram("/usr/bin/pdftotext", ["-layout", pdf, "-"], in: built.root)
        #expect(text.status == 0)
        #expect(text.output.contains("Bowls"))
        #expect(text.output.contains("Contents"))
        #expect(text.output.contains("Figure 1.1"), "\(text.output.prefix(3000))")
        let info = try runProgram("/usr/bin/pdfinfo", [pdf], in: built.root)
        let pageLine = info.output.split(separator: "\n").first { $0.hasPrefix("Pages:") }
        let pageCount = pageLine.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
        #expect(pageCount >= 3, "\(info.output)")  // title page, contents, at least one chapter
        // Chromium's print time is replaced by the book's date.
        #expect(!String(decoding: bytes, as: UTF8.self).contains("(D:\(Self.today())"))
        #expect(info.output.contains("2026"), "\(info.output)")
        // The contents give each chapter's page, and that page begins the chapter.
        let pages = text.output.components(separatedBy: "\u{0C}")
        let contents = try #require(pages.first { $0.contains("Contents") })
        for title in ["Bowls", "Elsewhere"] {
            let line = try #require(contents.split(separator: "\n").first { $0.contains(title) && !$0.contains("Contents") })
            let number = try #require(Int(line.split(separator: " ").last ?? ""), "\(line)")
            #expect(number >= 3 && number <= pages.count)
            #expect(pages[number - 1].contains("CHAPTER") && pages[number - 1].contains(title), "page \(number) begins \(title)")
        }
        // The same book prints to the same bytes.
        let again = try tests.build("xref", formats: [.pdf], yaml: "title: Bowls\nauthor: A. Author\ndate: 2026-12-01\n")
        defer { again.remove() }
        #expect(FileManager.default.contents(atPath: again.site + "/book.pdf") == bytes, "byte-identical PDF")
    }

    @Test func datesChromiumWritesAreReplacedKeepingTheirLength() {
        let original = Data("1 0 obj << /CreationDate (D:20261203075501+00'00') /ModDate (D:20261203075501+00'00') >>".utf8)
        let fixed = PDFWriter.fixDates(original, modified: "2026-12-01T00:00:00Z")
        #expect(fixed.count == original.count)
        #expect(String(decoding: fixed, as: UTF8.self)
                == "1 0 obj << /CreationDate (D:20261201000000+00'00') /ModDate (D:20261201000000+00'00') >>")
    }

    static func today() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }
}
