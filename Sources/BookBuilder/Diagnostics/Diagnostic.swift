import Foundation

/// A problem found while building, tied to the place in an author's file it concerns.
///
/// Printed the way the Swift compiler prints its own diagnostics, so editors and terminals
/// that understand `FILE:LINE:COL: error: …` jump straight to it.
public struct Diagnostic: Error, Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable { case error, warning, note }

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

    /// `file:line:col`, as much of it as is known.
    public var location: String {
        var location = file
        if line > 0 { location += ":\(line)" }
        if line > 0, column > 0 { location += ":\(column)" }
        return location
    }

    /// `file:line:col: error: message` — the first line alone.
    public var headline: String { "\(location): \(severity.rawValue): \(message)" }

    /// The full diagnostic without color: headline, source excerpt with a caret, details.
    public var description: String { DiagnosticPrinter(color: false).lines(self).joined(separator: "\n") }
}

/// Several diagnostics at once (a build that found more than one problem).
public struct BuildFailure: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
