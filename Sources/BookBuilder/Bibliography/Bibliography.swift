import Foundation

/// A book's `references.bib`: its entries with the author–year labels citations show, and
/// each entry formatted for a reference list.
///
/// Labels follow the author–year convention: "Foret" for one author, "Kingma and Ba" for
/// two, "Foret et al." for three or more (or for `and others`); two entries with the same
/// label and year get 2021a, 2021b in the order of the reference list. That order is by
/// surname of the first author, then year, then title, so it does not depend on the file.
public struct Bibliography: Sendable {
    /// The file as diagnostics name it.
    public var file: String
    /// In reference-list order.
    public var entries: [BibEntry]
    var index: [String: Int] = [:]
    var labels: [String: (authors: String, year: String)] = [:]

    /// Keys that would read as a cross-reference (`@fig-…`) cannot be citation keys.
    static let reservedPrefixes = LabelIndex.referencePrefixes.map { $0 + "-" }

    public init(entries unsorted: [BibEntry], file: String) throws(BuildFailure) {
        self.file = file
        var problems: [Diagnostic] = []
        for entry in unsorted {
            if let prefix = Self.reservedPrefixes.first(where: { entry.key.lowercased().hasPrefix($0) }) {
                problems.append(Diagnostic(file: file, line: entry.line, column: entry.column,
                                           message: "key '\(entry.key)' starts with '\(prefix)', which marks a cross-reference (@\(prefix)…); choose another key"))
            }
        }
        guard problems.isEmpty else { throw BuildFailure(problems) }
        // Each key once (a key parses the entry's names), not once per comparison.
        entries = unsorted.map { (Self.sortKey($0), $0) }.sorted { $0.0.lexicographicallyPrecedes($1.0) }.map(\.1)
        for (i, entry) in entries.enumerated() { index[entry.key] = i }
        // Author labels, then letters for entries that would read alike.
        var groups: [String: [String]] = [:]
        for entry in entries {
            let authors = Self.authorLabel(entry)
            let year = Self.year(entry)
            labels[entry.key] = (authors, year)
            groups["\(authors)\u{0}\(year)", default: []].append(entry.key)
        }
        for keys in groups.values where keys.count > 1 {
            for (k, key) in keys.enumerated() {
                let letter = String(UnicodeScalar(UInt8(97 + k % 26)))
                labels[key]!.year += letter
            }
        }
    }

    /// Reads and parses the file; `display` is how diagnostics name it.
    public static func load(path: String, display: String) throws(BuildFailure) -> Bibliography {
        let text = try BookLoader.readText(path, display: display)
        return try Bibliography(entries: BibTeXParser.parse(text, file: display), file: display)
    }

    public subscript(key: String) -> BibEntry? { index[key].map { entries[$0] } }

    /// "Foret et al.".
    public func authors(_ key: String) -> String { labels[key]?.authors ?? key }
    /// "2021", "2017a", "n.d.".
    public func year(_ key: String) -> String { labels[key]?.year ?? "n.d." }

    static func people(_ entry: BibEntry) -> (names: [BibName], others: Bool) {
        let authors = entry.names("author")
        return authors.names.isEmpty ? entry.names("editor") : authors
    }

    static func authorLabel(_ entry: BibEntry) -> String {
        let (names, others) = people(entry)
        switch names.count {
        case 0: return entry.text("organization") ?? entry.text("institution") ?? entry.text("title") ?? entry.key
        case 1: return others ? "\(names[0].surname) et al." : names[0].surname
        case 2 where !others: return "\(names[0].surname) and \(names[1].surname)"
        default: return "\(names[0].surname) et al."
        }
    }

    static func year(_ entry: BibEntry) -> String {
        if let year = entry.text("year") { return year }
        if let date = entry.text("date"), date.count >= 4 { return String(date.prefix(4)) }
        return "n.d."
    }

    static func sortKey(_ entry: BibEntry) -> [String] {
        let (names, _) = people(entry)
        let fold: (String) -> String = { $0.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil) }
        return [fold(names.first.map { $0.last + " " + $0.von + " " + $0.first } ?? authorLabel(entry)),
                year(entry), fold(entry.text("title") ?? ""), entry.key]
    }

    // MARK: Reference-list format

    /// `https://doi.org/…` for the entry's `doi`.
    public static func doiURL(_ entry: BibEntry) -> String? {
        guard var doi = entry.fields["doi"]?.trimmingCharacters(in: .whitespacesAndNewlines), !doi.isEmpty else { return nil }
        for prefix in ["https://doi.org/", "http://dx.doi.org/", "doi:"] where doi.lowercased().hasPrefix(prefix) {
            doi = String(doi.dropFirst(prefix.count))
        }
        return "https://doi.org/" + doi
    }

    /// The arXiv identifier: `eprint` with `archiveprefix = arXiv` (or no prefix), or `arxiv`.
    public static func arXivID(_ entry: BibEntry) -> String? {
        if let id = entry.fields["arxiv"] { return id.trimmingCharacters(in: .whitespaces) }
        guard let id = entry.fields["eprint"]?.trimmingCharacters(in: .whitespaces), !id.isEmpty else { return nil }
        let archive = (entry.fields["archiveprefix"] ?? entry.fields["eprinttype"] ?? "arxiv").lowercased()
        return archive == "arxiv" ? id : nil
    }

    /// "Pierre Foret, Ariel Kleiner, and Behnam Neyshabur", "… et al.".
    static func nameList(_ names: [BibName], others: Bool) -> String {
        let full = names.map(\.full)
        if others { return full.joined(separator: ", ") + (full.count > 1 ? ", et al." : " et al.") }
        switch full.count {
        case 0: return ""
        case 1: return full[0]
        case 2: return "\(full[0]) and \(full[1])"
        default: return full.dropLast().joined(separator: ", ") + ", and " + full.last!
        }
    }

    /// One entry of a reference list, as HTML (the `<li>`'s contents):
    /// `Authors (Year). Title. <em>Venue</em>, volume(number), pages. Publisher. DOI · arXiv`.
    public func entryHTML(_ key: String) -> String {
        guard let entry = self[key] else { return HTML.escape(key) }
        let e: (String) -> String = HTML.escape
        func sentence(_ s: String) -> String {
            let trimmed = s.trimmingCharacters(in: .whitespaces)
            return trimmed.hasSuffix(".") || trimmed.hasSuffix("?") || trimmed.hasSuffix("!") ? trimmed : trimmed + "."
        }
        var parts: [String] = []
        let authors = entry.names("author")
        let editors = entry.names("editor")
        var who = Self.nameList(authors.names, others: authors.others)
        if who.isEmpty, !editors.names.isEmpty {
            who = Self.nameList(editors.names, others: editors.others) + (editors.names.count > 1 ? ", editors" : ", editor")
        }
        if who.isEmpty { who = entry.text("organization") ?? entry.text("institution") ?? "" }
        let year = self.year(key)
        parts.append(who.isEmpty ? "(\(e(year)))." : "\(e(who)) (\(e(year))).")
        let title = entry.text("title") ?? ""
        let isBook = ["book", "proceedings", "manual"].contains(entry.type)
        if !title.isEmpty {
            parts.append(isBook ? "<em>\(e(sentence(title)))</em>" : "<span class=\"ref-title\">\(e(sentence(title)))</span>")
        }
        let volume = entry.text("volume")
        let number = entry.text("number")
        let pages = entry.text("pages")
        var venue: String?
        switch entry.type {
        case "article":
            if let journal = entry.text("journal") {
                var v = "<em>\(e(journal))</em>"
                if let volume { v += ", \(e(volume))" + (number.map { "(\(e($0)))" } ?? "") }
                if let pages { v += ", \(e(pages))" }
                venue = v
            }
        case "inproceedings", "conference", "incollection", "inbook":
            if let booktitle = entry.text("booktitle") {
                var v = "In "
                if !editors.names.isEmpty, entry.type != "inproceedings" {
                    v += e(Self.nameList(editors.names, others: editors.others)) + (editors.names.count > 1 ? " (eds.), " : " (ed.), ")
                }
                v += "<em>\(e(booktitle))</em>"
                if let volume { v += ", vol. \(e(volume))" }
                if let pages { v += ", pp. \(e(pages))" }
                venue = v
            }
        case "phdthesis", "mastersthesis":
            let kind = entry.type == "phdthesis" ? "PhD thesis" : "Master’s thesis"
            venue = ([kind] + [entry.text("school")].compactMap { $0 }.map(e)).joined(separator: ", ")
        case "techreport":
            var v = entry.text("type") ?? "Technical report"
            if let number { v += " \(number)" }
            venue = ([e(v)] + [entry.text("institution")].compactMap { $0 }.map(e)).joined(separator: ", ")
        default:
            if let howpublished = entry.text("howpublished") { venue = e(howpublished) }
            else if let journal = entry.text("journal") { venue = "<em>\(e(journal))</em>" }
        }
        if venue == nil, let id = Self.arXivID(entry), entry.fields["doi"] == nil {
            venue = "arXiv preprint arXiv:\(e(id))"
        }
        if let venue { parts.append(sentence(venue)) }
        var publisher = [entry.text("edition").map { "\($0) edition" }, entry.text("publisher"), entry.text("address")]
            .compactMap { $0 }
        if entry.type == "book", let pages { publisher.append("\(pages) pages") }
        if !publisher.isEmpty { parts.append(e(sentence(publisher.joined(separator: ", ")))) }
        if let note = entry.text("note") { parts.append(e(sentence(note))) }
        var links: [String] = []
        if let doi = Self.doiURL(entry) {
            links.append("<a class=\"ref-doi\" href=\"\(HTML.escapeURL(doi))\">doi:\(e(String(doi.dropFirst("https://doi.org/".count))))</a>")
        }
        if let id = Self.arXivID(entry) {
            links.append("<a class=\"ref-arxiv\" href=\"\(HTML.escapeURL("https://arxiv.org/abs/" + id))\">arXiv:\(e(id))</a>")
        }
        if links.isEmpty, let url = entry.fields["url"]?.trimmingCharacters(in: .whitespaces), !url.isEmpty {
            links.append("<a class=\"ref-url\" href=\"\(HTML.escapeURL(url))\">\(e(url))</a>")
        }
        if !links.isEmpty { parts.append(links.joined(separator: " · ")) }
        return parts.joined(separator: " ")
    }

    /// `<ol class="references">` of the given keys, in reference-list order.
    public func listHTML(_ keys: some Collection<String>, extra: (String) -> String = { _ in "" }) -> String {
        let sorted = Set(keys).compactMap { index[$0] }.sorted().map { entries[$0].key }
        var html = "<ol class=\"references\">\n"
        for key in sorted {
            html += "<li id=\"ref-\(HTML.escape(key))\">\(entryHTML(key))\(extra(key))</li>\n"
        }
        return html + "</ol>\n"
    }
}

extension Bibliography {
    /// The book's bibliography: the file `book.yml` names, else `references.bib` beside the
    /// chapters if there is one, else none.
    public static func load(for book: Book, chaptersDirectory: String, displayDirectory: String) throws(BuildFailure) -> Bibliography? {
        let name = book.config.bibliography ?? "references.bib"
        let path = name.hasPrefix("/") ? name : (chaptersDirectory as NSString).appendingPathComponent(name)
        let display = name.hasPrefix("/") ? name : (displayDirectory as NSString).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: path) else {
            guard book.config.bibliography != nil else { return nil }
            let config = (displayDirectory as NSString).appendingPathComponent("book.yml")
            throw BuildFailure([Diagnostic(file: config, message: "bibliography '\(name)' does not exist")])
        }
        return try load(path: path, display: display)
    }
}
