import Foundation
import Yams

/// Stage 1: reads `book.yml` and every `NN-slug.md` of a chapters folder.
public enum BookLoader {
    public static func load(chaptersDirectory: String, displayDirectory: String) throws(BuildFailure) -> Book {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: chaptersDirectory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw BuildFailure([Diagnostic(file: displayDirectory, message: "no chapters folder here")])
        }
        let configPath = (chaptersDirectory as NSString).appendingPathComponent("book.yml")
        let configDisplay = (displayDirectory as NSString).appendingPathComponent("book.yml")
        var config = BookConfig()
        if fm.fileExists(atPath: configPath) {
            config = try parseConfig(readText(configPath, display: configDisplay), display: configDisplay)
        }

        let names: [String]
        if let listed = config.chapters {
            var seen: Set<String> = []
            var problems: [Diagnostic] = []
            for (k, name) in listed.enumerated() {
                let at = k < config.chapterPlaces.count ? config.chapterPlaces[k] : .unknown
                let parts = name.split(separator: "/", omittingEmptySubsequences: false)
                if name.hasPrefix("/") || parts.contains("..") || parts.contains("") || name.hasPrefix("~") {
                    problems.append(Diagnostic(file: configDisplay, line: at.line, column: at.column, message:
                        "chapter '\(name)' must be a path inside the chapters folder (no leading '/', '~' or '..')"))
                } else if !name.hasSuffix(".md") {
                    problems.append(Diagnostic(file: configDisplay, line: at.line, column: at.column,
                                               message: "chapter '\(name)' must be a Markdown file (NN-slug.md)"))
                } else if !seen.insert(OutputFolders.canonical(chaptersDirectory + "/" + name)).inserted {
                    problems.append(Diagnostic(file: configDisplay, line: at.line, column: at.column,
                                               message: "chapter '\(name)' is listed twice"))
                } else if !OutputFolders.within(OutputFolders.canonical(chaptersDirectory + "/" + name),
                                                OutputFolders.canonical(chaptersDirectory)) {
                    problems.append(Diagnostic(file: configDisplay, line: at.line, column: at.column,
                                               message: "chapter '\(name)' leads outside the chapters folder (through a symbolic link)"))
                } else if !fm.fileExists(atPath: chaptersDirectory + "/" + name) {
                    problems.append(Diagnostic(file: configDisplay, line: at.line, column: at.column,
                                               message: "chapter '\(name)' listed in book.yml does not exist"))
                }
            }
            guard problems.isEmpty else { throw BuildFailure(problems) }
            names = listed
        } else {
            let all = (try? fm.contentsOfDirectory(atPath: chaptersDirectory)) ?? []
            names = all.filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") }.sorted()
        }
        var chapters: [Chapter] = []
        var problems: [Diagnostic] = []
        for (index, name) in names.enumerated() {
            let path = (chaptersDirectory as NSString).appendingPathComponent(name)
            let display = (displayDirectory as NSString).appendingPathComponent(name)
            guard fm.fileExists(atPath: path) else {
                problems.append(Diagnostic(file: configDisplay, message: "chapter '\(name)' listed in book.yml does not exist"))
                continue
            }
            do {
                chapters.append(try loadChapter(path: path, display: display, number: index + 1))
            } catch {
                problems.append(contentsOf: error.diagnostics)
            }
        }
        if chapters.isEmpty && problems.isEmpty {
            problems.append(Diagnostic(file: displayDirectory, message: "no chapters (*.md files) found"))
        }
        problems += checkInputs(chapters, project: (chaptersDirectory as NSString).deletingLastPathComponent)
        guard problems.isEmpty else { throw BuildFailure(problems) }
        assignLabels(&chapters)
        return Book(config: config, chapters: chapters)
    }

    /// Every `inputs:` path must name a file inside the project (the chapters folder's
    /// parent), relative to it: an absolute path or one leading out would make the cache key
    /// depend on files elsewhere, and a missing one would be hashed as "missing" unnoticed.
    static func checkInputs(_ chapters: [Chapter], project: String) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        let root = OutputFolders.canonical(project)
        for chapter in chapters where !chapter.frontMatter.inputs.isEmpty {
            let places = chapter.frontMatter.inputPlaces
            for (k, input) in chapter.frontMatter.inputs.enumerated() {
                func problem(_ message: String) {
                    problems.append(Diagnostic(file: chapter.displayPath, at: k < places.count ? places[k] : .unknown, message: message))
                }
                if input.hasPrefix("/") || input.hasPrefix("~") {
                    problem("input '\(input)' must be a path relative to the project folder, not an absolute one")
                } else if !OutputFolders.within(OutputFolders.canonical(project + "/" + input), root) {
                    problem("input '\(input)' lies outside the project folder")
                } else if !FileManager.default.fileExists(atPath: project + "/" + input) {
                    problem("input '\(input)' does not exist (paths are relative to the folder holding the chapters folder)")
                }
            }
        }
        return problems
    }

    /// Numbered chapters count 1, 2, …; appendices are lettered A, B, …; unnumbered chapters get "".
    static func assignLabels(_ chapters: inout [Chapter]) {
        var numbered = 0, appendices = 0
        for i in chapters.indices {
            let front = chapters[i].frontMatter
            if !front.numbered {
                chapters[i].label = ""
            } else if front.appendix {
                chapters[i].label = appendixLetter(appendices)
                appendices += 1
            } else {
                numbered += 1
                chapters[i].label = "\(numbered)"
            }
        }
    }

    /// 0 → "A", 25 → "Z", 26 → "AA".
    static func appendixLetter(_ k: Int) -> String {
        let letter = String(UnicodeScalar(UInt8(65 + k % 26)))
        return k < 26 ? letter : appendixLetter(k / 26 - 1) + letter
    }

    static func readText(_ path: String, display: String) throws(BuildFailure) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BuildFailure([Diagnostic(file: display, message: "cannot read file")])
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            let (line, column) = invalidUTF8Position(data)
            throw BuildFailure([Diagnostic(file: display, line: line, column: column,
                                           message: "file is not valid UTF-8 (the first bad byte is here)")])
        }
        return normalizedLineEndings(text)
    }

    /// CRLF and lone CR line endings read as LF: line endings never change what a file means.
    static func normalizedLineEndings(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "\r")) else { return text }
        return text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    /// 1-based line and column (in characters) of the first byte that is not valid UTF-8.
    static func invalidUTF8Position(_ data: Data) -> (Int, Int) {
        let bytes = [UInt8](data)
        var line = 1, column = 1, i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length = b < 0x80 ? 1 : b >> 5 == 0b110 ? 2 : b >> 4 == 0b1110 ? 3 : b >> 3 == 0b11110 ? 4 : 0
            guard length > 0, i + length <= bytes.count,
                  String(validating: bytes[i..<(i + length)], as: UTF8.self) != nil else { return (line, column) }
            if b == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
            i += length
        }
        return (line, column)
    }

    static func loadChapter(path: String, display: String, number: Int) throws(BuildFailure) -> Chapter {
        let text = try readText(path, display: display)
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let slug = chapterSlug(stem)
        let (yaml, body, offset) = splitFrontMatter(text)
        var frontMatter = FrontMatter()
        if let yaml {
            frontMatter = try parseFrontMatter(yaml, display: display)
        }
        return Chapter(displayPath: display, path: path, slug: slug, number: number, body: body,
                       bodyLineOffset: offset, frontMatter: frontMatter)
    }

    /// `01-loss-landscapes` → `loss-landscapes`.
    static func chapterSlug(_ stem: String) -> String {
        let digits = stem.prefix { $0.isNumber }
        var rest = stem.dropFirst(digits.count)
        if !digits.isEmpty, rest.first == "-" || rest.first == "_" { rest = rest.dropFirst() }
        return rest.isEmpty ? stem : String(rest)
    }

    /// Splits `---\nyaml\n---\nbody` into its parts; `offset` is the number of lines before the body.
    /// Reads only as far as the closing `---` (a chapter is not split into lines for this).
    static func splitFrontMatter(_ text: String) -> (yaml: String?, body: String, offset: Int) {
        func isDelimiter(_ line: Substring) -> Bool { line.trimmingCharacters(in: .whitespaces) == "---" }
        var lineStart = text.startIndex
        var index = 0
        var yamlStart: String.Index?
        while lineStart <= text.endIndex {
            let lineEnd = text[lineStart...].firstIndex(of: "\n") ?? text.endIndex
            let line = text[lineStart..<lineEnd]
            if index == 0 {
                guard isDelimiter(line) else { return (nil, text, 0) }
                yamlStart = lineEnd < text.endIndex ? text.index(after: lineEnd) : text.endIndex
            } else if isDelimiter(line), let yamlStart {
                // The YAML is the lines between the delimiters, without the newline before this one.
                let yaml = lineStart > yamlStart ? String(text[yamlStart..<text.index(before: lineStart)]) : ""
                let body = lineEnd < text.endIndex ? String(text[text.index(after: lineEnd)...]) : ""
                return (yaml, body, index + 1)
            }
            guard lineEnd < text.endIndex else { break }
            lineStart = text.index(after: lineEnd)
            index += 1
        }
        return (nil, text, 0)
    }

    static func parseConfig(_ yaml: String, display: String) throws(BuildFailure) -> BookConfig {
        let file = try YAMLFile<BookFields>(yaml, display: display, lineOffset: 0)
        let fields = file.fields
        var config = BookConfig()
        if let title = try file.text(.title, fields.title) { config.title = title }
        config.subtitle = try file.text(.subtitle, fields.subtitle)
        config.author = try file.text(.author, fields.author)
        config.language = try file.text(.language, fields.language)
        config.identifier = try file.text(.identifier, fields.identifier)
        config.sharedCache = try file.text(.sharedCache, fields.sharedCache)
        if let remote = try file.text(.remoteCache, fields.remoteCache) {
            guard let url = URL(string: remote), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw BuildFailure([file.problem(.remoteCache, "'remote-cache' must be an http:// or https:// URL, not '\(remote)'")])
            }
            config.remoteCache = remote
        }
        if let limit = fields.explorableLimit {
            guard let bytes = ExecutionLimits.parse(limit.text), let bytes else { throw file.failure(.explorableLimit, limit) }
            config.explorableLimit = bytes
        }
        if let trust = try file.flag(.trustHTML, fields.trustHTML) { config.trustHTML = trust }
        if let date = fields.date {
            // An unquoted 2026-12-01 is a YAML timestamp: its day, in UTC.
            var text = date.text
            if date.kind == .timestamp, let day = Date.construct(from: Node.Scalar(date.text)) {
                let formatter = DateFormatter()
                formatter.dateFormat = "yyyy-MM-dd"
                formatter.locale = Locale(identifier: "en_US_POSIX")
                formatter.timeZone = TimeZone(identifier: "UTC")
                text = formatter.string(from: day)
            }
            guard date.kind != .null, text.wholeMatch(of: /[0-9]{4}(-[0-9]{2}-[0-9]{2})?/) != nil else {
                throw file.failure(.date, YAMLScalar(text: text, kind: date.kind, line: date.line, column: date.column))
            }
            config.date = text
        }
        config.cover = try file.text(.cover, fields.cover)
        if let chapters = fields.chapters {
            if let entry = chapters.first(where: { $0.kind != .string }) { throw file.failure(.chapters, entry: entry) }
            config.chapters = chapters.map(\.text)
            config.chapterPlaces = chapters.map(\.position)
        }
        config.cellDefaults = try file.executeDefaults(.execute, fields.execute)
        if let numbering: BlockNumbering = try file.choice(.numbering, fields.numbering) { config.numbering = numbering }
        if let exercises: ExercisePlacement = try file.choice(.exercises, fields.exercises) { config.exercises = exercises }
        config.bibliography = try file.string(.bibliography, fields.bibliography)
        return config
    }

    static func parseFrontMatter(_ yaml: String, display: String) throws(BuildFailure) -> FrontMatter {
        // The front matter starts on the file's second line, after its `---`.
        let file = try YAMLFile<FrontMatterFields>(yaml, display: display, lineOffset: 1)
        let fields = file.fields
        var front = FrontMatter()
        front.title = try file.text(.title, fields.title)
        front.cellDefaults = try file.executeDefaults(.execute, fields.execute)
        if let inputs = fields.inputs {
            front.inputs = try inputs.map { (input) throws(BuildFailure) in try file.text(.inputs, input)! }
            front.inputPlaces = inputs.map { SourcePosition(line: $0.line + 1, column: $0.column) }
        }
        if let cache = try file.flag(.cache, fields.cache) { front.cache = cache }
        if let numbered = try file.flag(.numbered, fields.numbered) { front.numbered = numbered }
        if let appendix = try file.flag(.appendix, fields.appendix) { front.appendix = appendix }
        if front.appendix && !front.numbered {
            throw BuildFailure([file.problem(.numbered, "an appendix is lettered: 'appendix: true' and 'numbered: false' contradict each other")])
        }
        front.exercises = try file.choice(.exercises, fields.exercises)
        front.part = try file.string(.part, fields.part)
        return front
    }

    /// "'numbering' must be chapter or book, not 'section'".
    static func choices<Choice: RawRepresentable & CaseIterable>(_ key: String, _ type: Choice.Type, found: String) -> String
        where Choice.RawValue == String {
        let names = Choice.allCases.map(\.rawValue)
        return "'\(key)' must be \(names.dropLast().joined(separator: ", ")) or \(names.last!), not \(found)"
    }
}

/// `Chapters/book.yml` as written.
struct BookFields: YAMLFields {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case title, subtitle, author, chapters, execute, bibliography, language, identifier, date, cover
        case trustHTML = "trust-html", explorableLimit = "explorable-limit", sharedCache = "shared-cache"
        case remoteCache = "remote-cache", numbering, exercises
    }
    var title, subtitle, author, bibliography, language, identifier, date, cover: YAMLScalar?
    var trustHTML, explorableLimit, sharedCache, remoteCache, numbering, exercises: YAMLScalar?
    var chapters: [YAMLScalar]?
    var execute: [String: YAMLScalar]?

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        (title, subtitle, author, chapters) = (try c.field(.title), try c.field(.subtitle), try c.field(.author), try c.field(.chapters))
        (execute, bibliography, language) = (try c.field(.execute), try c.field(.bibliography), try c.field(.language))
        (identifier, date, cover) = (try c.field(.identifier), try c.field(.date), try c.field(.cover))
        (trustHTML, explorableLimit, sharedCache) = (try c.field(.trustHTML), try c.field(.explorableLimit), try c.field(.sharedCache))
        (remoteCache, numbering, exercises) = (try c.field(.remoteCache), try c.field(.numbering), try c.field(.exercises))
    }

    static func expectation(_ key: CodingKeys, found: String) -> String {
        switch key {
        case .title, .subtitle, .author, .language, .identifier, .cover, .sharedCache, .remoteCache:
            return "'\(key.rawValue)' must be text, e.g. \(key.rawValue): \"…\" (found \(found))"
        case .chapters: return "'chapters' must be a list of file names (found \(found))"
        case .execute: return "'execute' must be a mapping of cell options, e.g. {timeout: 60}"
        case .bibliography: return "'bibliography' must be the path of a BibTeX file, e.g. references.bib"
        case .date: return "'date' must be YYYY-MM-DD or YYYY, not \(found)"
        case .trustHTML: return "'trust-html' must be true or false"
        case .explorableLimit: return "'explorable-limit' must be a size such as 4M or 500K"
        case .numbering: return BookLoader.choices(key.rawValue, BlockNumbering.self, found: found)
        case .exercises: return BookLoader.choices(key.rawValue, ExercisePlacement.self, found: found)
        }
    }
}

/// A chapter's front matter as written.
struct FrontMatterFields: YAMLFields {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case title, execute, inputs, cache, numbered, appendix, part, exercises
    }
    var title, cache, numbered, appendix, part, exercises: YAMLScalar?
    var execute: [String: YAMLScalar]?
    var inputs: [YAMLScalar]?

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        (title, execute, inputs, cache) = (try c.field(.title), try c.field(.execute), try c.field(.inputs), try c.field(.cache))
        (numbered, appendix, part, exercises) = (try c.field(.numbered), try c.field(.appendix), try c.field(.part), try c.field(.exercises))
    }

    static func expectation(_ key: CodingKeys, found: String) -> String {
        switch key {
        case .title: return "'title' must be text, e.g. title: \"…\" (found \(found))"
        case .execute: return "'execute' must be a mapping of cell options, e.g. {timeout: 60}"
        case .inputs: return "'inputs' must be a list of file paths, e.g. [data/x.csv]"
        case .cache, .numbered, .appendix: return "'\(key.rawValue)' must be true or false"
        case .part: return "'part' must be the part's title, e.g. part: \"Part I — Foundations\""
        case .exercises: return BookLoader.choices(key.rawValue, ExercisePlacement.self, found: found)
        }
    }
}

