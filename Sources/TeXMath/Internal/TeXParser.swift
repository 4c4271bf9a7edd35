/// The result of parsing one formula: its tree and what the source said about numbering.
struct ParsedFormula {
    var content: MathNode
    var label: String?
    var tag: String?
    var suppressesNumber: Bool
}

/// The TeX style and font in force while parsing: display style decides whether `\sum` and
/// `\min` take their limits under and over; the font maps letters (`\mathbb{R}` → `ℝ`).
struct ParseContext {
    var displayStyle: Bool
    var font: MathFont?

    /// Scripts, fraction parts and the like: never display style.
    var script: ParseContext {
        var copy = self
        copy.displayStyle = false
        return copy
    }
}

enum TeXToken: Equatable {
    /// `\name` (letters) or a control symbol (`\,`, `\{`, `\\`): the name without the backslash.
    case command(String)
    case character(Unicode.Scalar)
    case end
}

struct Lexeme {
    var token: TeXToken
    /// Scalar indices into the source.
    var start: Int
    var end: Int
}

/// One atom of a math list with its pending scripts, as TeX builds it before spacing.
struct Atom {
    enum LimitsControl { case automatic, limits, noLimits }

    var node: MathNode
    var texClass: TeXClass
    /// Whether scripts go under and over in display style (`\sum`, `\min`, `\operatorname*`).
    var displayLimits = false
    var limitsControl = LimitsControl.automatic
    var sub: MathNode?
    var sup: MathNode?
    var primes = 0

    init(_ node: MathNode, _ texClass: TeXClass, displayLimits: Bool = false) {
        self.node = node
        self.texClass = texClass
        self.displayLimits = displayLimits
    }
}

/// A recursive-descent parser for the math-mode TeX an optimization course writes.
struct TeXParser {
    let scalars: [Unicode.Scalar]
    /// UTF-8 offset of each scalar, and of the end.
    let byteOffsets: [Int]
    let display: Bool
    var position = 0
    /// Parsing stops here: the end of the source, or of a bracketed part such as `\sqrt[…]`.
    var limit: Int
    var depth = 0
    var label: String?
    var tag: String?
    var suppressesNumber = false

    static let maximumDepth = 48

    init(_ tex: String, display: Bool) {
        scalars = Array(tex.unicodeScalars)
        var offsets: [Int] = []
        offsets.reserveCapacity(scalars.count + 1)
        var offset = 0
        for scalar in scalars {
            offsets.append(offset)
            offset += UTF8.width(scalar)
        }
        offsets.append(offset)
        byteOffsets = offsets
        self.display = display
        limit = scalars.count
    }

    mutating func parseFormula() throws(MathError) -> ParsedFormula {
        let nodes = try parseList(ParseContext(displayStyle: display, font: nil))
        let next = peek()
        if next.token != .end { throw unexpected(next) }
        return ParsedFormula(content: .row(nodes), label: label, tag: tag, suppressesNumber: suppressesNumber)
    }

    // MARK: Errors

    func error(_ message: String, at scalarIndex: Int) -> MathError {
        MathError(message, offset: byteOffsets[min(scalarIndex, byteOffsets.count - 1)])
    }

    /// The error for a token that ends a list where it has no business.
    func unexpected(_ lexeme: Lexeme) -> MathError {
        switch lexeme.token {
        case .character("}"):
            return error("unbalanced braces: unexpected }", at: lexeme.start)
        case .character("&"):
            return error("& is only allowed inside an environment such as aligned, cases or pmatrix", at: lexeme.start)
        case .command("\\"), .command("cr"):
            return error("\\\\ is only allowed inside an environment such as aligned, cases or pmatrix", at: lexeme.start)
        case .command("right"):
            return error("\\right without matching \\left", at: lexeme.start)
        case .command("middle"):
            return error("\\middle outside \\left … \\right", at: lexeme.start)
        case .command("end"):
            return error("\\end without matching \\begin", at: lexeme.start)
        case .command(let name):
            return error("unexpected \\\(name)", at: lexeme.start)
        case .character(let scalar):
            return error("unexpected \(scalar)", at: lexeme.start)
        case .end:
            return error("unexpected end of formula", at: lexeme.start)
        }
    }

    // MARK: Scanning

    /// The next token, skipping spaces and `%` comments, without consuming it.
    func peek() -> Lexeme {
        var index = position
        while index < limit {
            let scalar = scalars[index]
            if scalar.properties.isWhitespace {
                index += 1
            } else if scalar == "%" {
                while index < limit, scalars[index] != "\n" { index += 1 }
            } else {
                break
            }
        }
        guard index < limit else { return Lexeme(token: .end, start: index, end: index) }
        let scalar = scalars[index]
        guard scalar == "\\" else { return Lexeme(token: .character(scalar), start: index, end: index + 1) }
        var end = index + 1
        guard end < limit else { return Lexeme(token: .command(""), start: index, end: end) }
        if scalars[end].isASCIILetter {
            while end < limit, scalars[end].isASCIILetter { end += 1 }
        } else {
            end += 1
        }
        var name = String.UnicodeScalarView()
        name.append(contentsOf: scalars[(index + 1)..<end])
        return Lexeme(token: .command(String(name)), start: index, end: end)
    }

    mutating func advance(past lexeme: Lexeme) {
        position = lexeme.end
    }

    /// Consumes a `*` written right after a command (`\operatorname*`, `\tag*`).
    mutating func takeStar() -> Bool {
        if position < limit, scalars[position] == "*" {
            position += 1
            return true
        }
        return false
    }

    /// Whether `lexeme` ends the current list: `}`, `&`, `\\`, `\end`, `\right`, `\middle` or the end.
    static func endsList(_ lexeme: Lexeme) -> Bool {
        switch lexeme.token {
        case .end, .character("}"), .character("&"), .command("\\"), .command("cr"),
             .command("end"), .command("right"), .command("middle"):
            true
        default:
            false
        }
    }

    // MARK: Lists

    /// Parses atoms up to the next token that ends a list, and spaces them as TeX would.
    mutating func parseList(_ context: ParseContext) throws(MathError) -> [MathNode] {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maximumDepth {
            throw error("formula is nested too deeply", at: position)
        }
        var atoms: [Atom] = []
        while true {
            let lexeme = peek()
            if Self.endsList(lexeme) { break }
            switch lexeme.token {
            case .character("^"), .character("_"):
                advance(past: lexeme)
                let isSuperscript = lexeme.token == .character("^")
                let argument = try parseArgument(context.script, for: isSuperscript ? "^" : "_", at: lexeme)
                if atoms.isEmpty { atoms.append(Atom(.row([]), .ord)) }
                if isSuperscript {
                    if atoms[atoms.count - 1].sup != nil && atoms[atoms.count - 1].primes == 0 {
                        throw error("double superscript", at: lexeme.start)
                    }
                    if let primes = atoms[atoms.count - 1].sup {
                        atoms[atoms.count - 1].sup = .row([primes, argument])
                        atoms[atoms.count - 1].primes = 0
                    } else {
                        atoms[atoms.count - 1].sup = argument
                    }
                } else {
                    if atoms[atoms.count - 1].sub != nil { throw error("double subscript", at: lexeme.start) }
                    atoms[atoms.count - 1].sub = argument
                }
            case .character("'"):
                advance(past: lexeme)
                if atoms.isEmpty { atoms.append(Atom(.row([]), .ord)) }
                if atoms[atoms.count - 1].sup != nil && atoms[atoms.count - 1].primes == 0 {
                    throw error("double superscript", at: lexeme.start)
                }
                atoms[atoms.count - 1].primes += 1
                atoms[atoms.count - 1].sup = .op(MathOperator(Self.primes(atoms[atoms.count - 1].primes)))
            case .command("limits"), .command("nolimits"), .command("displaylimits"):
                advance(past: lexeme)
                guard let last = atoms.last, last.texClass == .op || last.texClass == .largeOp else {
                    throw error("\\limits and \\nolimits must follow an operator such as \\sum", at: lexeme.start)
                }
                atoms[atoms.count - 1].limitsControl = switch lexeme.token {
                case .command("limits"): .limits
                case .command("nolimits"): .noLimits
                default: .automatic
                }
            case .command("displaystyle"), .command("textstyle"), .command("scriptstyle"),
                 .command("scriptscriptstyle"):
                // A switch: the rest of the group in that style.
                advance(past: lexeme)
                var inner = context
                let attributes: [MathAttribute]
                switch lexeme.token {
                case .command("displaystyle"):
                    inner.displayStyle = true
                    attributes = [MathAttribute("displaystyle", "true"), MathAttribute("scriptlevel", "0")]
                case .command("textstyle"):
                    inner.displayStyle = false
                    attributes = [MathAttribute("displaystyle", "false"), MathAttribute("scriptlevel", "0")]
                case .command("scriptstyle"):
                    inner.displayStyle = false
                    attributes = [MathAttribute("displaystyle", "false"), MathAttribute("scriptlevel", "1")]
                default:
                    inner.displayStyle = false
                    attributes = [MathAttribute("displaystyle", "false"), MathAttribute("scriptlevel", "2")]
                }
                let rest = try parseList(inner)
                atoms.append(Atom(.style(attributes, rest), .ord))
            case .command("over"), .command("atop"), .command("choose"):
                // Plain TeX's infix fractions: everything before over everything after, to the group's end.
                advance(past: lexeme)
                let numerator = finish(atoms, context.script)
                let denominator = try parseList(context.script)
                let fraction = MathNode.fraction(numerator: .row(numerator), denominator: .row(denominator),
                                                 thickness: lexeme.token == .command("over") ? nil : "0")
                if lexeme.token == .command("choose") {
                    return [.row([Self.fence("(", prefix: true), fraction, Self.fence(")", prefix: false)])]
                }
                return [fraction]
            case .command("color"):
                advance(past: lexeme)
                let color = try readColor(for: "color", at: lexeme)
                let rest = try parseList(context)
                atoms.append(Atom(.style([MathAttribute("mathcolor", color)], rest), .ord))
            case .command(let name) where SymbolTable.fontSwitches[name] != nil:
                advance(past: lexeme)
                var inner = context
                inner.font = SymbolTable.fontSwitches[name]
                let rest = try parseList(inner)
                atoms.append(Atom(.row(rest), .ord))
            default:
                if let atom = try parseAtom(context) { atoms.append(atom) }
            }
        }
        return finish(atoms, context)
    }

    static func primes(_ count: Int) -> String {
        switch count {
        case 1: "′"
        case 2: "″"
        case 3: "‴"
        case 4: "⁗"
        default: String(repeating: "′", count: count)
        }
    }

    /// Turns atoms into nodes: attaches scripts (under/over for operators with limits in display
    /// style), makes a `-` after an operator or relation unary, and adds TeX's thin space around
    /// named operators (`\log x`, `\min_w L`), which MathML Core's operator dictionary cannot know.
    func finish(_ atoms: [Atom], _ context: ParseContext) -> [MathNode] {
        var nodes: [MathNode] = []
        var previous: TeXClass?
        var previousWasSpace = false
        for atom in atoms {
            var texClass = atom.texClass
            var node = build(atom, context)
            if texClass == .bin {
                let unary = previous.map { [.bin, .rel, .open, .punct, .op, .largeOp].contains($0) } ?? true
                if unary {
                    texClass = .ord
                    if atom.sub == nil, atom.sup == nil, case .op(var op) = atom.node {
                        op.texClass = .ord
                        // MathML infers prefix form only for the first child of a row.
                        node = .op(nodes.isEmpty ? op : op.adding("form", "prefix"))
                    }
                }
            }
            if texClass != .space, !previousWasSpace, let previous {
                let thinSpace = (previous == .op && (texClass == .ord || texClass == .op))
                    || (texClass == .op && [.ord, .close, .op].contains(previous))
                if thinSpace { nodes.append(.space(width: "0.1667em")) }
            }
            nodes.append(node)
            previousWasSpace = texClass == .space
            if texClass != .space { previous = texClass }
        }
        return nodes
    }

    func build(_ atom: Atom, _ context: ParseContext) -> MathNode {
        guard atom.sub != nil || atom.sup != nil else { return atom.node }
        let limits = switch atom.limitsControl {
        case .limits: true
        case .noLimits: false
        case .automatic: atom.displayLimits && context.displayStyle
        }
        var base = atom.node
        if limits, !context.displayStyle, case .op(let op) = base {
            // Otherwise the browser moves the limits of `\sum\limits` back to the side inline.
            base = .op(op.adding("movablelimits", "false"))
        }
        return .scripts(base: base, sub: atom.sub, sup: atom.sup, limits: limits)
    }

    // MARK: Arguments

    /// One argument: a `{…}` group, or a single token (`\frac12`, `x^2`, `\mathcal D`).
    mutating func parseArgument(_ context: ParseContext, for name: String, at command: Lexeme) throws(MathError) -> MathNode {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maximumDepth {
            throw error("formula is nested too deeply", at: position)
        }
        let lexeme = peek()
        switch lexeme.token {
        case .character("{"):
            advance(past: lexeme)
            return .row(try parseGroupBody(context, openedAt: lexeme))
        case .character("^"), .character("_"), .character("'"):
            throw error("missing argument for \(name)", at: lexeme.start)
        default:
            if Self.endsList(lexeme) { throw error("missing argument for \(name)", at: lexeme.start) }
            guard let atom = try parseAtom(context, single: true) else {
                throw error("missing argument for \(name)", at: lexeme.start)
            }
            return build(atom, context)
        }
    }

    /// The inside of a `{…}` group whose `{` has been consumed; consumes the `}`.
    mutating func parseGroupBody(_ context: ParseContext, openedAt open: Lexeme) throws(MathError) -> [MathNode] {
        let nodes = try parseList(context)
        let next = peek()
        switch next.token {
        case .character("}"):
            advance(past: next)
            return nodes
        case .end:
            throw error("unbalanced braces: { is never closed", at: open.start)
        default:
            throw unexpected(next)
        }
    }

    /// The raw text of a `{…}` argument (`\label{eq-sam}`, `\begin{pmatrix}`), braces balanced.
    mutating func readRawGroup(for name: String, at command: Lexeme) throws(MathError) -> (text: String, start: Int) {
        let open = peek()
        guard open.token == .character("{") else {
            throw error("missing argument for \\\(name)", at: open.start)
        }
        var index = open.end
        var nesting = 0
        while index < limit {
            let scalar = scalars[index]
            if scalar == "\\" {
                index += 2
                continue
            }
            if scalar == "{" { nesting += 1 }
            if scalar == "}" {
                if nesting == 0 { break }
                nesting -= 1
            }
            index += 1
        }
        guard index < limit else { throw error("unbalanced braces: { is never closed", at: open.start) }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars[open.end..<index])
        position = index + 1
        return (String(text).trimmingWhitespace(), open.end)
    }

    mutating func readColor(for name: String, at command: Lexeme) throws(MathError) -> String {
        let (color, start) = try readRawGroup(for: name, at: command)
        let scalars = Array(color.unicodeScalars)
        let isName = !scalars.isEmpty && scalars.allSatisfy(\.isASCIILetter)
        let isHex = scalars.first == "#" && [4, 7].contains(scalars.count)
            && scalars.dropFirst().allSatisfy { $0.properties.isASCIIHexDigit }
        guard isName || isHex else {
            throw error("unsupported color \"\(color)\" (use a CSS color name or #rrggbb)", at: start)
        }
        return color
    }
}

extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
