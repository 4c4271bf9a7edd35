import Foundation

/// `litopt check`'s lint for citations typed by hand — "Foret et al., 2021", "(Kingma & Ba,
/// 2015)", "Hochreiter and Schmidhuber (1997)" — that should be `[@key]` citations, linked to
/// the bibliography. Prose only: fenced code and code spans are skipped.
enum TypedCitationLint {
    static let name = #"\p{Lu}[\p{L}'’-]+"#
    /// Several authors: "X et al." or "X and Y" / "X & Y", then ", 2021", " 2021" or " (2021".
    /// One author: "X (2021)" or "(X, 2021" / "; X 2021".
    static let pattern = try! NSRegularExpression(pattern:
        #"\b(\#(name)(?: et al\.?| (?:and|&) \#(name)))(?:,? \(?((?:1[89]|20)\d\d[a-z]?)\b)"#
        + #"|\b(\#(name)) \(((?:1[89]|20)\d\d[a-z]?)\)"#
        + #"|(?<=[(;] )(\#(name)),? ((?:1[89]|20)\d\d[a-z]?)\b|(?<=\()(\#(name)),? ((?:1[89]|20)\d\d[a-z]?)\b"#)

    static func warnings(_ chapters: [Chapter]) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for chapter in chapters {
            // The chapter's prose, line by line: fenced code and code spans blanked out, so
            // that a citation typed across a line break is still one match.
            var fence: String?
            var lines: [String] = []
            let source = chapter.body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for line in source {
                let trimmed = line.drop { $0 == " " }
                if let open = fence {
                    if trimmed.hasPrefix(open) { fence = nil }
                    lines.append("")
                } else if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                    fence = String(trimmed.prefix { $0 == trimmed.first })
                    lines.append("")
                } else {
                    lines.append(line)
                }
            }
            let starts = lines.reduce(into: [0]) { $0.append($0.last! + $1.count + 1) }
            for (offset, text) in matches(in: lines.joined(separator: "\n")) {
                let index = starts.lastIndex { $0 <= offset }!
                found.append(Diagnostic(file: chapter.displayPath, line: index + 1 + chapter.bodyLineOffset,
                                        column: offset - starts[index] + 1, severity: .warning,
                                        message: "typed citation '\(text)': cite it from the bibliography, e.g. [@key]",
                                        sourceLine: source[index]))
            }
        }
        return found
    }

    /// (0-based character offset, matched text with line breaks as spaces) of each typed
    /// citation in `text`, outside code spans.
    static func matches(in text: String) -> [(Int, String)] {
        // Code spans blanked out and line breaks read as spaces, offsets kept.
        var prose = ""
        var inCode = false
        for c in text {
            if c == "`" { inCode.toggle(); prose.append(" ") }
            else if c == "\n" { inCode = false; prose.append(" ") }
            else { prose.append(inCode ? " " : c) }
        }
        let ns = prose as NSString
        return pattern.matches(in: prose, range: NSRange(location: 0, length: ns.length)).map { match in
            (ns.substring(to: match.range.location).count, ns.substring(with: match.range))
        }
    }
}
