import Foundation

/// Hides `$…$` and `$$…$$` from the Markdown parser, then brings them back.
///
/// cmark knows nothing of TeX, so `$a_1 * b_2$` would come back as emphasis. Before
/// parsing, each math span (outside code) is replaced by an inert alphanumeric token;
/// after parsing, text nodes are split at the tokens and the TeX is restored verbatim. The
/// same `$…$` always gets the same token, so `[$L$-smooth]` still matches its reference
/// definition `[$L$-smooth]: …`.
/// Rules follow Pandoc's `tex_math_dollars`: an opening `$` is not followed by a space, a
/// closing `$` is not preceded by a space nor followed by a digit; `\$` is a literal dollar;
/// inline math does not cross a blank line.
struct MathShield: Sendable {
    struct Span: Sendable, Equatable {
        var tex: String
        var display: Bool
    }

    /// The text given to cmark.
    private(set) var shielded = ""
    /// Every math span, in the order of the text.
    private(set) var spans: [Span] = []
    /// By token number: the original text, dollars included, for `unshield`.
    private(set) var sources: [String] = []
    /// By token number: the indices in `spans` of its occurrences.
    private var occurrences: [[Int]] = []
    /// By span: where its token is in the shielded text and where the `$…$` was in the
    /// original, as character offsets. Outside the tokens the two texts agree character for
    /// character, so any shielded offset maps back (`originalOffset(ofShielded:)`).
    private var placements: [Placement] = []
    private var shieldedChars: [Character] = []
    /// Character offset of each shielded line's start.
    private var shieldedLineStarts: [Int] = []

    struct Placement: Sendable {
        var shielded: Range<Int>
        var original: Range<Int>
    }

    static let tokenPrefix = "LITOPTMATH"
    static let tokenSuffix = "Z"

    init(_ text: String) {
        let chars = Array(text)
        var out: [Character] = []
        out.reserveCapacity(chars.count)
        var i = 0
        var atLineStart = true
        var fence: (char: Character, count: Int)?
        var tokenOfSource: [String: Int] = [:]

        while i < chars.count {
            let c = chars[i]
            if atLineStart {
                // Fenced code: copy the fence lines and everything between them verbatim.
                var j = i, indent = 0
                while j < chars.count, chars[j] == " ", indent < 4 { j += 1; indent += 1 }
                var isFence = false
                if indent < 4, j < chars.count, chars[j] == "`" || chars[j] == "~" {
                    let fc = chars[j]
                    var k = j
                    while k < chars.count, chars[k] == fc { k += 1 }
                    let run = k - j
                    var lineEnd = k
                    while lineEnd < chars.count, chars[lineEnd] != "\n" { lineEnd += 1 }
                    let rest = chars[k..<lineEnd]
                    if let open = fence {
                        // A closing fence is at least as long and has nothing after it.
                        if fc == open.char, run >= open.count, rest.allSatisfy({ $0 == " " || $0 == "\t" }) {
                            fence = nil
                            isFence = true
                        }
                    } else if run >= 3, !(fc == "`" && rest.contains("`")) {
                        // (A backtick in a backtick fence's info string makes the line inline code.)
                        fence = (fc, run)
                        isFence = true
                    }
                }
                if isFence || fence != nil {
                    while i < chars.count, chars[i] != "\n" { out.append(chars[i]); i += 1 }
                    if i < chars.count { out.append("\n"); i += 1 }
                    continue
                }
            }
            atLineStart = false
            switch c {
            case "\\" where i + 1 < chars.count:
                out.append(c); out.append(chars[i + 1]); i += 2
                if chars[i - 1] == "\n" { atLineStart = true }
            case "`":
                // Inline code span: copy through the matching backtick run.
                var k = i
                while k < chars.count, chars[k] == "`" { k += 1 }
                let run = k - i
                if let close = Self.findBacktickRun(chars, from: k, length: run) {
                    for m in i..<(close + run) { out.append(chars[m]) }
                    i = close + run
                } else {
                    for m in i..<k { out.append(chars[m]) }
                    i = k
                }
            case "$":
                if let (span, end) = Self.mathSpan(chars, at: i) {
                    let source = String(chars[i..<end])
                    let n = tokenOfSource[source] ?? sources.count
                    if n == sources.count {
                        tokenOfSource[source] = n
                        sources.append(source)
                        occurrences.append([])
                    }
                    occurrences[n].append(spans.count)
                    spans.append(span)
                    let shieldedStart = out.count
                    out.append(contentsOf: "\(Self.tokenPrefix)\(n)\(Self.tokenSuffix)")
                    placements.append(Placement(shielded: shieldedStart..<out.count, original: i..<end))
                    i = end
                } else {
                    out.append(c); i += 1
                }
            case "\n":
                out.append(c); i += 1; atLineStart = true
            default:
                out.append(c); i += 1
            }
        }
        shielded = String(out)
        shieldedChars = out
        shieldedLineStarts = [0] + out.indices.filter { out[$0] == "\n" }.map { $0 + 1 }
    }

    /// The character offset in the shielded text of cmark's `line` and `byteColumn` (both
    /// 1-based; cmark counts bytes of UTF-8). `skippingBlanks`: past spaces and tabs there,
    /// because cmark-gfm places an inline that begins an indented continuation line at the
    /// line's first column, before the indentation it stripped.
    func shieldedOffset(line: Int, byteColumn: Int, skippingBlanks: Bool = true) -> Int? {
        guard line >= 1, line <= shieldedLineStarts.count, byteColumn >= 1 else { return nil }
        var offset = shieldedLineStarts[line - 1]
        var bytes = byteColumn - 1
        while bytes > 0, offset < shieldedChars.count, shieldedChars[offset] != "\n" {
            bytes -= shieldedChars[offset].utf8.count
            offset += 1
        }
        if skippingBlanks {
            while offset < shieldedChars.count, shieldedChars[offset] == " " || shieldedChars[offset] == "\t" { offset += 1 }
        }
        return offset
    }

    /// The original character offset of shielded offset `s`: inside a token, its `$`.
    func originalOffset(ofShielded s: Int) -> Int {
        var low = 0, high = placements.count - 1, found = -1
        while low <= high {
            let mid = (low + high) / 2
            if placements[mid].shielded.lowerBound <= s { found = mid; low = mid + 1 } else { high = mid - 1 }
        }
        guard found >= 0 else { return s }
        let p = placements[found]
        if s < p.shielded.upperBound { return p.original.lowerBound }
        return p.original.upperBound + (s - p.shielded.upperBound)
    }

    /// The index of the span whose token starts at or after shielded offset `from` first.
    private func nextToken(from: Int) -> Int? {
        var low = 0, high = placements.count
        while low < high {
            let mid = (low + high) / 2
            if placements[mid].shielded.lowerBound < from { low = mid + 1 } else { high = mid }
        }
        return low < placements.count ? low : nil
    }

    /// `text` with each token put back as the `$…$` it replaced. For what cmark does not
    /// treat as text — indented or quoted code blocks, raw HTML, link destinations and
    /// titles, info strings — where a dollar is just a dollar.
    func unshield(_ text: String) -> String {
        guard text.contains(Self.tokenPrefix) else { return text }
        var out = ""
        var rest = Substring(text)
        while let start = rest.range(of: Self.tokenPrefix) {
            let afterPrefix = rest[start.upperBound...]
            let digits = afterPrefix.prefix { $0.isASCII && $0.isNumber }
            out += rest[..<start.lowerBound]
            if !digits.isEmpty, afterPrefix.dropFirst(digits.count).first == Character(Self.tokenSuffix),
               let n = Int(digits), n < sources.count {
                out += sources[n]
                rest = afterPrefix.dropFirst(digits.count + 1)
            } else {
                out += rest[start]
                rest = afterPrefix
            }
        }
        return out + rest
    }

    /// Splits a text node at the tokens it contains; `offset` is where the node starts in the
    /// shielded text and `lines` places each piece: a formula at its opening dollar, the text
    /// after it just past its closing one.
    func restore(_ text: String, at offset: Int?, lines: LineMap) -> [Inline] {
        let start = offset.map { lines.position(ofOffset: originalOffset(ofShielded: $0)) } ?? .unknown
        guard text.contains(Self.tokenPrefix) else { return [.text(text, at: start)] }
        var result: [Inline] = []
        var rest = Substring(text)
        var place = start
        var cursor = offset ?? 0
        while let range = rest.range(of: Self.tokenPrefix) {
            let afterPrefix = rest[range.upperBound...]
            let digits = afterPrefix.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, afterPrefix.dropFirst(digits.count).first == Character(Self.tokenSuffix),
                  let n = Int(digits), n < sources.count else {
                result.append(.text(String(rest[..<range.upperBound]), at: place))
                rest = afterPrefix
                continue
            }
            if range.lowerBound > rest.startIndex { result.append(.text(String(rest[..<range.lowerBound]), at: place)) }
            // This token's occurrence: the first span of token n placed at or after the cursor.
            let first = nextToken(from: cursor) ?? spans.count
            let k = occurrences[n].first { $0 >= first } ?? occurrences[n].last!
            let span = spans[k]
            cursor = placements[k].shielded.upperBound
            result.append(.math(tex: span.tex, display: span.display,
                                at: offset == nil ? .unknown : lines.position(ofOffset: placements[k].original.lowerBound)))
            place = offset == nil ? .unknown : lines.position(ofOffset: placements[k].original.upperBound)
            rest = afterPrefix.dropFirst(digits.count + 1)
        }
        if !rest.isEmpty { result.append(.text(String(rest), at: place)) }
        return result
    }

    private static func findBacktickRun(_ chars: [Character], from start: Int, length: Int) -> Int? {
        var k = start
        while k < chars.count {
            if chars[k] == "`" {
                var e = k
                while e < chars.count, chars[e] == "`" { e += 1 }
                if e - k == length { return k }
                k = e
            } else {
                if chars[k] == "\n", k + 1 < chars.count, chars[k + 1] == "\n" { return nil }
                k += 1
            }
        }
        return nil
    }

    /// True when the line starting at `start` holds only spaces and tabs.
    private static func isBlankLine(_ chars: [Character], from start: Int) -> Bool {
        var k = start
        while k < chars.count, chars[k] == " " || chars[k] == "\t" { k += 1 }
        return k == chars.count || chars[k] == "\n"
    }

    /// How many block-quote markers (`>`, `> >`) open the line holding `chars[i]`, before any
    /// other text: a formula inside a callout continues on lines that carry them too.
    private static func quoteDepth(_ chars: [Character], before i: Int) -> Int {
        var start = i
        while start > 0, chars[start - 1] != "\n" { start -= 1 }
        var depth = 0, k = start
        while k < i {
            if chars[k] == ">" { depth += 1 } else if chars[k] != " " && chars[k] != "\t" { break }
            k += 1
        }
        return depth
    }

    /// The TeX of a formula inside `depth` block quotes without the quote markers that begin
    /// its continuation lines (`> $$` / `> a \\` / `> $$` is the formula `a \\`).
    private static func unquoted(_ tex: String, depth: Int) -> String {
        guard depth > 0, tex.contains("\n") else { return tex }
        var lines = tex.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for n in lines.indices.dropFirst() {
            var line = Substring(lines[n])
            for _ in 0..<depth {
                let trimmed = line.drop { $0 == " " || $0 == "\t" }
                guard trimmed.first == ">" else { break }
                line = trimmed.dropFirst()
                if line.first == " " { line = line.dropFirst() }
            }
            lines[n] = String(line)
        }
        return lines.joined(separator: "\n")
    }

    /// The math span starting at `chars[i] == "$"`, and the index just past it.
    private static func mathSpan(_ chars: [Character], at i: Int) -> (Span, Int)? {
        let display = i + 1 < chars.count && chars[i + 1] == "$"
        let open = display ? 2 : 1
        var k = i + open
        guard k < chars.count else { return nil }
        if !display, chars[k].isWhitespace { return nil }
        while k < chars.count {
            let c = chars[k]
            if c == "\\" { k += 2; continue }
            if c == "\n", isBlankLine(chars, from: k + 1) {
                return nil  // a blank line ends the paragraph: no closing dollar
            }
            if c == "$" {
                if display {
                    guard k + 1 < chars.count, chars[k + 1] == "$" else { k += 1; continue }
                    let tex = unquoted(String(chars[(i + 2)..<k]), depth: quoteDepth(chars, before: i))
                    guard !tex.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
                    return (Span(tex: tex.trimmingCharacters(in: .whitespacesAndNewlines), display: true), k + 2)
                } else {
                    if chars[k - 1].isWhitespace { k += 1; continue }
                    if k + 1 < chars.count, chars[k + 1].isNumber { k += 1; continue }
                    return (Span(tex: unquoted(String(chars[(i + 1)..<k]), depth: quoteDepth(chars, before: i)),
                                 display: false), k + 1)
                }
            }
            k += 1
        }
        return nil
    }
}
