extension TeXParser {
    /// `\text{…}` and its relatives: text in the surrounding font, with `$…$` math inside.
    /// Spaces at either end become no-break spaces, which MathML would otherwise trim.
    mutating func parseText(_ name: String, _ command: Lexeme) throws(MathError) -> MathNode {
        let style: String? = switch name {
        case "textbf": "font-weight:bold"
        case "textit": "font-style:italic"
        case "textsf": "font-family:sans-serif"
        case "texttt": "font-family:monospace"
        default: nil
        }
        let open = peek()
        guard open.token == .character("{") else {
            throw error("missing argument for \\\(name)", at: open.start)
        }
        position = open.end
        var nodes: [MathNode] = []
        var buffer = ""
        func flush() {
            guard !buffer.isEmpty else { return }
            var text = ""
            var lastWasSpace = false
            for character in buffer {
                if character == " " || character == "\n" || character == "\t" {
                    if !lastWasSpace { text.append(" ") }
                    lastWasSpace = true
                } else {
                    text.append(character)
                    lastWasSpace = false
                }
            }
            if text.hasPrefix(" ") { text = "\u{A0}" + text.dropFirst() }
            if text.hasSuffix(" ") { text = text.dropLast() + "\u{A0}" }
            nodes.append(.text(text, style: style))
            buffer = ""
        }
        var nesting = 0
        while true {
            guard position < limit else { throw error("unbalanced braces: { is never closed", at: open.start) }
            let scalar = scalars[position]
            switch scalar {
            case "{":
                nesting += 1
                position += 1
            case "}":
                position += 1
                if nesting == 0 {
                    flush()
                    return nodes.count == 1 ? nodes[0] : .row(nodes)
                }
                nesting -= 1
            case "$":
                flush()
                var close = position + 1
                while close < limit, scalars[close] != "$" {
                    close += scalars[close] == "\\" ? 2 : 1
                }
                guard close < limit else { throw error("$ inside \\\(name) is never closed", at: position) }
                let savedLimit = limit
                limit = close
                position += 1
                let math = try parseList(ParseContext(displayStyle: false, font: nil))
                let rest = peek()
                if rest.token != .end { throw unexpected(rest) }
                limit = savedLimit
                position = close + 1
                nodes.append(.row(math))
            case "~":
                buffer += "\u{A0}"
                position += 1
            case "\\":
                let lexeme = peek()
                guard case .command(let command) = lexeme.token else { position += 1; continue }
                advance(past: lexeme)
                switch command {
                case "%", "&", "_", "#", "$", "{", "}": buffer += command
                case " ": buffer += " "
                case ",", "thinspace": buffer += "\u{2009}"
                case "quad": buffer += "\u{2003}"
                case "qquad": buffer += "\u{2003}\u{2003}"
                case "textbackslash": buffer += "\\"
                case "ldots", "dots", "textellipsis": buffer += "…"
                case "": throw error("stray \\ at the end of the formula", at: lexeme.start)
                default: throw error("unknown command \\\(command) in \\\(name)", at: lexeme.start)
                }
            default:
                buffer.unicodeScalars.append(scalar)
                position += 1
            }
        }
    }
}
