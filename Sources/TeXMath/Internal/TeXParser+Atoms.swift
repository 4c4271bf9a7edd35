extension TeXParser {
    /// Parses one atom: a character, a group, or a command with its arguments. `nil` for
    /// commands that produce nothing (`\label`, `\nonumber`). With `single`, letters and digits
    /// are taken one at a time, as TeX takes an argument (`\frac12`).
    mutating func parseAtom(_ context: ParseContext, single: Bool = false) throws(MathError) -> Atom? {
        let lexeme = peek()
        advance(past: lexeme)
        switch lexeme.token {
        case .end:
            return nil
        case .command(let name):
            return try parseCommand(name, lexeme, context)
        case .character(let scalar):
            return try parseCharacter(scalar, lexeme, context, single: single)
        }
    }

    private mutating func parseCharacter(_ scalar: Unicode.Scalar, _ lexeme: Lexeme, _ context: ParseContext,
                                         single: Bool) throws(MathError) -> Atom? {
        switch scalar {
        case "{":
            return Atom(.row(try parseGroupBody(context, openedAt: lexeme)), .ord)
        case "+": return Atom(.op(MathOperator("+", .bin)), .bin)
        case "-": return Atom(.op(MathOperator("−", .bin)), .bin)
        case "*": return Atom(.op(MathOperator("∗", .bin)), .bin)
        case "=", "<", ">", ":": return Atom(.op(MathOperator(String(scalar), .rel)), .rel)
        case ",", ";", "?": return Atom(.op(MathOperator(String(scalar), .punct)), .punct)
        case "!": return Atom(.op(MathOperator("!", .close)), .close)
        case ".": return Atom(.op(MathOperator(".")), .ord)
        case "'": return Atom(.op(MathOperator("′")), .ord)
        case "(", "[", ")", "]", "|", "/":
            let delimiter = SymbolTable.delimiters[String(scalar)]!
            return Atom(.op(bareDelimiter(delimiter.text, delimiter.texClass, name: "")), delimiter.texClass)
        case "~":
            return Atom(.text("\u{A0}", style: nil), .space)
        case "$":
            throw error("unexpected $ inside math", at: lexeme.start)
        case "#":
            throw error("unexpected # (write \\# for the sign)", at: lexeme.start)
        case "\\":
            throw error("stray \\ at the end of the formula", at: lexeme.start)
        default:
            break
        }
        if scalar.isASCIIDigit {
            var digits = String(scalar)
            if !single {
                while position < limit, scalars[position].isASCIIDigit
                    || (scalars[position] == "." && position + 1 < limit && scalars[position + 1].isASCIIDigit) {
                    digits.unicodeScalars.append(scalars[position])
                    position += 1
                }
            }
            return Atom(.number(styled(digits, context.font)), .ord)
        }
        if scalar.isASCIILetter {
            var letters = String(scalar)
            if !single, let font = context.font, font.joinsLetters {
                while true {
                    let next = peek()
                    guard case .character(let following) = next.token, following.isASCIILetter else { break }
                    letters.unicodeScalars.append(following)
                    advance(past: next)
                }
            }
            return Atom(styledIdentifier(letters, upright: false, context.font), .ord)
        }
        if let texClass = SymbolTable.classOfCharacter[String(scalar)] {
            if texClass == .largeOp {
                return Atom(.op(MathOperator(String(scalar), .largeOp)), .largeOp, displayLimits: scalar != "∫")
            }
            return Atom(.op(MathOperator(String(scalar), texClass)), texClass)
        }
        if scalar.properties.isAlphabetic {
            return Atom(styledIdentifier(String(scalar), upright: false, context.font), .ord)
        }
        return Atom(.op(MathOperator(String(scalar))), .ord)
    }

    /// `<mi>` for `text` in `font`: mapped to Mathematical Alphanumeric Symbols, or upright for `\mathrm`.
    func styledIdentifier(_ text: String, upright: Bool, _ font: MathFont?) -> MathNode {
        guard let font else { return .identifier(text, upright: upright) }
        if font == .roman { return .identifier(text, upright: true) }
        let mapped = styled(text, font)
        return .identifier(mapped, upright: upright && mapped == text)
    }

    func styled(_ text: String, _ font: MathFont?) -> String {
        guard let font else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { result.append(MathAlphabet.styled(scalar, font) ?? scalar) }
        return String(result)
    }

    /// A delimiter standing alone keeps its natural size, as in TeX (`f(x)`, `|x|`, `\langle x\rangle`).
    func bareDelimiter(_ text: String, _ texClass: TeXClass, name: String) -> MathOperator {
        switch name {
        case "lvert", "lVert":
            return MathOperator(text, .open, [MathAttribute("form", "prefix"), MathAttribute("stretchy", "false")])
        case "rvert", "rVert":
            return MathOperator(text, .close, [MathAttribute("form", "postfix"), MathAttribute("stretchy", "false")])
        default:
            if texClass == .ord {
                // TeX spaces `|`, `‖` and `/` as ordinary symbols: no space around them.
                return MathOperator(text, .ord, [MathAttribute("lspace", "0"), MathAttribute("rspace", "0"),
                                                 MathAttribute("stretchy", "false")])
            }
            return MathOperator(text, texClass, [MathAttribute("stretchy", "false")])
        }
    }

    /// A delimiter that grows with what it encloses: `\left(`, `\right)`, and those of `\begin{pmatrix}`.
    static func fence(_ text: String, prefix: Bool) -> MathNode {
        .op(MathOperator(text, prefix ? .open : .close,
                         [MathAttribute("form", prefix ? "prefix" : "postfix"), MathAttribute("stretchy", "true")]))
    }

    /// The delimiter after `\left`, `\right`, `\middle` or `\big`; `nil` for the empty `.`.
    mutating func readDelimiter(after name: String) throws(MathError) -> (text: String, texClass: TeXClass)? {
        let lexeme = peek()
        advance(past: lexeme)
        switch lexeme.token {
        case .character("."):
            return nil
        case .character(let scalar) where "()[]|/<>".unicodeScalars.contains(scalar):
            return SymbolTable.delimiters[String(scalar)]
        case .command("|"):
            return ("‖", .ord)
        case .command(let command) where !"()[]|/<>".contains(command):
            if let delimiter = SymbolTable.delimiters[command] { return delimiter }
        default:
            break
        }
        throw error("\\\(name) must be followed by a delimiter such as ( [ \\{ | \\| \\langle or .", at: lexeme.start)
    }
}
