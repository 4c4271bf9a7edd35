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

    /// One entry of a reference list (the `<li>`'s contents):
    /// `Authors (Year). Title. <em>Venue</em>, volume(number), pages. Publisher. DOI · arXiv`.
    public func entryNodes(_ key: String) -> [HTMLNode] {
        guard let entry = self[key] else { return [.text(key)] }
        func sentence(_ s: String) -> String {
            let trimmed = s.trimmingCharacters(in: .whitespaces)
            return trimmed.hasSuffix(".") || trimmed.hasSuffix("?") || trimmed.hasSuffix("!") ? trimmed : trimmed + "."
        }
        func em(_ s: String) -> HTMLNode { .el("em", [:], [.text(s)]) }
        var parts: [[HTMLNode]] = []
        let authors = entry.names("author")
        let editors = entry.names("editor")
        var who = Self.nameList(authors.names, others: authors.others)
        if who.isEmpty, !editors.names.isEmpty {
            who = Self.nameList(editors.names, others: editors.others) + (editors.names.count > 1 ? ", editors" : ", editor")
        }
        if who.isEmpty { who = entry.text("organization") ?? entry.text("institution") ?? "" }
        let year = self.year(key)
        parts.append([.text(who.isEmpty ? "(\(year))." : "\(who) (\(year)).")])
        let title = entry.text("title") ?? ""
        let isBook = ["book", "proceedings", "manual"].contains(entry.type)
        if !title.isEmpty {
            parts.append([isBook ? em(sentence(title)) : .el("span", ["class": "ref-title"], [.text(sentence(title))])])
        }
        let volume = entry.text("volume")
        let number = entry.text("number")
        let pages = entry.text("pages")
        /// The venue's nodes; its last text gets the sentence's full stop.
        var venue: [HTMLNode]?
        switch entry.type {
        case "article":
            if let journal = entry.text("journal") {
                var v: [HTMLNode] = [em(journal)]
                if let volume { v.append(.text(", \(volume)" + (number.map { "(\($0))" } ?? ""))) }
                if let pages { v.append(.text(", \(pages)")) }
                venue = v
            }
        case "inproceedings", "conference", "incollection", "inbook":
            if let booktitle = entry.text("booktitle") {
                var lead = "In "
                if !editors.names.isEmpty, entry.type != "inproceedings" {
                    lead += Self.nameList(editors.names, others: editors.others) + (editors.names.count > 1 ? " (eds.), " : " (ed.), ")
                }
                var v: [HTMLNode] = [.text(lead), em(booktitle)]
                if let volume { v.append(.text(", vol. \(volume)")) }
                if let pages { v.append(.text(", pp. \(pages)")) }
                venue = v
            }
        case "phdthesis", "mastersthesis":
            let kind = entry.type == "phdthesis" ? "PhD thesis" : "Master’s thesis"
            venue = [.text(([kind] + [entry.text("school")].compactMap { $0 }).joined(separator: ", "))]
        case "techreport":
            var v = entry.text("type") ?? "Technical report"
            if let number { v += " \(number)" }
            venue = [.text(([v] + [entry.text("institution")].compactMap { $0 }).joined(separator: ", "))]
        default:
            if let howpublished = entry.text("howpublished") { venue = [.text(howpublished)] }
            else if let journal = entry.text("journal") { venue = [em(journal)] }
        }
        if venue == nil, let id = Self.arXivID(entry), entry.fields["doi"] == nil {
            venue = [.text("arXiv preprint arXiv:\(id)")]
        }
        if let venue { parts.append(Self.sentence(venue)) }
        var publisher = [entry.text("edition").map { "\($0) edition" }, entry.text("publisher"), entry.text("address")]
            .compactMap { $0 }
        if entry.type == "book", let pages { publisher.append("\(pages) pages") }
        if !publisher.isEmpty { parts.append([.text(sentence(publisher.joined(separator: ", ")))]) }
        if let note = entry.text("note") { parts.append([.text(sentence(note))]) }
        var links: [[HTMLNode]] = []
        if let doi = Self.doiURL(entry) {
            links.append([.el("a", attributes: [HTMLAttribute("class", "ref-doi"), .url("href", doi)],
                              [.text("doi:" + String(doi.dropFirst("https://doi.org/".count)))])])
        }
        if let id = Self.arXivID(entry) {
            links.append([.el("a", attributes: [HTMLAttribute("class", "ref-arxiv"), .url("href", "https://arxiv.org/abs/" + id)],
                              [.text("arXiv:" + id)])])
        }
        if links.isEmpty, let url = entry.fields["url"]?.trimmingCharacters(in: .whitespaces), !url.isEmpty {
            links.append([.el("a", attributes: [HTMLAttribute("class", "ref-url"), .url("href", url)], [.text(url)])])
        }
        if !links.isEmpty { parts.append(Array(links.joined(separator: [.text(" · ")]))) }
        return Array(parts.joined(separator: [.text(" ")]))
    }

    /// A venue as a sentence: spaces at its ends trimmed, and a full stop after it unless it
    /// ends in text that ends in one (or in `?`, `!`); after an element (`<em>Journal</em>`) the
    /// stop always follows.
    static func sentence(_ nodes: [HTMLNode]) -> [HTMLNode] {
        var nodes = nodes
        if case .text(let first)? = nodes.first {
            nodes[0] = .text(String(first.drop(while: { $0 == " " || $0 == "\t" })))
        }
        guard case .text(let last)? = nodes.last else { return nodes + [.text(".")] }
        let text = last.trimmingCharacters(in: .whitespaces)
        nodes[nodes.count - 1] = .text(text.hasSuffix(".") || text.hasSuffix("?") || text.hasSuffix("!") ? text : text + ".")
        return nodes
    }

    /// `<ol class="references">` of the given keys, in reference-list order; `extra` adds
    /// nodes after an entry.
    public func listNodes(_ keys: some Collection<String>, extra: (String) -> [HTMLNode] = { _ in [] }) -> [HTMLNode] {
        let sorted = Set(keys).compactMap { index[$0] }.sorted().map { entries[$0].key }
        var items: [HTMLNode] = [.newline]
        for key in sorted {
            items += [.el("li", ["id": "ref-" + key], entryNodes(key) + extra(key)), .newline]
        }
        return [.el("ol", ["class": "references"], items), .newline]
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
