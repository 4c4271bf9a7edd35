import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A chapter-result cache on an HTTP server, in the layout of bazel-remote's HTTP API (and of
/// any WebDAV server that accepts PUT, such as nginx with `dav_methods PUT`):
///
/// - `cas/<sha256>`: a blob, named by the SHA-256 of its bytes — a chapter's `run.json` and
///   each file its cells wrote;
/// - `ac/<key>`: the chapter's content key (`ResultCache.key`) → a REAPI `ActionResult`
///   protocol-buffer message whose output files name those blobs (path, digest, size).
///
/// Every blob read is checked against its name and size, and `run.json` against the key, so a
/// corrupt or truncated entry on the server is a warning and a recompute, never a wrong page.
/// Blobs are written before the action entry that names them, so a reader never finds an
/// entry whose blobs are missing because a writer was cut off.
///
/// Failures degrade: a server that cannot be reached (or answers past the timeout) is reported
/// once and not asked again during the build; a server error (5xx, after the retries) costs
/// one entry. With `required`, any of these is an error instead.
public final class RemoteCache: @unchecked Sendable {
    public let base: String
    public let token: String?
    public let timeout: Double
    public let required: Bool
    /// Tries per request for transport errors and 5xx answers (with 0.2 s, 0.4 s, … between).
    public var attempts = 3

    private let session: URLSession
    private let lock = NSLock()
    private var unavailableReason: String?
    private var problems: [Diagnostic] = []
    private var serverErrors = 0

    /// `base`: e.g. `http://127.0.0.1:8080/cache` (a trailing slash is dropped). `token`: sent
    /// as `Authorization: Bearer …` when given.
    public init(base: String, token: String? = nil, timeout: Double = 10, required: Bool = false) {
        var base = base
        while base.hasSuffix("/") { base.removeLast() }
        self.base = base
        self.token = token.flatMap { $0.isEmpty ? nil : $0 }
        self.timeout = timeout
        self.required = required
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpMaximumConnectionsPerHost = 4
        session = URLSession(configuration: configuration)
    }

    /// The warnings (or, when `required`, errors) collected so far, each once.
    public var diagnostics: [Diagnostic] { lock.withLock { problems } }

    /// Why the server is no longer asked, when it is not.
    public var unavailable: String? { lock.withLock { unavailableReason } }

    // MARK: chapter results

    /// The result stored under `key`, fetched, verified and stored into `local` (so the next
    /// build finds it there); `nil` when the server has none, or a sound one cannot be had.
    func load(_ key: String, file: String, into local: ResultCache) -> ChapterRun? {
        guard let outputs = action(key, file: file) else { return nil }
        guard let runBlob = outputs.first(where: { $0.path == "run.json" }) else {
            report(file, "remote entry ac/\(key) names no run.json: recomputing")
            return nil
        }
        guard let json = blob(runBlob, file: file),
              let entry = try? JSONDecoder().decode(ResultCache.Entry.self, from: json), entry.key == key else {
            report(file, "remote entry for key \(key.prefix(12))… has a run.json that does not decode or is for another key: recomputing")
            return nil
        }
        let others = outputs.filter { $0.path != "run.json" }
        guard Set(others.map(\.path)) == Set(entry.files.keys),
              others.allSatisfy({ entry.files[$0.path] == $0.hash && !$0.path.contains("/") }) else {
            report(file, "remote entry for key \(key.prefix(12))… lists files that its run.json does not: recomputing")
            return nil
        }
        let folder = TemporaryFiles.newFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for output in others {
                guard let bytes = blob(output, file: file) else { return nil }
                try bytes.write(to: URL(fileURLWithPath: folder + "/" + output.path))
            }
        } catch {
            return nil
        }
        var run = entry.run
        run.outputDirectory = folder
        local.store(run, key: key)
        return local.load(key)
    }

    /// Whether the server holds an entry for `key` (a HEAD request; `false` when unsure).
    func contains(_ key: String) -> Bool {
        if case .ok = request("HEAD", "ac/" + key, file: nil) { return true }
        return false
    }

    /// Uploads the local entry `local/<key>` (its blobs first, then the action entry).
    func push(_ key: String, file: String, from local: ResultCache) {
        let folder = local.directory + "/" + key
        guard let json = FileManager.default.contents(atPath: folder + "/run.json"),
              let entry = try? JSONDecoder().decode(ResultCache.Entry.self, from: json) else { return }
        var outputs = [ActionResult.OutputFile(path: "run.json", hash: Self.digest(json), size: json.count)]
        guard putBlob(json, file: file) else { return }
        for name in entry.files.keys.sorted() {
            guard let bytes = FileManager.default.contents(atPath: folder + "/" + name) else { return }
            outputs.append(.init(path: name, hash: Self.digest(bytes), size: bytes.count))
            guard putBlob(bytes, file: file) else { return }
        }
        _ = put("ac/" + key, ActionResult.encode(outputs), file: file)
    }

    // MARK: chapter times

    /// The chapters' last measured times shared through the server (under a fixed action key
    /// derived from `book`), or `nil` when it has none or cannot be asked.
    func loadTimes(book: String) -> ChapterTimes? {
        guard let outputs = action(Self.timesKey(book), file: nil),
              let output = outputs.first(where: { $0.path == "times.json" }),
              let data = blob(output, file: nil) else { return nil }
        return try? JSONDecoder().decode(ChapterTimes.self, from: data)
    }

    func storeTimes(_ times: ChapterTimes, book: String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(times), putBlob(data, file: nil) else { return }
        _ = put("ac/" + Self.timesKey(book), ActionResult.encode([.init(path: "times.json", hash: Self.digest(data), size: data.count)]),
                file: nil)
    }

    static func timesKey(_ book: String) -> String { digest(Data("litopt chapter times\0\(book)".utf8)) }

    // MARK: requests

    private func action(_ key: String, file: String?) -> [ActionResult.OutputFile]? {
        guard case .ok(let data) = request("GET", "ac/" + key, file: file) else { return nil }
        guard let outputs = ActionResult.decode(data) else {
            report(file, "remote entry ac/\(key.prefix(12))… is not an ActionResult: recomputing")
            return nil
        }
        return outputs
    }

    private func blob(_ output: ActionResult.OutputFile, file: String?) -> Data? {
        guard case .ok(let data) = request("GET", "cas/" + output.hash, file: file) else {
            report(file, "remote blob cas/\(output.hash.prefix(12))… (\(output.path)) is missing: recomputing")
            return nil
        }
        guard data.count == output.size, Self.digest(data) == output.hash else {
            report(file, "remote blob cas/\(output.hash.prefix(12))… (\(output.path)) is corrupt: \(data.count) bytes whose SHA-256 is not its name; recomputing")
            return nil
        }
        return data
    }

    private func putBlob(_ data: Data, file: String?) -> Bool { put("cas/" + Self.digest(data), data, file: file) }

    private func put(_ path: String, _ data: Data, file: String?) -> Bool {
        if case .ok = request("PUT", path, body: data, file: file) { return true }
        return false
    }

    enum Answer { case ok(Data), notFound, failed }

    /// One request with bounded retries. A 404 is a plain miss; anything else that is not
    /// 2xx is reported (once per kind of failure for an unreachable server).
    func request(_ method: String, _ path: String, body: Data? = nil, file: String?) -> Answer {
        if unavailable != nil { return .failed }
        guard let url = URL(string: base + "/" + path) else {
            markUnavailable("'\(base)' is not a URL")
            return .failed
        }
        var last = ""
        tries: for attempt in 0..<max(1, attempts) {
            if attempt > 0 { Thread.sleep(forTimeInterval: 0.2 * Double(1 << (attempt - 1))) }
            var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
            request.httpMethod = method
            if let token { request.setValue("Bearer " + token, forHTTPHeaderField: "Authorization") }
            if let body {
                request.httpBody = body
                request.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type")
            }
            switch perform(request) {
            case .answered(let status, let data):
                if (200..<300).contains(status) { return .ok(data) }
                if status == 404, method != "PUT" { return .notFound }
                last = "HTTP \(status)"
                if status < 500 {  // 401, 403, 405, 413 …: asking again will not help
                    if status == 401 || status == 403 {
                        markUnavailable("\(method) \(path.prefix(12))… refused with HTTP \(status) (is LITOPT_REMOTE_TOKEN set?)")
                    } else {
                        report(file, "\(method) \(path.prefix(16))… answered HTTP \(status)")
                    }
                    return .failed
                }
            case .transport(let reason, let timedOut):
                last = reason
                if timedOut { break tries }  // a slow server is not retried: it would cost the timeout again
            }
        }
        if last.hasPrefix("HTTP 5") {
            report(file, "\(method) \(path.prefix(16))… failed with \(last) after \(attempts) tries" + (method == "GET" ? ": recomputing" : ""))
            // A server that keeps failing is not asked again.
            if lock.withLock({ serverErrors += 1; return serverErrors }) >= 3 { markUnavailable("\(last) on three requests") }
        } else {
            markUnavailable(last)
        }
        return .failed
    }

    private enum Outcome { case answered(Int, Data), transport(String, timedOut: Bool) }

    private func perform(_ request: URLRequest) -> Outcome {
        let done = DispatchSemaphore(value: 0)
        let box = Box()
        let task = session.dataTask(with: request) { data, response, error in
            if let response = response as? HTTPURLResponse, error == nil {
                box.outcome = .answered(response.statusCode, data ?? Data())
            } else {
                let urlError = error as? URLError
                let timedOut = urlError?.code == .timedOut
                box.outcome = .transport(timedOut ? "timed out after \(Self.seconds(self.timeout))"
                                         : (error?.localizedDescription ?? "no response"), timedOut: timedOut)
            }
            done.signal()
        }
        task.resume()
        // The session's own timeouts end the task; this is the backstop for a server that
        // trickles bytes forever.
        if done.wait(timeout: .now() + timeout + 1) == .timedOut {
            task.cancel()
            _ = done.wait(timeout: .now() + 5)
            return .transport("timed out after \(Self.seconds(timeout))", timedOut: true)
        }
        return box.outcome ?? .transport("no response", timedOut: false)
    }

    private final class Box: @unchecked Sendable { var outcome: Outcome? }

    private func markUnavailable(_ reason: String) {
        lock.withLock {
            guard unavailableReason == nil else { return }
            unavailableReason = reason
            problems.append(Diagnostic(file: base, severity: required ? .error : .warning,
                                       message: required ? "remote cache unavailable (\(reason)) and --require-remote was given"
                                           : "remote cache unavailable (\(reason)): executing locally and not asking it again in this build"))
        }
    }

    private func report(_ file: String?, _ message: String) {
        lock.withLock {
            let diagnostic = Diagnostic(file: file ?? base, severity: required ? .error : .warning, message: "remote cache: " + message)
            if !problems.contains(diagnostic) { problems.append(diagnostic) }
        }
    }

    static func digest(_ data: Data) -> String { ResultCache.hex(SHA256.hash(data: data)) }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }
}

/// The part of the Remote Execution API's `ActionResult` message a result cache needs: its
/// output files (`repeated OutputFile output_files = 2`, each `string path = 1`, `Digest digest
/// = 2` with `string hash = 1`, `int64 size_bytes = 2`), in protocol-buffer wire format.
enum ActionResult {
    struct OutputFile: Equatable {
        var path: String
        var hash: String
        var size: Int
    }

    static func encode(_ files: [OutputFile]) -> Data {
        var message = Data()
        for file in files {
            var digest = Data()
            field(1, Data(file.hash.utf8), into: &digest)
            digest.append(0x10)  // field 2, varint
            varint(UInt64(file.size), into: &digest)
            var output = Data()
            field(1, Data(file.path.utf8), into: &output)
            field(2, digest, into: &output)
            field(2, output, into: &message)
        }
        return message
    }

    /// The output files, or `nil` when `data` is not a well-formed message with sound files.
    /// Fields this code does not know are skipped, as protocol buffers require.
    static func decode(_ data: Data) -> [OutputFile]? {
        guard let fields = parse([UInt8](data)) else { return nil }
        var files: [OutputFile] = []
        for (number, value) in fields where number == 2 {
            guard case .bytes(let output) = value, let outputFields = parse(output) else { return nil }
            var path: String?, hash: String?, size: Int?
            for (n, v) in outputFields {
                if n == 1, case .bytes(let b) = v { path = String(bytes: b, encoding: .utf8) }
                if n == 2, case .bytes(let d) = v, let digestFields = parse(d) {
                    for (dn, dv) in digestFields {
                        if dn == 1, case .bytes(let h) = dv { hash = String(bytes: h, encoding: .utf8) }
                        if dn == 2, case .varint(let s) = dv, s <= UInt64(Int.max) { size = Int(s) }
                    }
                }
            }
            guard let path, let hash, hash.count == 64, hash.allSatisfy(\.isHexDigit) else { return nil }
            files.append(OutputFile(path: path, hash: hash, size: size ?? 0))
        }
        return files
    }

    private enum Value { case varint(UInt64), bytes([UInt8]), fixed }

    private static func parse(_ bytes: [UInt8]) -> [(Int, Value)]? {
        var i = 0
        var fields: [(Int, Value)] = []
        func readVarint() -> UInt64? {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while i < bytes.count, shift < 64 {
                let byte = bytes[i]
                i += 1
                result |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return result }
                shift += 7
            }
            return nil
        }
        while i < bytes.count {
            guard let tag = readVarint(), tag >> 3 > 0, tag >> 3 < 1 << 29 else { return nil }
            let number = Int(tag >> 3)
            switch tag & 7 {
            case 0:
                guard let v = readVarint() else { return nil }
                fields.append((number, .varint(v)))
            case 1:
                guard i + 8 <= bytes.count else { return nil }
                i += 8
                fields.append((number, .fixed))
            case 2:
                guard let length = readVarint(), length <= UInt64(bytes.count - i) else { return nil }
                fields.append((number, .bytes(Array(bytes[i..<i + Int(length)]))))
                i += Int(length)
            case 5:
                guard i + 4 <= bytes.count else { return nil }
                i += 4
                fields.append((number, .fixed))
            default:
                return nil
            }
        }
        return fields
    }

    private static func field(_ number: Int, _ payload: Data, into data: inout Data) {
        varint(UInt64(number << 3 | 2), into: &data)
        varint(UInt64(payload.count), into: &data)
        data.append(payload)
    }

    private static func varint(_ value: UInt64, into data: inout Data) {
        var v = value
        while v >= 0x80 {
            data.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        data.append(UInt8(v))
    }
}
