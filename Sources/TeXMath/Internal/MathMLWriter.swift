/// Writes a ``MathNode`` tree as MathML Core markup.
enum MathMLWriter {
    /// The node as exactly one element (several children are wrapped in `<mrow>`).
    static func element(_ node: MathNode) -> String {
        var out = ""
        write(node, into: &out)
        return out
    }

    /// `<`, `>`, `&` and `"` as references; non-breaking and invisible spaces as hex references
    /// so they survive copy-editing of the output.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "\u{A0}": out += "&#xA0;"
            case "\u{2009}": out += "&#x2009;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func write(_ node: MathNode, into out: inout String) {
        switch node {
        case .identifier(let text, let upright):
            if upright && text.unicodeScalars.count == 1 {
                out += "<mi mathvariant=\"normal\">\(escape(text))</mi>"
            } else {
                out += "<mi>\(escape(text))</mi>"
            }
        case .number(let text):
            out += "<mn>\(escape(text))</mn>"
        case .op(let op):
            out += "<mo\(attributes(op.attributes))>\(escape(op.text))</mo>"
        case .text(let text, let style):
            let attribute = style.map { " style=\"\(escape($0))\"" } ?? ""
            out += "<mtext\(attribute)>\(escape(text))</mtext>"
        case .space(let width):
            out += "<mspace width=\"\(width)\"/>"
        case .row(let children):
            if children.count == 1 {
                write(children[0], into: &out)
            } else {
                out += "<mrow>"
                writeChildren(children, into: &out)
                out += "</mrow>"
            }
        case .scripts(let base, let sub, let sup, let limits):
            let name: String
            switch (sub, sup) {
            case (.some, .some): name = limits ? "munderover" : "msubsup"
            case (.some, .none): name = limits ? "munder" : "msub"
            case (.none, .some): name = limits ? "mover" : "msup"
            case (.none, .none):
                write(base, into: &out)
                return
            }
            out += "<\(name)>"
            write(base, into: &out)
            if let sub { write(sub, into: &out) }
            if let sup { write(sup, into: &out) }
            out += "</\(name)>"
        case .accent(let base, let mark, let under):
            out += under ? "<munder accentunder=\"true\">" : "<mover accent=\"true\">"
            write(base, into: &out)
            write(.op(mark), into: &out)
            out += under ? "</munder>" : "</mover>"
        case .fraction(let numerator, let denominator, let thickness):
            out += thickness.map { "<mfrac linethickness=\"\($0)\">" } ?? "<mfrac>"
            write(numerator, into: &out)
            write(denominator, into: &out)
            out += "</mfrac>"
        case .root(let radicand, let index):
            if let index {
                out += "<mroot>"
                write(radicand, into: &out)
                write(index, into: &out)
                out += "</mroot>"
            } else {
                out += "<msqrt>"
                writeContents(radicand, into: &out)
                out += "</msqrt>"
            }
        case .table(let table):
            out += table.displayStyle ? "<mtable displaystyle=\"true\">" : "<mtable>"
            for row in table.rows {
                out += "<mtr>"
                for (column, cell) in row.enumerated() {
                    if let style = table.style(ofColumn: column) {
                        out += "<mtd style=\"\(style)\">"
                    } else {
                        out += "<mtd>"
                    }
                    writeChildren(cell, into: &out)
                    out += "</mtd>"
                }
                out += "</mtr>"
            }
            out += "</mtable>"
        case .style(let attributeList, let children):
            out += "<mstyle\(attributes(attributeList))>"
            writeChildren(children, into: &out)
            out += "</mstyle>"
        case .phantom(let child):
            out += "<mphantom>"
            writeContents(child, into: &out)
            out += "</mphantom>"
        case .padded(let attributeList, let child):
            out += "<mpadded\(attributes(attributeList))>"
            writeContents(child, into: &out)
            out += "</mpadded>"
        }
    }

    /// Children of an element that lays them out as a row itself (`msqrt`, `mtd`, `mstyle`, …).
    private static func writeContents(_ node: MathNode, into out: inout String) {
        if case .row(let children) = node {
            writeChildren(children, into: &out)
        } else {
            write(node, into: &out)
        }
    }

    private static func writeChildren(_ children: [MathNode], into out: inout String) {
        for child in children { write(child, into: &out) }
    }

    private static func attributes(_ list: [MathAttribute]) -> String {
        list.map { " \($0.name)=\"\(escape($0.value))\"" }.joined()
    }
}
