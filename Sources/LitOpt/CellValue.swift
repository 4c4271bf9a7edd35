import Foundation
import Notebook

/// Displays the value of a cell's last expression, like a notebook's `Out[n]`.
///
/// The book builder appends `|~> cellValue` on a line after a cell that ends in an
/// expression. `Void` results (calls like `print`, assignments) show nothing; figures and
/// tables are shown as such; anything else as text.
public struct CellValueSink: Sendable {}
public let cellValue = CellValueSink()

precedencegroup CellValuePrecedence {
    lowerThan: AssignmentPrecedence
    associativity: left
}
infix operator |~> : CellValuePrecedence

public func |~> (value: Void, sink: CellValueSink) {}

public func |~> <T>(value: T, sink: CellValueSink) {
    if let displayable = value as? any Displayable {
        Session.shared.show(displayable.display)
    } else {
        Session.shared.show(.value(describe(value)))
    }
}

/// How a value reads in the page: numbers compactly, everything else as Swift prints it.
func describe(_ value: Any) -> String {
    switch value {
    case let x as Double: return formatNumber(x)
    default: return String(describing: value)
    }
}
