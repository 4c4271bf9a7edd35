import Foundation

/// Reads the compiler's diagnostics out of its output.
///
/// With `-diagnostic-style llvm` each diagnostic starts with `FILE:LINE:COL: error: …`,
/// followed by the source line and a caret; notes follow their error.
enum CompilerOutput {
    /// Errors located in `chapter` (or anywhere, if none are), with their notes as details.
    static func errors(in output: String, chapter: String) -> [Diagnostic] {
        var result: [Diagnostic] = []
        var current: Diagnostic?
        var inNote = false
        for line in output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if let header = parseHeader(line) {
                if header.severity == "error" {
                    if let current { result.append(current) }
                    current = Diagnostic(file: header.file, line: header.line, column: header.column,
                                         message: header.message)
                    inNote = false
                } else if header.severity == "note", current != nil {
                    current?.details.append(line)
                    inNote = true
                } else {
                    if let done = current { result.append(done) }
                    current = nil
                    inNote = false
                }
            } else if current != nil, !line.isEmpty, !inNote {
                // The first excerpt line is the source; the compiler's own caret line is
                // dropped (the diagnostic draws its own), notes keep only their headline.
                let isCaretLine = line.allSatisfy { "^~ ".contains($0) }
                if current!.sourceLine == nil {
                    current!.sourceLine = line
                } else if !isCaretLine {
                    current!.details.append(line)
                }
            }
        }
        if let current { result.append(current) }
        let inChapter = result.filter { $0.file == chapter || $0.file.hasPrefix(chapter + "#inline-") }
        return inChapter.isEmpty ? result : inChapter
    }

    static func parseHeader(_ line: String) -> (file: String, line: Int, column: Int, severity: String, message: String)? {
        for severity in ["error", "warning", "note", "remark"] {
            guard let range = line.range(of: ": \(severity): ") else { continue }
            let location = line[..<range.lowerBound].split(separator: ":", omittingEmptySubsequences: false)
            guard location.count >= 3, let l = Int(location[location.count - 2]),
                  let c = Int(location[location.count - 1]) else { continue }
            let file = location.dropLast(2).joined(separator: ":")
            return (file, l, c, severity, String(line[range.upperBound...]))
        }
        return nil
    }
}

/// What a crashed cell program left in its captured output.
struct CrashReport {
    var message: String?
    var line: Int?
    var column: Int?
    /// The few lines worth showing (the fatal error and the frame in the chapter).
    var excerpt: [String] = []

    init(_ text: String, chapter: String) {
        for raw in text.split(separator: "\n").map(String.init) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if message == nil, let range = line.range(of: "Fatal error: ") {
                message = String(line[range.upperBound...])
                excerpt.append(line)
            } else if message == nil, line.hasPrefix("💣 Program crashed: ") {
                message = String(line.dropFirst("💣 Program crashed: ".count))
                excerpt.append(line)
            }
            // A backtrace frame: "… at /path/Chapters/01-x.md:12:5"
            if self.line == nil, let range = line.range(of: chapter + ":", options: .backwards) {
                let parts = line[range.upperBound...].split(separator: ":")
                if let l = parts.first.flatMap({ Int($0.prefix { $0.isNumber }) }) {
                    self.line = l
                    self.column = parts.dropFirst().first.flatMap { Int($0.prefix { $0.isNumber }) }
                    excerpt.append(line)
                }
            }
        }
    }
}
