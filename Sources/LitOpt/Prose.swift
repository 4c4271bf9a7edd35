import Foundation
import Notebook

// Numbers and verdicts for prose: what `` `{swift} expr` `` puts in a sentence, and claims
// the build checks.

/// The text of an inline value: strings as they are, numbers compactly (as a cell's last
/// expression shows them), anything else as Swift describes it.
public func inlineText(_ value: Any) -> String {
    switch value {
    case let text as String: return text
    case let text as Substring: return String(text)
    default: return describe(value)
    }
}

/// `x` with `digits` significant digits, as prose writes it: `0.0123`, `1.50`, `12 300`,
/// `−4.2`, `3.1 × 10⁻⁶` (a true minus sign; powers of ten outside 10⁻⁴…10⁶).
public func fmt(_ x: Double, digits: Int = 3) -> String {
    guard x.isFinite else { return x.isNaN ? "NaN" : (x > 0 ? "∞" : "−∞") }
    let digits = max(1, digits)
    if x == 0 { return "0" }
    let exponent = Int(floor(log10(abs(x))))
    if exponent < -4 || exponent >= 6 {
        let mantissa = x / pow(10, Double(exponent))
        var m = String(format: "%.\(digits - 1)f", mantissa)
        if m.hasPrefix("10") || m.hasPrefix("-10") {  // 9.995 rounded up
            m = String(format: "%.\(digits - 1)f", mantissa / 10)
            return minus(m) + " × 10" + superscript(exponent + 1)
        }
        return minus(m) + " × 10" + superscript(exponent)
    }
    if exponent >= digits {
        // No decimals left: round to `digits` significant digits, as an integer (`12 300`).
        let unit: Double = Foundation.pow(10.0, Double(exponent - digits + 1))
        return fmt(Int((x / unit).rounded() * unit))
    }
    let decimals = max(0, digits - 1 - exponent)
    var text = String(format: "%.\(decimals)f", x)
    // Rounding may have added a digit (9.996 → 10.00): one decimal fewer keeps `digits`.
    if decimals > 0, let value = Double(text), abs(value) >= pow(10, Double(exponent + 1)) {
        text = String(format: "%.\(decimals - 1)f", x)
    }
    return minus(text)
}

/// An integer as prose writes it: `12 345` (thin spaces between thousands), `−7`.
public func fmt(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0, (digits.count - i) % 3 == 0, digits.count > 4 { out += "\u{2009}" }
        out.append(c)
    }
    return (n < 0 ? "−" : "") + out
}

/// A fraction as a percentage: `percent(0.1234)` is `12.3%`.
public func percent(_ fraction: Double, digits: Int = 1) -> String {
    minus(String(format: "%.\(max(0, digits))f", fraction * 100)) + "%"
}

/// `tally(3, of: 5)` is `3 of 5`.
public func tally(_ count: Int, of total: Int) -> String { "\(count) of \(total)" }

/// How many of `values` satisfy `predicate`, as `3 of 5`.
public func tally<T>(_ values: [T], where predicate: (T) -> Bool) -> String {
    tally(values.filter(predicate).count, of: values.count)
}

/// Items as prose lists them: `list(["SOAP"])` is `SOAP`, `list(["K-FAC", "Shampoo", "Muon"])` is
/// `K-FAC, Shampoo and Muon`, and an empty list is `none` (or `empty`, when given).
public func list(_ items: [String], empty: String = "none") -> String {
    switch items.count {
    case 0: return empty
    case 1: return items[0]
    default: return items.dropLast().joined(separator: ", ") + " and " + items.last!
    }
}

/// A difference with its sign always written: `+0.0123`, `−0.45`, `0`.
public func signed(_ x: Double, digits: Int = 3) -> String {
    let text = fmt(x, digits: digits)
    return x > 0 ? "+" + text : text
}

/// An interval: `[0.012, 0.034]`.
public func interval(_ lower: Double, _ upper: Double, digits: Int = 3) -> String {
    "[\(fmt(lower, digits: digits)), \(fmt(upper, digits: digits))]"
}

private func minus(_ text: String) -> String {
    text.hasPrefix("-") ? "−" + text.dropFirst() : text
}

private func superscript(_ n: Int) -> String {
    let digits: [Character: Character] = ["0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵",
                                          "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻"]
    return String(String(n).map { digits[$0] ?? $0 })
}

/// How a failed claim affects the build.
public enum ClaimSeverity: Sendable {
    /// The build fails, pointing at the claim (the default).
    case error
    /// The page is built with a notice at this point that the claim does not hold, and the
    /// build prints a warning.
    case warning
}

/// States what the chapter's argument rests on, and checks it: a claim that does not hold
/// fails the build at this line (or, with `severity: .warning`, is flagged in the page).
/// Claims that hold leave no trace in the page; `--report` lists them all.
///
/// ```swift
/// claim("SAM's minimum is flatter than SGD's in every seed",
///       zip(samλ, sgdλ).allSatisfy { $0 < $1 }, "SAM \(samλ), SGD \(sgdλ)")
/// ```
public func claim(_ statement: String, _ holds: Bool, _ values: @autoclosure () -> String = "",
                  severity: ClaimSeverity = .error,
                  file: String = #file, line: Int = #line, column: Int = #column) {
    Session.shared.claim(statement, holds: holds, values: values(), severity: severity == .error ? .error : .warning,
                         file: file, line: line, column: column)
}
