extension TeXParser {
    /// A command and its arguments. Unknown commands are an error, never dropped.
    mutating func parseCommand(_ name: String, _ lexeme: Lexeme, _ context: ParseContext) throws(MathError) -> Atom? {
        if let identifier = SymbolTable.identifiers[name] {
            return Atom(styledIdentifier(identifier.text, upright: identifier.upright, context.font), .ord)
        }
        if let op = SymbolTable.operators[name] {
            return Atom(.op(op), op.texClass)
        }
        if let large = SymbolTable.largeOperators[name] {
            return Atom(.op(MathOperator(large.text, .largeOp)), .largeOp, displayLimits: large.limits)
        }
        if let named = SymbolTable.namedOperators[name] {
            return Atom(.identifier(named.text, upright: true), .op, displayLimits: named.limits)
        }
        if name == "|" {
            return Atom(.op(bareDelimiter("‖", .ord, name: name)), .ord)
        }
        if !"()[]/<>".contains(name), let delimiter = SymbolTable.delimiters[name] {
            return Atom(.op(bareDelimiter(delimiter.text, delimiter.texClass, name: name)), delimiter.texClass)
        }
        if let width = SymbolTable.spaces[name] {
            return Atom(.space(width: width), .space)
        }
        if let accent = SymbolTable.accents[name] {
            let base = try parseArgument(context, for: "\\" + name, at: lexeme)
            let mark = MathOperator(accent.mark, .ord, [MathAttribute("stretchy", accent.stretchy ? "true" : "false")])
            return Atom(.accent(base: base, mark: mark, under: accent.under), .ord)
        }
        if let font = SymbolTable.fonts[name] {
            var inner = context
            inner.font = font
            return Atom(try parseArgument(inner, for: "\\" + name, at: lexeme), .ord)
        }
        if let size = bigSize(name) {
            return try parseBig(name, size: size)
        }
        switch name {
        case " ", "nobreakspace", "space":
            return Atom(.text("\u{A0}", style: nil), .space)
        case "frac", "dfrac", "tfrac", "cfrac":
            return try parseFraction(name, lexeme, context)
        case "binom", "dbinom", "tbinom":
            let top = try parseArgument(context.script, for: "\\" + name, at: lexeme)
            let bottom = try parseArgument(context.script, for: "\\" + name, at: lexeme)
            return Atom(.row([Self.fence("(", prefix: true),
                              .fraction(numerator: top, denominator: bottom, thickness: "0"),
                              Self.fence(")", prefix: false)]), .inner)
        case "sqrt":
            return try parseRoot(lexeme, context)
        case "left":
            return try parseLeftRight(lexeme, context)
        case "overset", "underset", "stackrel":
            let mark = try parseArgument(context.script, for: "\\" + name, at: lexeme)
            let base = try parseArgument(context, for: "\\" + name, at: lexeme)
            let under = name == "underset"
            var texClass = TeXClass.op
            switch base.unwrapped {
            case .op(let op) where op.texClass == .rel || op.texClass == .bin: texClass = op.texClass
            case .identifier(let text, _) where text.count > 1: texClass = .op
            case .op(let op) where op.texClass == .largeOp: texClass = .largeOp
            default: texClass = .ord
            }
            if name == "stackrel" { texClass = .rel }
            return Atom(.scripts(base: base, sub: under ? mark : nil, sup: under ? nil : mark, limits: true), texClass)
        case "overbrace", "underbrace":
            let base = try parseArgument(context, for: "\\" + name, at: lexeme)
            let under = name == "underbrace"
            let brace = MathOperator(under ? "⏟" : "⏞", .ord, [MathAttribute("stretchy", "true")])
            var atom = Atom(.accent(base: base, mark: brace, under: under), .op)
            atom.limitsControl = .limits
            return atom
        case "text", "textrm", "textnormal", "textup", "mbox", "hbox", "textbf", "textit", "textsf", "texttt", "textmd":
            return Atom(try parseText(name, lexeme), .ord)
        case "operatorname":
            let limits = takeStar()
            var inner = context
            inner.font = .roman
            let argument = try parseArgument(inner, for: "\\operatorname", at: lexeme)
            return Atom(Self.operatorName(argument), .op, displayLimits: limits)
        case "boxed":
            let body = try parseArgument(context, for: "\\boxed", at: lexeme)
            return Atom(.style([MathAttribute("style", "border:1px solid currentColor;padding:0.2em 0.3em")], [body]), .ord)
        case "xrightarrow", "xleftarrow", "xmapsto", "xRightarrow", "xLeftarrow":
            var below: MathNode?
            if peek().token == .character("[") {
                below = try parseBracketedOption(context.script)
            }
            let above = try parseArgument(context.script, for: "\\" + name, at: lexeme)
            let arrow = switch name {
            case "xrightarrow": "→"
            case "xleftarrow": "←"
            case "xmapsto": "↦"
            case "xRightarrow": "⇒"
            default: "⇐"
            }
            let op = MathNode.op(MathOperator(arrow, .rel, [MathAttribute("stretchy", "true")]))
            // The arrow stretches to its label's width; the spaces leave some arrow either side.
            let padded = MathNode.row([.space(width: "0.3em"), above, .space(width: "0.3em")])
            return Atom(.scripts(base: op, sub: below, sup: padded, limits: true), .rel)
        case "matrix", "pmatrix", "bmatrix", "Bmatrix", "vmatrix", "Vmatrix", "cases":
            return try parsePlainTeXMatrix(name, lexeme, context)
        case "mathop":
            return Atom(try parseArgument(context, for: "\\mathop", at: lexeme), .op, displayLimits: true)
        case "begin":
            return try parseEnvironment(lexeme, context)
        case "end":
            throw error("\\end without matching \\begin", at: lexeme.start)
        case "label":
            let (key, start) = try readRawGroup(for: name, at: lexeme)
            if key.isEmpty { throw error("empty \\label", at: start) }
            if label != nil { throw error("a formula has at most one \\label", at: lexeme.start) }
            label = key
            return nil
        case "tag":
            let bare = takeStar()
            let (text, _) = try readRawGroup(for: name, at: lexeme)
            if !display { throw error("\\tag is only allowed in display math", at: lexeme.start) }
            if tag != nil { throw error("a formula has at most one \\tag", at: lexeme.start) }
            tag = bare ? text : "(\(text))"
            return nil
        case "notag", "nonumber":
            suppressesNumber = true
            return nil
        case "hline", "nolinebreak", "allowbreak":
            return nil
        case "textcolor":
            let color = try readColor(for: name, at: lexeme)
            let body = try parseArgument(context, for: "\\textcolor", at: lexeme)
            return Atom(.style([MathAttribute("mathcolor", color)], [body]), .ord)
        case "phantom":
            return Atom(.phantom(try parseArgument(context, for: "\\phantom", at: lexeme)), .ord)
        case "hphantom":
            let body = try parseArgument(context, for: "\\hphantom", at: lexeme)
            return Atom(.padded([MathAttribute("height", "0"), MathAttribute("depth", "0")], .phantom(body)), .ord)
        case "vphantom":
            let body = try parseArgument(context, for: "\\vphantom", at: lexeme)
            return Atom(.padded([MathAttribute("width", "0")], .phantom(body)), .ord)
        case "not":
            return try parseNegation(lexeme)
        case "pmod":
            let modulus = try parseArgument(context, for: "\\pmod", at: lexeme)
            return Atom(.row([.space(width: "1em"), .op(bareDelimiter("(", .open, name: "")),
                              .identifier("mod", upright: true), .space(width: "0.3333em"), modulus,
                              .op(bareDelimiter(")", .close, name: ""))]), .inner)
        case "bmod":
            return Atom(.op(MathOperator("mod", .bin, [MathAttribute("lspace", "0.2222em"),
                                                       MathAttribute("rspace", "0.2222em")])), .bin)
        case "substack":
            let open = peek()
            guard open.token == .character("{") else { throw error("missing argument for \\substack", at: open.start) }
            advance(past: open)
            let rows = try parseRows(context.script)
            let close = peek()
            guard close.token == .character("}") else {
                if close.token == .end { throw error("unbalanced braces: { is never closed", at: open.start) }
                throw unexpected(close)
            }
            advance(past: close)
            return Atom(.table(MathTable(rows: rows, columnStyles: ["padding:0"], displayStyle: false)), .ord)
        case "":
            throw error("stray \\ at the end of the formula", at: lexeme.start)
        default:
            throw error("unknown command \\\(name)", at: lexeme.start)
        }
    }

    private func bigSize(_ name: String) -> String? {
        if let size = SymbolTable.bigSizes[name] { return size }
        guard let last = name.last, "lrm".contains(last) else { return nil }
        return SymbolTable.bigSizes[String(name.dropLast())]
    }

    /// `\big(`, `\Bigl\|`, …: a delimiter of a fixed larger size.
    private mutating func parseBig(_ name: String, size: String) throws(MathError) -> Atom? {
        guard let delimiter = try readDelimiter(after: name) else { return nil }
        var attributes: [MathAttribute] = []
        var texClass = delimiter.texClass
        switch name.last {
        case "l":
            attributes.append(MathAttribute("form", "prefix"))
            texClass = .open
        case "r":
            attributes.append(MathAttribute("form", "postfix"))
            texClass = .close
        case "m":
            texClass = .rel
        default:
            if texClass == .ord { attributes += [MathAttribute("lspace", "0"), MathAttribute("rspace", "0")] }
        }
        attributes += [MathAttribute("stretchy", "true"), MathAttribute("minsize", size), MathAttribute("maxsize", size)]
        return Atom(.op(MathOperator(delimiter.text, texClass, attributes)), texClass)
    }

    /// `\frac`: both parts in text style at most, as in TeX; `\dfrac` and `\tfrac` set the style.
    private mutating func parseFraction(_ name: String, _ lexeme: Lexeme, _ context: ParseContext) throws(MathError) -> Atom {
        let numerator = try parseArgument(context.script, for: "\\" + name, at: lexeme)
        let denominator = try parseArgument(context.script, for: "\\" + name, at: lexeme)
        let fraction = MathNode.fraction(numerator: numerator, denominator: denominator, thickness: nil)
        if (name == "dfrac" || name == "cfrac") && !context.displayStyle {
            return Atom(.style([MathAttribute("displaystyle", "true"), MathAttribute("scriptlevel", "0")], [fraction]), .ord)
        }
        if name == "tfrac" && context.displayStyle {
            return Atom(.style([MathAttribute("displaystyle", "false")], [fraction]), .ord)
        }
        return Atom(fraction, .ord)
    }

    /// `\sqrt{x}` and `\sqrt[n]{x}`.
    private mutating func parseRoot(_ lexeme: Lexeme, _ context: ParseContext) throws(MathError) -> Atom {
        var index: MathNode?
        if peek().token == .character("[") {
            index = try parseBracketedOption(context.script)
        }
        let radicand = try parseArgument(context, for: "\\sqrt", at: lexeme)
        return Atom(.root(radicand, index: index), .ord)
    }

    /// An optional argument in brackets, as in `\sqrt[n]{x}`, parsed as math; the `[` is next.
    private mutating func parseBracketedOption(_ context: ParseContext) throws(MathError) -> MathNode {
        let open = peek()
        var close = open.end
        var nesting = 0
        while close < limit {
            let scalar = scalars[close]
            if scalar == "{" { nesting += 1 }
            if scalar == "}" { nesting -= 1 }
            if scalar == "]" && nesting == 0 { break }
            close += 1
        }
        guard close < limit else { throw error("missing ] for [", at: open.start) }
        let savedLimit = limit
        limit = close
        position = open.end
        let nodes = try parseList(context)
        let rest = peek()
        if rest.token != .end { throw unexpected(rest) }
        limit = savedLimit
        position = close + 1
        return .row(nodes)
    }

    /// `\left( … \middle| … \right)`: delimiters that grow with the content between them.
    private mutating func parseLeftRight(_ lexeme: Lexeme, _ context: ParseContext) throws(MathError) -> Atom {
        var children: [MathNode] = []
        if let open = try readDelimiter(after: "left") {
            children.append(Self.fence(open.text, prefix: true))
        }
        while true {
            children += try parseList(context)
            let next = peek()
            switch next.token {
            case .command("middle"):
                advance(past: next)
                if let middle = try readDelimiter(after: "middle") {
                    children.append(.op(MathOperator(middle.text, .rel, [MathAttribute("stretchy", "true")])))
                }
            case .command("right"):
                advance(past: next)
                if let close = try readDelimiter(after: "right") {
                    children.append(Self.fence(close.text, prefix: false))
                }
                return Atom(.row(children), .inner)
            default:
                throw error("\\left without matching \\right", at: lexeme.start)
            }
        }
    }

    /// `\not=`, `\not\in`, …: the negated relation's own character where Unicode has one,
    /// otherwise the relation with U+0338 COMBINING LONG SOLIDUS OVERLAY.
    private mutating func parseNegation(_ lexeme: Lexeme) throws(MathError) -> Atom {
        let next = peek()
        var key: String?
        switch next.token {
        case .character(let scalar): key = String(scalar)
        case .command(let name): key = name
        case .end: key = nil
        }
        if let key, let negated = SymbolTable.negations[key] {
            advance(past: next)
            return Atom(.op(MathOperator(negated, .rel)), .rel)
        }
        if let key, let op = SymbolTable.operators[key], op.texClass == .rel {
            advance(past: next)
            return Atom(.op(MathOperator(op.text + "\u{338}", .rel)), .rel)
        }
        throw error("\\not must be followed by a relation such as = or \\in", at: next.start)
    }

    /// `\operatorname{arg\,min}` as one upright `<mi>` when it is made of letters, digits and spaces.
    static func operatorName(_ node: MathNode) -> MathNode {
        let parts: [MathNode]
        if case .row(let children) = node { parts = children } else { parts = [node] }
        var name = ""
        for part in parts {
            switch part {
            case .identifier(let text, _): name += text
            case .number(let text): name += text
            case .space(let width) where !width.hasPrefix("-"): name += "\u{2009}"
            case .op(let op) where op.text == "−": name += "-"
            case .op(let op) where op.text == "∗": name += "*"
            default: return node
            }
        }
        return .identifier(name, upright: true)
    }
}
