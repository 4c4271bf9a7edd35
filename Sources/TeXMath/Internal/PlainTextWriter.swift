/// Readable one-line text of a formula for the search index: `∇L(w)/‖∇L(w)‖_2`, `x_(t+1)`, `ε̂`.
enum PlainTextWriter {
    static func text(_ node: MathNode) -> String {
        var out = ""
        write(node, into: &out)
        // Collapse runs of spaces and trim.
        var result = ""
        var pendingSpace = false
        for character in out {
            if character == " " || character == "\u{A0}" || character == "\u{2009}" {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(character)
            }
        }
        return result
    }

    private static func write(_ node: MathNode, into out: inout String) {
        switch node {
        case .identifier(let text, _):
            // Operator names read as one word: "arg min" → "argmin".
            out += fold(text.replacingThinSpaces())
        case .number(let text):
            out += fold(text)
        case .op(let op):
            switch op.texClass {
            case .rel, .bin: out += " \(op.text) "
            case .punct: out += "\(op.text) "
            default: out += op.text
            }
        case .text(let text, _):
            out += " \(text) "
        case .space:
            out += " "
        case .row(let children):
            for (index, child) in children.enumerated() {
                write(child, into: &out)
                // Keep `∑_i λ_i` and `1/2 Δ` apart as words, but not `ℓ_i(w)`.
                if index + 1 < children.count, case .op = children[index + 1] { continue }
                switch child {
                case .fraction, .root: out += " "
                case .scripts(_, _, let sup, _) where !isPrimes(sup): out += " "
                default: break
                }
            }
        case .scripts(let base, let sub, let sup, _):
            write(base, into: &out)
            if let sub { out += "_" + script(sub) }
            if let sup {
                if isPrimes(sup), case .op(let op) = sup {
                    out += op.text
                } else {
                    out += "^" + script(sup)
                }
            }
        case .accent(let base, let mark, _):
            let inner = text(base)
            if inner.count == 1, let combining = combiningMarks[mark.text] {
                out += inner + combining
            } else {
                out += inner
            }
        case .fraction(let numerator, let denominator, let thickness):
            if thickness == "0" {
                out += "\(text(numerator)) choose \(text(denominator))"
            } else {
                out += grouped(numerator) + "/" + grouped(denominator)
            }
        case .root(let radicand, let index):
            if let index { out += text(index) }
            out += "√" + grouped(radicand)
        case .table(let table):
            let rows = table.rows.map { row in row.map { cell in text(.row(cell)) }.joined(separator: " ") }
            out += " " + rows.joined(separator: "; ") + " "
        case .style(_, let children):
            write(.row(children), into: &out)
        case .phantom:
            break
        case .padded(_, let child):
            write(child, into: &out)
        }
    }

    private static func script(_ node: MathNode) -> String {
        let inner = text(node)
        switch node.unwrapped {
        case .identifier, .number: return inner
        case .text where !inner.contains(" "): return inner
        default: return inner.count == 1 ? inner : "(\(inner))"
        }
    }

    private static func isPrimes(_ node: MathNode?) -> Bool {
        guard case .op(let op) = node else { return false }
        return op.text.allSatisfy { "′″‴⁗".contains($0) }
    }

    private static func grouped(_ node: MathNode) -> String {
        let inner = text(node)
        return inner.count > 1 && !inner.allSatisfy(\.isNumber) ? "(\(inner))" : inner
    }

    private static func fold(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { result.append(MathAlphabet.plain(scalar)) }
        return String(result)
    }

    private static let combiningMarks: [String: String] = [
        "^": "\u{302}", "~": "\u{303}", "¯": "\u{304}", "‾": "\u{305}", "˙": "\u{307}",
        "¨": "\u{308}", "→": "\u{20D7}", "ˇ": "\u{30C}", "˘": "\u{306}", "´": "\u{301}",
        "`": "\u{300}", "˚": "\u{30A}", "_": "\u{332}",
    ]
}

extension String {
    func replacingThinSpaces() -> String {
        String(String.UnicodeScalarView(unicodeScalars.filter { $0 != "\u{2009}" }))
    }
}
