import Foundation
import Notebook

/// Puts a figure, table or value in the page, under the cell that calls it.
public func show(_ item: some Displayable) {
    Session.shared.show(item.display)
}

/// Shows rows as a table; every cell is formatted with `String(describing:)`.
public func table(header: [String], rows: [[Any]]) {
    Session.shared.show(.table(.init(header: header, rows: rows.map { $0.map(format) })))
}

/// Shows `(label, value)` pairs as a two-column table.
public func table(_ pairs: KeyValuePairs<String, Any>, header: [String] = ["", ""]) {
    table(header: header, rows: pairs.map { [$0.key, $0.value] })
}

/// Formats a table cell: doubles with up to 6 significant digits, the rest as Swift prints them.
func format(_ value: Any) -> String {
    switch value {
    case let x as Double: return formatNumber(x)
    case let x as Float: return formatNumber(Double(x))
    default: return String(describing: value)
    }
}

func formatNumber(_ x: Double) -> String {
    if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
    let magnitude = abs(x)
    if magnitude != 0, magnitude < 1e-4 || magnitude >= 1e6 {
        return String(format: "%.4e", x)
    }
    return String(format: "%.6g", x)
}
