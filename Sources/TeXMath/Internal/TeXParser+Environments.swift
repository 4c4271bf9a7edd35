extension TeXParser {
    /// `\begin{name} … \end{name}`: matrices, cases, aligned derivations, arrays and equations.
    mutating func parseEnvironment(_ begin: Lexeme, _ context: ParseContext) throws(MathError) -> Atom {
        let (name, nameStart) = try readRawGroup(for: "begin", at: begin)
        switch name {
        case "equation", "equation*":
            let nodes = try parseList(context)
            try expectEnd(of: name, begin: begin)
            return Atom(.row(nodes), .ord)
        case "matrix", "pmatrix", "bmatrix", "Bmatrix", "vmatrix", "Vmatrix", "smallmatrix", "cases", "dcases", "rcases":
            let rows = try parseRows(Self.cellContext(for: name, context))
            try expectEnd(of: name, begin: begin)
            return Self.matrixAtom(name, rows)
        case "aligned", "align", "align*", "split", "alignat", "alignat*", "alignedat", "flalign", "flalign*":
            if name.hasPrefix("alignat") || name == "alignedat" { _ = try readRawGroup(for: "begin{\(name)}", at: begin) }
            var cellContext = context
            cellContext.displayStyle = true
            let rows = try parseRows(cellContext)
            try expectEnd(of: name, begin: begin)
            let columns = rows.map(\.count).max() ?? 0
            // Pairs of columns, right then left aligned, meeting at the relation: `x &= y`.
            let styles: [String?] = (0..<columns).map { column in
                if column % 2 == 1 { return "text-align:left;padding-left:0" }
                return column == 0 ? "text-align:right;padding-right:0" : "text-align:right;padding-left:1em;padding-right:0"
            }
            return Atom(.table(MathTable(rows: rows, columnStyles: styles, displayStyle: true)), .ord)
        case "gathered", "gather", "gather*", "multline", "multline*":
            var cellContext = context
            cellContext.displayStyle = true
            let rows = try parseRows(cellContext)
            try expectEnd(of: name, begin: begin)
            return Atom(.table(MathTable(rows: rows, columnStyles: [], displayStyle: true)), .ord)
        case "array", "darray":
            let (spec, specStart) = try readRawGroup(for: "begin{array}", at: begin)
            var styles: [String?] = []
            for (offset, scalar) in spec.unicodeScalars.enumerated() {
                switch scalar {
                case "l": styles.append("text-align:left")
                case "c": styles.append(nil)
                case "r": styles.append("text-align:right")
                case "|", " ": break
                default:
                    throw error("unsupported column \(scalar) in array (use l, c, r)", at: specStart + offset)
                }
            }
            var cellContext = context
            cellContext.displayStyle = name == "darray"
            let rows = try parseRows(cellContext)
            try expectEnd(of: name, begin: begin)
            return Atom(.table(MathTable(rows: rows, columnStyles: styles, displayStyle: name == "darray")), .ord)
        default:
            throw error("unknown environment \(name)", at: nameStart)
        }
    }

    /// Plain TeX's `\matrix{a & b \cr c & d}`, `\pmatrix{…}`, `\cases{…}`.
    mutating func parsePlainTeXMatrix(_ name: String, _ command: Lexeme, _ context: ParseContext) throws(MathError) -> Atom {
        let open = peek()
        guard open.token == .character("{") else { throw error("missing argument for \\\(name)", at: open.start) }
        advance(past: open)
        let rows = try parseRows(Self.cellContext(for: name, context))
        let close = peek()
        switch close.token {
        case .character("}"): advance(past: close)
        case .end: throw error("unbalanced braces: { is never closed", at: open.start)
        default: throw unexpected(close)
        }
        return Self.matrixAtom(name, rows)
    }

    /// Matrix and cases cells are in text style; `dcases` cells in display style.
    static func cellContext(for name: String, _ context: ParseContext) -> ParseContext {
        var cellContext = context
        cellContext.displayStyle = name == "dcases"
        return cellContext
    }

    /// A matrix in its delimiters, or cases after their brace: rows of cells as an `mtable`.
    static func matrixAtom(_ name: String, _ rows: [[[MathNode]]]) -> Atom {
        if name.hasSuffix("cases") {
            let table = MathNode.table(MathTable(
                rows: rows, columnStyles: ["text-align:left", "text-align:left;padding-left:1em"],
                displayStyle: name == "dcases"))
            if name == "rcases" { return Atom(.row([table, fence("}", prefix: false)]), .inner) }
            return Atom(.row([fence("{", prefix: true), table]), .inner)
        }
        var table = MathNode.table(MathTable(rows: rows, columnStyles: [], displayStyle: false))
        if name == "smallmatrix" { table = .style([MathAttribute("scriptlevel", "1")], [table]) }
        let fences: (String, String)? = switch name {
        case "pmatrix": ("(", ")")
        case "bmatrix": ("[", "]")
        case "Bmatrix": ("{", "}")
        case "vmatrix": ("|", "|")
        case "Vmatrix": ("‖", "‖")
        default: nil
        }
        guard let fences else { return Atom(table, .ord) }
        return Atom(.row([fence(fences.0, prefix: true), table, fence(fences.1, prefix: false)]), .inner)
    }

    /// Cells separated by `&` and rows by `\\`, up to the token that ends the table.
    mutating func parseRows(_ context: ParseContext) throws(MathError) -> [[[MathNode]]] {
        var rows: [[[MathNode]]] = []
        var row: [[MathNode]] = []
        while true {
            row.append(try parseList(context))
            let next = peek()
            switch next.token {
            case .character("&"):
                advance(past: next)
            case .command("\\"), .command("cr"):
                advance(past: next)
                skipRowSpacing()
                rows.append(row)
                row = []
            default:
                rows.append(row)
                // A `\\` before `\end` leaves an empty last row.
                if rows.count > 1, let last = rows.last, last.count == 1, last[0].isEmpty { rows.removeLast() }
                return rows
            }
        }
    }

    /// `\\[2pt]` and `\\*`: extra space between rows, ignored.
    private mutating func skipRowSpacing() {
        if position < limit, scalars[position] == "*" { position += 1 }
        let next = peek()
        guard next.token == .character("[") else { return }
        var index = next.end
        while index < limit, scalars[index] != "]" { index += 1 }
        if index < limit { position = index + 1 }
    }

    private mutating func expectEnd(of name: String, begin: Lexeme) throws(MathError) {
        let next = peek()
        switch next.token {
        case .command("end"):
            advance(past: next)
            let (endName, _) = try readRawGroup(for: "end", at: next)
            if endName != name {
                throw error("\\end{\(endName)} does not match \\begin{\(name)}", at: next.start)
            }
        case .end:
            throw error("\\begin{\(name)} without matching \\end{\(name)}", at: begin.start)
        default:
            throw unexpected(next)
        }
    }
}
