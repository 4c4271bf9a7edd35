import Foundation

/// A problem found while building, tied to the place in an author's file it concerns.
///
/// Printed the way the Swift compiler prints its own diagnostics, so editors and terminals
/// that understand `FILE:LINE:COL: error: …` jump straight to it.
public struct Diagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning, note }

    /// Path as the author would type it (relative to the working directory when possible).
    public var file: String
    /// 1-based; 0 when the problem concerns the whole file.
    public var line: Int
    /// 1-based; 0 when unknown.
    public var column: Int
    public var severity: Severity
    public var message: String
    /// The offending source line, shown with a caret under `column`.
    public var sourceLine: String?
    /// Further lines printed under the diagnostic (compiler excerpt, captured output, …).
    public var details: [String]

    public init(file: String, line: Int = 0, column: Int = 0, severity: Severity = .error,
                message: String, sourceLine: String? = nil, details: [String] = []) {
        self.file = file
        self.line = line
        self.column = column
        self.severity = severity
        self.message = message
        self.sourceLine = sourceLine
        self.details = details
    }

    /// A problem at a node's position in a chapter.
    public init(file: String, at position: SourcePosition, severity: Severity = .error,
                message: String, sourceLine: String? = nil, details: [String] = []) {
        self.init(file: file, line: position.line, column: position.column, severity: severity,
                  message: message, sourceLine: sourceLine, details: details)
    }

    /// `file:line:col: error: message` — the first line alone.
    public var headline: String {
        var location = file
        if line > 0 { location += ":\(line)" }
        if line > 0, column > 0 { location += ":\(column)" }
        return "\(location): \(severity.rawValue): \(message)"
    }

    public var description: String { rendered(color: false) }

    /// The full diagnostic: headline, source excerpt with a caret, details.
    public func rendered(color: Bool) -> String {
        var out = headline
        if color {
            let tint = severity == .error ? "\u{1B}[1;31m" : severity == .warning ? "\u{1B}[1;35m" : "\u{1B}[1;30m"
            out = out.replacingFirst("\(severity.rawValue):", with: "\(tint)\(severity.rawValue):\u{1B}[0;1m") + "\u{1B}[0m"
        }
        if let sourceLine {
            out += "\n" + sourceLine
            if column > 0 {
                let indent = sourceLine.prefix(column - 1).map { $0 == "\t" ? "\t" : " " }.joined()
                out += "\n" + indent + (color ? "\u{1B}[1;32m^\u{1B}[0m" : "^")
            }
        }
        for detail in details { out += "\n" + detail }
        return out
    }
}

/// Several diagnostics at once (a build that found more than one problem).
public struct BuildFailure: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
