import Foundation
import Notebook

/// Finds numbers typed into prose that a cell above printed: the sentences that go stale
/// the day the result moves. A number counts when it has at least three significant digits,
/// a cell above printed or displayed exactly that text (at its printed precision), and it is
/// not a literal of any cell's source above (a parameter such as `steps: 3000` typed again in
/// prose is not a result).
enum TypedResultLint {
    struct Printed {
        var numbers: Set<String> = []
        var literals: Set<String> = []
    }

    static let number = try! NSRegularExpression(pattern: #"(?<![\w.])[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?(?![\w])"#)

    /// Number tokens of `text` with at least three significant digits.
    static func tokens(_ text: String) -> [String] {
        let ns = text as NSString
        return number.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range) }
            .map { $0.hasSuffix(".") ? String($0.dropLast()) : $0 }
            .filter { significantDigits($0) >= 3 }
    }

    static func significantDigits(_ token: String) -> Int {
        let mantissa = token.split(whereSeparator: { $0 == "e" || $0 == "E" }).first.map(String.init) ?? token
        let digits = mantissa.filter(\.isNumber).drop { $0 == "0" }
        return digits.count
    }

    /// Adds what `cell` printed, displayed and contains as literals.
    static func learn(cell: Cell, result: CellResult?, into printed: inout Printed) {
        printed.literals.formUnion(tokens(cell.source))
        guard let result else { return }
        printed.numbers.formUnion(tokens(result.text))
        for record in result.outputs {
            switch record.item {
            case .value(let text): printed.numbers.formUnion(tokens(text))
            case .table(let table): for row in table.rows { for cell in row { printed.numbers.formUnion(tokens(cell)) } }
            default: break
            }
        }
    }

    /// The numbers of a prose text that are typed results.
    static func typed(in text: String, printed: Printed) -> [String] {
        guard !printed.numbers.isEmpty, text.contains(where: \.isNumber) else { return [] }
        return tokens(text).filter { printed.numbers.contains($0) && !printed.literals.contains($0) }
    }
}
