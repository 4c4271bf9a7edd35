import BookBuilder
import Foundation

/// Shows a build's progress on stderr: on a terminal, one live line per chapter (queued,
/// compiling, running with its elapsed time, cached, done, failed) redrawn in place; otherwise
/// plain lines, one per change, for CI logs.
final class ProgressDisplay: @unchecked Sendable {
    private let lock = NSLock()
    private let live: Bool
    private var order: [String] = []
    private var phases: [String: BuildEvent.Phase] = [:]
    private var started: [String: Date] = [:]
    private var drawnLines = 0
    private var timer: DispatchSourceTimer?
    private var finished = false

    init(live: Bool) {
        self.live = live
    }

    func handle(_ event: BuildEvent) {
        lock.withLock {
            guard !finished else { return }
            if phases[event.file] == nil { order.append(event.file) }
            phases[event.file] = event.phase
            if started[event.file] == nil, event.phase == .compiling { started[event.file] = Date() }
            if live {
                redraw()
            } else if event.phase != .queued {
                FileHandle.standardError.write(Data((event.description + "\n").utf8))
            }
        }
    }

    func start() {
        guard live else { return }
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + 0.25, repeating: 0.25)
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            self.lock.withLock { if !self.finished { self.redraw() } }
        }
        timer.resume()
        self.timer = timer
    }

    /// Stops the refresh and draws the final state once; later calls do nothing, so the
    /// summary printed after it is never overwritten.
    func finish() {
        timer?.cancel()
        timer = nil
        lock.withLock {
            guard !finished else { return }
            finished = true
            if live { redraw() }
        }
    }

    /// Must be called with the lock held.
    private func redraw() {
        var out = drawnLines > 0 ? "\u{1B}[\(drawnLines)A" : ""
        for file in order {
            out += "\u{1B}[2K" + line(for: file) + "\n"
        }
        drawnLines = order.count
        FileHandle.standardError.write(Data(out.utf8))
    }

    private func line(for file: String) -> String {
        let elapsed = started[file].map { String(format: "%5.1f s", Date().timeIntervalSince($0)) } ?? ""
        switch phases[file] ?? .queued {
        case .queued: return "  \u{1B}[2m·  queued     \(file)\u{1B}[0m"
        case .compiling: return "  \u{1B}[33m◐\u{1B}[0m  compiling  \(file)  \(elapsed)"
        case .running: return "  \u{1B}[36m◑\u{1B}[0m  running    \(file)  \(elapsed)"
        case .cached: return "  \u{1B}[32m✓\u{1B}[0m  cached     \(file)"
        case .done(let c, let r, let memo):
            return "  \u{1B}[32m✓\u{1B}[0m  done       \(file)  \u{1B}[2m(compile \(String(format: "%.2f", c)) s, run \(String(format: "%.2f", r)) s\(memo.map { "; " + $0 } ?? ""))\u{1B}[0m"
        case .failed: return "  \u{1B}[31m✗\u{1B}[0m  failed     \(file)"
        }
    }
}
