import FlyingFox
import Foundation

/// `litopt serve`: builds, serves the site on 127.0.0.1, rebuilds when a chapter changes,
/// and reloads open pages.
///
/// Pages are served with a small script that long-polls `/__litopt/wait`: the request
/// returns as soon as a rebuild finishes (or after 20 s, unchanged). A successful rebuild reloads the
/// page; a failed one keeps the last good site on screen and shows the diagnostics in an
/// overlay, which disappears with the next good build.
public final class PreviewServer: Sendable {
    public let options: BuildOptions
    public let port: UInt16
    let state = PreviewState()
    let server: HTTPServer

    public init(options: BuildOptions, port: UInt16) throws {
        self.options = options
        self.port = port
        // A request may take up to `requestTimeout` seconds; the long poll answers well before.
        server = HTTPServer(address: try .inet(ip4: "127.0.0.1", port: port), timeout: Self.requestTimeout, logger: .disabled)
    }

    /// Builds once, then serves and watches until cancelled.
    public func run(log: @escaping @Sendable (String) -> Void = { _ in }) async throws {
        await rebuild(log: log)
        await installRoutes()
        let watcher = Task { await watch(log: log) }
        defer { watcher.cancel() }
        try await server.run()
    }

    public func waitUntilListening() async throws { try await server.waitUntilListening() }

    /// FlyingFox ends a request still unanswered after its timeout with HTTP 500; an idle long
    /// poll answers 200 with the unchanged status well before that, and the page polls again.
    static let requestTimeout: TimeInterval = 30
    static let pollSeconds: Double = 20
    /// Longest request path served (the rest get 414).
    static let maxPathBytes = 4096

    public func stop() async { await server.stop() }

    func rebuild(log: @escaping @Sendable (String) -> Void) async {
        let options = self.options
        let outcome = await Task.detached { () -> String? in
            do {
                let summary = try BookBuild.run(options) { event in
                    if case .done = event.phase { log(event.description) }
                }
                log("rebuilt in \(String(format: "%.2f", summary.seconds)) s (\(summary.executed) chapters executed)")
                return nil
            } catch let failure as BuildFailure {
                let text = failure.diagnostics.map(\.description).joined(separator: "\n")
                log(text)
                return text
            } catch {
                return "\(error)"
            }
        }.value
        await state.finished(error: outcome)
    }

    /// Polls the chapters folder (names, sizes, modification times) twice a second.
    func watch(log: @escaping @Sendable (String) -> Void) async {
        var last = fingerprint()
        while !Task.isCancelled {
            try? await Task.sleep(nanoseconds: 500_000_000)
            let now = fingerprint()
            if now != last {
                last = now
                log("change detected; rebuilding")
                await rebuild(log: log)
            }
        }
    }

    func fingerprint() -> [String: String] {
        var result: [String: String] = [:]
        let root = BookBuild.absolute(options.chapters)
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let path = enumerator?.nextObject() as? String {
            let attributes = try? FileManager.default.attributesOfItem(atPath: root + "/" + path)
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            let size = (attributes?[.size] as? NSNumber)?.intValue ?? 0
            result[path] = "\(modified):\(size)"
        }
        return result
    }

    func installRoutes() async {
        let state = self.state
        let site = BookBuild.absolute(options.output)
        await server.appendRoute("GET /__litopt/wait") { request in
            let since = Int(request.query.first { $0.name == "since" }?.value ?? "") ?? -1
            let status = await state.wait(since: since, timeout: Self.pollSeconds)
            return HTTPResponse(statusCode: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                                body: status.json)
        }
        await server.appendRoute("GET /__litopt/live.js") { _ in
            HTTPResponse(statusCode: .ok, headers: [.contentType: "text/javascript"], body: Data(Self.liveScript.utf8))
        }
        await server.appendRoute("GET /*") { request in
            await Self.file(request.path, in: site, status: await state.status)
        }
    }

    /// A file of the site; HTML gets the live-reload script.
    static func file(_ requestPath: String, in site: String, status: PreviewState.Status) -> HTTPResponse {
        guard requestPath.utf8.count <= maxPathBytes else { return HTTPResponse(statusCode: .uriTooLong) }
        var path = requestPath.removingPercentEncoding ?? requestPath
        // A NUL would end the path early at the file system; no file of a site has one.
        guard !path.utf8.contains(0), !requestPath.utf8.contains(0) else { return HTTPResponse(statusCode: .badRequest) }
        if path.hasSuffix("/") { path += "index.html" }
        let parts = path.split(separator: "/")
        guard !parts.contains("..") else { return HTTPResponse(statusCode: .forbidden) }
        let full = site + "/" + parts.joined(separator: "/")
        guard let data = FileManager.default.contents(atPath: full) else {
            return HTTPResponse(statusCode: .notFound, body: Data("not found: \(path)".utf8))
        }
        let type = contentType(of: full)
        guard type.hasPrefix("text/html") else {
            return HTTPResponse(statusCode: .ok, headers: [.contentType: type], body: data)
        }
        var html = String(decoding: data, as: UTF8.self)
        let injection = "<script>window.__litopt={version:\(status.version),generation:\(status.generation)};</script>"
            + "<script src=\"/__litopt/live.js\" defer></script>"
        if let range = html.range(of: "</body>", options: .backwards) {
            html.insert(contentsOf: injection, at: range.lowerBound)
        } else {
            html += injection
        }
        return HTTPResponse(statusCode: .ok, headers: [.contentType: type, .cacheControl: "no-store"], body: Data(html.utf8))
    }

    static func contentType(of path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "html": return "text/html; charset=utf-8"
        case "css": return "text/css"
        case "js": return "text/javascript"
        case "png": return "image/png"
        case "svg": return "image/svg+xml"
        case "otf": return "font/otf"
        case "json": return "application/json"
        default: return "application/octet-stream"
        }
    }

    static let liveScript = """
    (function () {
      var seen = window.__litopt || {version: 0, generation: 0};
      function overlay(text) {
        var box = document.getElementById("litopt-error");
        if (!text) { if (box) box.remove(); return; }
        if (!box) {
          box = document.createElement("div");
          box.id = "litopt-error";
          box.setAttribute("role", "alert");
          box.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:50vh;overflow:auto;z-index:1000;"
            + "background:#2b1111;color:#ffd9d9;border-top:3px solid #e5484d;padding:12px 16px;margin:0;"
            + "font:13px/1.45 ui-monospace,monospace;white-space:pre-wrap";
          document.body.appendChild(box);
        }
        box.textContent = "litopt: the last rebuild failed; showing the last good build.\\n\\n" + text;
      }
      function poll() {
        fetch("/__litopt/wait?since=" + seen.generation, {cache: "no-store"})
          .then(function (r) { return r.json(); })
          .then(function (s) {
            if (s.version > seen.version) { location.reload(); return; }
            seen.generation = s.generation;
            overlay(s.error);
            poll();
          })
          .catch(function () { setTimeout(poll, 1000); });
      }
      poll();
    })();
    """
}

/// Build generations as the preview server sees them.
actor PreviewState {
    struct Status: Sendable {
        /// Successful builds so far.
        var version = 0
        /// Finished builds, successful or not.
        var generation = 0
        /// Diagnostics of the last build if it failed.
        var error: String?

        var json: Data {
            let payload: [String: Any] = ["version": version, "generation": generation, "error": error ?? NSNull()]
            return (try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])) ?? Data()
        }
    }

    private(set) var status = Status()

    func finished(error: String?) {
        status.generation += 1
        if error == nil { status.version += 1 }
        status.error = error
    }

    /// Returns as soon as a build newer than `since` has finished, or after `timeout` seconds.
    func wait(since: Int, timeout: Double) async -> Status {
        let deadline = Date().addingTimeInterval(timeout)
        while status.generation <= since, Date() < deadline {
            try? await Task.sleep(nanoseconds: 100_000_000)
        }
        return status
    }
}
