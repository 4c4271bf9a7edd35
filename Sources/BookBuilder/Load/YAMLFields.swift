import Foundation
import Yams

/// One scalar of `book.yml` or a chapter's front matter as Yams composed it: the text as
/// written, the type YAML resolves it to, and where it is. A field declared as a scalar that
/// holds a list or a mapping fails to decode at its key (reported as what was found).
struct YAMLScalar: Decodable, ScalarConstructible, Equatable, Sendable {
    enum Kind: Sendable, Equatable { case string, bool, int, float, null, timestamp, other }
    var text: String
    var kind: Kind
    /// Where the scalar is written (1-based line and column of the YAML text; 0 if unknown).
    var line: Int
    var column: Int

    static func construct(from scalar: Node.Scalar) -> YAMLScalar? {
        let kind: Kind
        switch Tag.Name(rawValue: Node.scalar(scalar).tag.description) {
        case .str: kind = .string
        case .bool: kind = .bool
        case .int: kind = .int
        case .float: kind = .float
        case .null: kind = .null
        case .timestamp: kind = .timestamp
        default: kind = .other
        }
        return YAMLScalar(text: scalar.string, kind: kind, line: scalar.mark?.line ?? 0, column: scalar.mark?.column ?? 0)
    }

    init(text: String, kind: Kind, line: Int, column: Int) {
        self.text = text
        self.kind = kind
        self.line = line
        self.column = column
    }

    /// Yams' decoder builds a `ScalarConstructible` type from its scalar; no other decoder reads
    /// this configuration.
    init(from decoder: Decoder) throws {
        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "YAML scalars decode through Yams"))
    }

    /// A single non-empty value written as text or a number (`title: 2026` is the text "2026").
    var textValue: String? {
        guard kind == .string || kind == .int || kind == .float, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return text
    }

    /// The value as the option parser reads it: booleans and numbers in Swift's spelling
    /// (`yes` is `true`, `1e1` is `10.0`), anything else as written.
    var optionText: String {
        switch kind {
        case .bool: return Bool.construct(from: Node.Scalar(text)).map { "\($0)" } ?? text
        case .int: return Int.construct(from: Node.Scalar(text)).map { "\($0)" } ?? text
        case .float: return Double.construct(from: Node.Scalar(text)).map { "\($0)" } ?? text
        default: return text
        }
    }

    /// What a message says was found here.
    var found: String {
        switch kind {
        case .null: return "nothing"
        case .bool: return "true/false"
        case _ where text.trimmingCharacters(in: .whitespaces).isEmpty: return "an empty value"
        default: return "'\(text)'"
        }
    }

    var position: SourcePosition { SourcePosition(line: line, column: column) }
}

/// Where the top-level keys of a YAML mapping are written (from Yams' marks, 1-based) and
/// what each holds in words, for messages about a key whose value has the wrong shape.
struct YAMLPositions {
    var keys: [String: (line: Int, column: Int)] = [:]
    /// What each top-level key holds: "a list", "a mapping", or the scalar's own `found`.
    var found: [String: String] = [:]

    init(_ node: Node?) {
        guard case .mapping(let mapping)? = node else { return }
        for (key, value) in mapping {
            guard let name = key.string, let mark = key.mark, keys[name] == nil else { continue }
            keys[name] = (mark.line, mark.column)
            switch value {
            case .sequence: found[name] = "a list"
            case .mapping: found[name] = "a mapping"
            case .scalar(let scalar): found[name] = YAMLScalar.construct(from: scalar)?.found ?? "'\(scalar.string)'"
            case .alias: found[name] = "an alias"
            }
        }
    }

    func position(of key: String) -> (line: Int, column: Int) { keys[key] ?? (line: 0, column: 0) }
}

/// The fields of a YAML file the loader decodes: its keys are its coding keys, and each key
/// has the message that says what it must hold.
protocol YAMLFields: Decodable {
    associatedtype CodingKeys: CodingKey & CaseIterable & RawRepresentable where CodingKeys.RawValue == String
    /// What `key` must hold, given what was `found` there ("a list", "'x'", "nothing").
    static func expectation(_ key: CodingKeys, found: String) -> String
}

extension KeyedDecodingContainer {
    /// The value of `key` when the key is written, even as `key:` with nothing after it (which
    /// `decodeIfPresent` would take for absent, hiding a mistake).
    func field<T: Decodable>(_ key: Key) throws -> T? {
        contains(key) ? try decode(T.self, forKey: key) : nil
    }
}

/// Decodes one YAML file into its fields and reports each problem at its key: a syntax error
/// at Yams' mark, unknown keys (anything not among the coding keys), a value of the wrong
/// shape. `lineOffset`: lines of the file above the YAML (a front matter's opening `---`).
struct YAMLFile<Fields: YAMLFields> {
    let fields: Fields
    let positions: YAMLPositions
    let display: String
    let lineOffset: Int

    init(_ yaml: String, display: String, lineOffset: Int) throws(BuildFailure) {
        self.display = display
        self.lineOffset = lineOffset
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw BuildFailure([Self.syntaxDiagnostic(error, yaml: yaml, display: display, lineOffset: lineOffset)])
        } catch {
            throw BuildFailure([Diagnostic(file: display, message: "invalid YAML: \(error)")])
        }
        if let node, node.mapping == nil {
            throw BuildFailure([Diagnostic(file: display, line: 1, message: "expected a YAML mapping of keys to values")])
        }
        let positions = YAMLPositions(node)
        self.positions = positions
        let allowed = Fields.CodingKeys.allCases.map(\.rawValue)
        let unknown = positions.keys.keys.filter { !allowed.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw BuildFailure(unknown.map { key in
                let at = positions.position(of: key)
                return Diagnostic(file: display, line: at.line + lineOffset, column: at.column,
                                  message: "unknown key '\(key)' (expected one of: \(allowed.sorted().joined(separator: ", ")))")
            })
        }
        do {
            fields = try YAMLDecoder().decode(Fields.self, from: node ?? .mapping(Node.Mapping([])))
        } catch let error as DecodingError {
            throw BuildFailure([Self.shapeDiagnostic(error, positions: positions, display: display, lineOffset: lineOffset)])
        } catch {
            throw BuildFailure([Diagnostic(file: display, message: "invalid YAML: \(error)")])
        }
    }

    static func syntaxDiagnostic(_ error: YamlError, yaml: String, display: String, lineOffset: Int) -> Diagnostic {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            return Diagnostic(file: display, line: mark.line + lineOffset, column: mark.column, message: "invalid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            // At the key's second line (a block mapping's `key:` at the start of a line), else
            // where Yams says the mapping is.
            let key = duplicates.first ?? ""
            let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
            let written = lines.indices.filter { lines[$0].drop { $0 == " " }.hasPrefix(key + ":") }
            let line = written.count > 1 ? written[1] + 1 : context.mark.line
            let column = written.count > 1 ? lines[written[1]].prefix { $0 == " " }.count + 1 : context.mark.column
            return Diagnostic(file: display, line: line + lineOffset, column: column,
                              message: "'\(key)' is set twice; keep one")
        default:
            return Diagnostic(file: display, message: "invalid YAML: \(error)")
        }
    }

    /// A value of the wrong shape (a list where one value belongs, a mapping of lists), at its
    /// top-level key.
    private static func shapeDiagnostic(_ error: DecodingError, positions: YAMLPositions, display: String,
                                        lineOffset: Int) -> Diagnostic {
        let path: [CodingKey]
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context),
             .dataCorrupted(let context):
            path = context.codingPath
        @unknown default:
            path = []
        }
        guard let first = path.first, let key = Fields.CodingKeys(rawValue: first.stringValue) else {
            return Diagnostic(file: display, line: 1, message: "expected a YAML mapping of keys to values")
        }
        let at = positions.position(of: key.rawValue)
        let message = path.count > 1 && first.stringValue == "execute"
            ? "in execute: '\(path[1].stringValue)' must be a single value, not a list or a mapping"
            : Fields.expectation(key, found: positions.found[key.rawValue] ?? "nothing")
        return Diagnostic(file: display, line: at.line + lineOffset, column: at.column, message: message)
    }

    /// `message` at `key`'s place.
    /// A problem placed at `key`, or at `entry` (one value under it) when given.
    func problem(_ key: Fields.CodingKeys, _ message: String, column: Int? = nil, entry: YAMLScalar? = nil) -> Diagnostic {
        let at = entry.map { (line: $0.line, column: $0.column) } ?? positions.position(of: key.rawValue)
        return Diagnostic(file: display, line: at.line + lineOffset, column: column ?? at.column, message: message)
    }

    /// The failure for `key`'s value, which was `value` (nil: not a single value).
    func failure(_ key: Fields.CodingKeys, _ value: YAMLScalar?) -> BuildFailure {
        BuildFailure([problem(key, Fields.expectation(key, found: value?.found ?? positions.found[key.rawValue] ?? "nothing"))])
    }

    /// The failure for one entry of `key`'s list, placed at the entry itself.
    func failure(_ key: Fields.CodingKeys, entry: YAMLScalar) -> BuildFailure {
        BuildFailure([problem(key, Fields.expectation(key, found: entry.found), entry: entry)])
    }

    // Readers of one field's value: nil when the key is absent, the failure for the key when
    // the value is not what the key must hold.

    /// Text or a number, not empty.
    func text(_ key: Fields.CodingKeys, _ value: YAMLScalar?) throws(BuildFailure) -> String? {
        guard let value else { return nil }
        guard let text = value.textValue else { throw failure(key, value) }
        return text
    }

    /// A YAML string (not a number), not empty.
    func string(_ key: Fields.CodingKeys, _ value: YAMLScalar?) throws(BuildFailure) -> String? {
        guard let value else { return nil }
        guard value.kind == .string, !value.text.trimmingCharacters(in: .whitespaces).isEmpty else { throw failure(key, value) }
        return value.text
    }

    func flag(_ key: Fields.CodingKeys, _ value: YAMLScalar?) throws(BuildFailure) -> Bool? {
        guard let value else { return nil }
        guard value.kind == .bool, let flag = Bool.construct(from: Node.Scalar(value.text)) else { throw failure(key, value) }
        return flag
    }

    /// One of a few named choices (`numbering: book`).
    func choice<Choice: RawRepresentable>(_ key: Fields.CodingKeys, _ value: YAMLScalar?) throws(BuildFailure) -> Choice?
        where Choice.RawValue == String {
        guard let value else { return nil }
        guard value.kind == .string, let choice = Choice(rawValue: value.text) else { throw failure(key, value) }
        return choice
    }

    /// `execute: {timeout: 60, echo: false}` — defaults for every cell below, each checked here
    /// once, at the line that sets them (not at every cell they reach).
    func executeDefaults(_ key: Fields.CodingKeys, _ options: [String: YAMLScalar]?) throws(BuildFailure) -> [String: String] {
        guard let options else { return [:] }
        var result: [String: String] = [:]
        var problems: [Diagnostic] = []
        for name in options.keys.sorted() {
            let value = options[name]!.optionText
            result[name] = value
            var probe = CellOptions()
            do throws(CellOptions.Problem) {
                try probe.apply(name, value)
            } catch {
                problems.append(problem(key, "in execute: \(error.message)", column: 1))
            }
        }
        guard problems.isEmpty else { throw BuildFailure(problems) }
        return result
    }
}
