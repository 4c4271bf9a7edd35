import Foundation

/// The one place diagnostics become text: the CLI prints every error, warning and note
/// through it, and `Diagnostic.description` is its uncolored form.
///
/// Layout follows the Swift compiler: `FILE:LINE:COL: severity: message`, then the source line
/// with a caret under the column, then any detail lines. With `color`, the severity is tinted
/// (errors red, warnings magenta, notes grey), the message bold and the caret green — ANSI
/// escapes only where `standardError(…)` found a terminal that wants them.
public struct DiagnosticPrinter: Sendable, Equatable {
    public var color: Bool

    public init(color: Bool) { self.color = color }

    /// The printer for this process's standard error: color when it is a terminal, `NO_COLOR`
    /// is unset or empty (https://no-color.org) and `TERM` is not `dumb`.
    public static func standardError(environment: [String: String] = ProcessInfo.processInfo.environment,
                                     isTerminal: Bool = isatty(STDERR_FILENO) != 0) -> DiagnosticPrinter {
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        return DiagnosticPrinter(color: isTerminal && !noColor && environment["TERM"] != "dumb")
    }

    /// One diagnostic's lines: headline, source excerpt with a caret, details.
    public func lines(_ diagnostic: Diagnostic) -> [String] {
        var lines = [headline(location: diagnostic.location, severity: diagnostic.severity, message: diagnostic.message)]
        if let sourceLine = diagnostic.sourceLine {
            lines.append(sourceLine)
            if diagnostic.column > 0 {
                let indent = sourceLine.prefix(diagnostic.column - 1).map { $0 == "\t" ? "\t" : " " }.joined()
                lines.append(indent + paint("^", Self.caret))
            }
        }
        return lines + diagnostic.details
    }

    /// One diagnostic, every line ending in a newline.
    public func text(_ diagnostic: Diagnostic) -> String { lines(diagnostic).map { $0 + "\n" }.joined() }

    /// Several diagnostics, in order.
    public func text(_ diagnostics: [Diagnostic]) -> String { diagnostics.map(text).joined() }

    /// A problem with no place in a file (a bad option, a failed submission): `error: message`.
    public func text(severity: Diagnostic.Severity = .error, message: String) -> String {
        headline(location: nil, severity: severity, message: message) + "\n"
    }

    public func write(_ diagnostics: [Diagnostic]) { Self.emit(text(diagnostics)) }
    public func write(severity: Diagnostic.Severity = .error, message: String) {
        Self.emit(text(severity: severity, message: message))
    }

    // MARK: - Layout

    static let reset = "\u{1B}[0m"
    static let bold = "\u{1B}[1m"
    static let caret = "\u{1B}[1;32m"
    static func tint(_ severity: Diagnostic.Severity) -> String {
        switch severity {
        case .error: "\u{1B}[1;31m"
        case .warning: "\u{1B}[1;35m"
        case .note: "\u{1B}[1;30m"
        }
    }

    private func headline(location: String?, severity: Diagnostic.Severity, message: String) -> String {
        let prefix = location.map { "\($0): " } ?? ""
        guard color else { return "\(prefix)\(severity.rawValue): \(message)" }
        return "\(Self.bold)\(prefix)\(Self.reset)\(Self.tint(severity))\(severity.rawValue):\(Self.reset) "
            + "\(Self.bold)\(message)\(Self.reset)"
    }

    private func paint(_ text: String, _ style: String) -> String {
        color ? style + text + Self.reset : text
    }

    private static func emit(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
