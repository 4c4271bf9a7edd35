import Foundation
import Yams

/// Stage 1: reads `book.yml` and every `NN-slug.md` of a chapters folder.
public enum BookLoader {
    /// The keys `book.yml` understands.
    static let bookKeys: Set<String> = ["title", "subtitle", "author", "chapters", "execute", "bibliography", "language", "identifier", "date", "cover", "trust-html", "explorable-limit", "shared-cache", "remote-cache", "numbering", "exercises"]
    /// The keys a chapter's front matter understands.
    static let frontMatterKeys: Set<String> = ["title", "execute", "inputs", "cache", "numbered", "appendix", "part", "exercises"]

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
            // Where the entries are written, read only if one of them is wrong.
            lazy var entries = YAMLPositions((try? readText(configPath, display: configDisplay)) ?? "").entries["chapters"] ?? []
            var seen: Set<String> = []
            var problems: [Diagnostic] = []
            for (k, name) in listed.enumerated() {
                var at: (line: Int, column: Int) { k < entries.count ? entries[k] : (line: 0, column: 0) }
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
            // Where the entries are written, read only if one of them is wrong (the front matter
            // starts on the file's second line).
            lazy var entries = (splitFrontMatter((try? readText(chapter.path, display: chapter.displayPath)) ?? "").yaml
                .map { YAMLPositions($0).entries["inputs"] ?? [] } ?? []).map { (line: $0.line + 1, column: $0.column) }
            for (k, input) in chapter.frontMatter.inputs.enumerated() {
                func problem(_ message: String) {
                    let at = k < entries.count ? entries[k] : (line: 0, column: 0)
                    problems.append(Diagnostic(file: chapter.displayPath, line: at.line, column: at.column, message: message))
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

    static func yamlMapping(_ yaml: String, display: String) throws(BuildFailure) -> [String: Any] {
        let node: Any?
        do {
            node = try Yams.load(yaml: yaml)
        } catch let error as YamlError {
            throw BuildFailure([yamlDiagnostic(error, display: display)])
        } catch {
            throw BuildFailure([Diagnostic(file: display, message: "invalid YAML: \(error)")])
        }
        if node == nil { return [:] }
        guard let mapping = node as? [String: Any] else {
            throw BuildFailure([Diagnostic(file: display, line: 1, message: "expected a YAML mapping of keys to values")])
        }
        return mapping
    }

    static func yamlDiagnostic(_ error: YamlError, display: String) -> Diagnostic {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            return Diagnostic(file: display, line: mark.line + (display.hasSuffix(".md") ? 1 : 0),
                              column: mark.column, message: "invalid YAML: \(problem)")
        default:
            return Diagnostic(file: display, message: "invalid YAML: \(error)")
        }
    }

    static func parseConfig(_ yaml: String, display: String) throws(BuildFailure) -> BookConfig {
        let map = try yamlMapping(yaml, display: display)
        try checkKeys(map, allowed: bookKeys, display: display, yaml: yaml, lineOffset: 0)
        var config = BookConfig()
        func text(_ key: String) throws(BuildFailure) -> String? {
            try scalarText(map, key, display: display, yaml: yaml, lineOffset: 0)
        }
        if let title = try text("title") { config.title = title }
        if let subtitle = try text("subtitle") { config.subtitle = subtitle }
        if let author = try text("author") { config.author = author }
        if let language = try text("language") { config.language = language }
        if let identifier = try text("identifier") { config.identifier = identifier }
        if let shared = try text("shared-cache") { config.sharedCache = shared }
        if let remote = try text("remote-cache") {
            guard let url = URL(string: remote), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw BuildFailure([Diagnostic(file: display, line: line(of: "remote-cache", in: yaml),
                                               message: "'remote-cache' must be an http:// or https:// URL, not '\(remote)'")])
            }
            config.remoteCache = remote
        }
        if let limit = map["explorable-limit"] {
            guard let bytes = ExecutionLimits.parse("\(limit)"), let bytes else {
                throw BuildFailure([Diagnostic(file: display, line: line(of: "explorable-limit", in: yaml),
                                               message: "'explorable-limit' must be a size such as 4M or 500K")])
            }
            config.explorableLimit = bytes
        }
        if let trust = map["trust-html"] {
            guard let flag = trust as? Bool else {
                throw BuildFailure([Diagnostic(file: display, line: line(of: "trust-html", in: yaml),
                                               message: "'trust-html' must be true or false")])
            }
            config.trustHTML = flag
        }
        if let date = map["date"] {
            // YAML reads an unquoted 2026-12-01 as a timestamp.
            var text = "\(date)"
            if let day = date as? Date {
                let formatter = DateFormatter()
                formatter.dateFormat = "yyyy-MM-dd"
                formatter.locale = Locale(identifier: "en_US_POSIX")
                formatter.timeZone = TimeZone(identifier: "UTC")
                text = formatter.string(from: day)
            }
            guard text.wholeMatch(of: /[0-9]{4}(-[0-9]{2}-[0-9]{2})?/) != nil else {
                throw BuildFailure([Diagnostic(file: display, line: line(of: "date", in: yaml),
                                               message: "'date' must be YYYY-MM-DD or YYYY, not '\(text)'")])
            }
            config.date = text
        }
        if let cover = try text("cover") { config.cover = cover }
        if let chapters = map["chapters"] {
            guard let list = chapters as? [Any], list.allSatisfy({ $0 is String }) else {
                throw BuildFailure([Diagnostic(file: display, line: line(of: "chapters", in: yaml),
                                               message: "'chapters' must be a list of file names")])
            }
            config.chapters = list.map { "\($0)" }
        }
        config.cellDefaults = try executeDefaults(map, display: display, yaml: yaml, lineOffset: 0)
        if let numbering = try choice(map, "numbering", BlockNumbering.self, display: display, yaml: yaml, lineOffset: 0) {
            config.numbering = numbering
        }
        if let exercises = try choice(map, "exercises", ExercisePlacement.self, display: display, yaml: yaml, lineOffset: 0) {
            config.exercises = exercises
        }
        if let bibliography = map["bibliography"] {
            guard let path = bibliography as? String, !path.isEmpty else {
                throw BuildFailure([Diagnostic(file: display, line: line(of: "bibliography", in: yaml),
                                               message: "'bibliography' must be the path of a BibTeX file, e.g. references.bib")])
            }
            config.bibliography = path
        }
        return config
    }

    /// The value of a key that names one of a few choices (`numbering: book`); anything else
    /// is an error at the key's line.
    static func choice<Choice: RawRepresentable & CaseIterable>(_ map: [String: Any], _ key: String, _ type: Choice.Type,
                                                                 display: String, yaml: String, lineOffset: Int) throws(BuildFailure) -> Choice?
        where Choice.RawValue == String {
        guard let value = map[key] else { return nil }
        guard let text = value as? String, let choice = Choice(rawValue: text) else {
            let names = Choice.allCases.map(\.rawValue)
            throw BuildFailure([Diagnostic(file: display, line: line(of: key, in: yaml) + lineOffset,
                                           message: "'\(key)' must be \(names.dropLast().joined(separator: ", ")) or \(names.last!), not '\(value)'")])
        }
        return choice
    }

    static func parseFrontMatter(_ yaml: String, display: String) throws(BuildFailure) -> FrontMatter {
        let map = try yamlMapping(yaml, display: display)
        try checkKeys(map, allowed: frontMatterKeys, display: display, yaml: yaml, lineOffset: 1)
        var front = FrontMatter()
        if let title = try scalarText(map, "title", display: display, yaml: yaml, lineOffset: 1) { front.title = title }
        front.cellDefaults = try executeDefaults(map, display: display, yaml: yaml, lineOffset: 1)
        if let inputs = map["inputs"] {
            guard let list = inputs as? [Any] else {
                throw BuildFailure([Diagnostic(file: display, line: line(of: "inputs", in: yaml) + 1,
                                               message: "'inputs' must be a list of file paths, e.g. [data/x.csv]")])
            }
            front.inputs = list.map { "\($0)" }
        }
        func flag(_ key: String) throws(BuildFailure) -> Bool? {
            guard let value = map[key] else { return nil }
            guard let flag = value as? Bool else {
                throw BuildFailure([Diagnostic(file: display, line: line(of: key, in: yaml) + 1,
                                               message: "'\(key)' must be true or false")])
            }
            return flag
        }
        if let cache = try flag("cache") { front.cache = cache }
        if let numbered = try flag("numbered") { front.numbered = numbered }
        if let appendix = try flag("appendix") { front.appendix = appendix }
        if front.appendix && !front.numbered {
            throw BuildFailure([Diagnostic(file: display, line: line(of: "numbered", in: yaml) + 1,
                                           message: "an appendix is lettered: 'appendix: true' and 'numbered: false' contradict each other")])
        }
        front.exercises = try choice(map, "exercises", ExercisePlacement.self, display: display, yaml: yaml, lineOffset: 1)
        if let part = map["part"] {
            guard let title = part as? String, !title.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw BuildFailure([Diagnostic(file: display, line: line(of: "part", in: yaml) + 1,
                                               message: "'part' must be the part's title, e.g. part: \"Part I — Foundations\"")])
            }
            front.part = title
        }
        return front
    }

    /// The text of a key that must hold a single non-empty value (a string, or a number
    /// written as one); a list, a mapping or nothing at all is an error at the key's line.
    static func scalarText(_ map: [String: Any], _ key: String, display: String, yaml: String,
                           lineOffset: Int) throws(BuildFailure) -> String? {
        guard let value = map.index(forKey: key).map({ map[$0].value }) else { return nil }
        let text: String?
        switch value {
        case let string as String: text = string
        case let number as Int: text = String(number)
        case let number as Double: text = String(number)
        default: text = nil
        }
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            let at = position(of: key, in: yaml)
            throw BuildFailure([Diagnostic(file: display, line: at.line + lineOffset, column: at.column,
                                           message: "'\(key)' must be text, e.g. \(key): \"…\" (found \(describeYAML(value)))")])
        }
        return text
    }

    static func describeYAML(_ value: Any) -> String {
        switch value {
        case is [Any]: return "a list"
        case is [String: Any]: return "a mapping"
        case is NSNull: return "nothing"
        case let s as String where s.trimmingCharacters(in: .whitespaces).isEmpty: return "an empty value"
        case is Bool: return "true/false"
        default: return "'\(value)'"
        }
    }

    /// `execute: {timeout: 60, echo: false}` — defaults for every cell below.
    static func executeDefaults(_ map: [String: Any], display: String, yaml: String,
                                lineOffset: Int) throws(BuildFailure) -> [String: String] {
        guard let execute = map["execute"] else { return [:] }
        guard let options = execute as? [String: Any] else {
            throw BuildFailure([Diagnostic(file: display, line: line(of: "execute", in: yaml) + lineOffset,
                                           message: "'execute' must be a mapping of cell options, e.g. {timeout: 60}")])
        }
        var result: [String: String] = [:]
        var problems: [Diagnostic] = []
        for key in options.keys.sorted() {
            let value = "\(options[key]!)"
            result[key] = value
            // Checked here, once, at the line that sets them (not at every cell they reach).
            var probe = CellOptions()
            do throws(CellOptions.Problem) {
                try probe.apply(key, value)
            } catch {
                problems.append(Diagnostic(file: display, line: line(of: "execute", in: yaml) + lineOffset, column: 1,
                                           message: "in execute: \(error.message)"))
            }
        }
        guard problems.isEmpty else { throw BuildFailure(problems) }
        return result
    }

    static func checkKeys(_ map: [String: Any], allowed: Set<String>, display: String, yaml: String,
                          lineOffset: Int) throws(BuildFailure) {
        let unknown = map.keys.filter { !allowed.contains($0) }.sorted()
        guard unknown.isEmpty else {
            let positions = YAMLPositions(yaml)
            throw BuildFailure(unknown.map { key in
                let at = positions.keys[key] ?? (line: 0, column: 0)
                return Diagnostic(file: display, line: at.line + lineOffset, column: at.column,
                           message: "unknown key '\(key)' (expected one of: \(allowed.sorted().joined(separator: ", ")))")
            })
        }
    }

    /// 1-based line of the top-level key `key` in a YAML text, from the parser's marks (0 if
    /// absent), so a key in a flow mapping (`{title: T, bogus: 1}`) is found too.
    static func line(of key: String, in yaml: String) -> Int { position(of: key, in: yaml).line }

    /// 1-based line and column of the top-level key `key` ((0, 0) if absent).
    static func position(of key: String, in yaml: String) -> (line: Int, column: Int) {
        YAMLPositions(yaml).keys[key] ?? (line: 0, column: 0)
    }
}

/// Where the top-level keys of a YAML mapping are written, and the entries of the lists they
/// hold, from Yams' marks (1-based lines and columns in the YAML text). Empty for text that is
/// not a mapping or does not parse (those are reported before any position is asked for).
struct YAMLPositions {
    var keys: [String: (line: Int, column: Int)] = [:]
    /// For a key holding a list: the position of each entry, in order.
    var entries: [String: [(line: Int, column: Int)]] = [:]

    init(_ yaml: String) {
        guard let node = try? Yams.compose(yaml: yaml), case .mapping(let mapping) = node else { return }
        for (key, value) in mapping {
            guard let name = key.string, let mark = key.mark else { continue }
            if keys[name] == nil { keys[name] = (mark.line, mark.column) }
            if case .sequence(let list) = value {
                entries[name] = list.map { entry in entry.mark.map { ($0.line, $0.column) } ?? (mark.line, mark.column) }
            }
        }
    }
}
