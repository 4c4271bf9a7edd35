import Foundation
import Notebook

/// What a build reports while it works, chapter by chapter, for progress displays.
public struct BuildEvent: Sendable, CustomStringConvertible {
    public enum Phase: Sendable, Equatable {
        case queued
        case compiling
        case running
        case cached
        /// `memo`: "2 memo values loaded (saved 18.4 s)" and the like, when the chapter memoized.
        case done(compileSeconds: Double, runSeconds: Double, memo: String? = nil)
        case failed
    }

    public var file: String
    public var phase: Phase

    public init(file: String, phase: Phase) {
        self.file = file
        self.phase = phase
    }

    /// One plain line, for logs and non-terminal output.
    public var description: String {
        switch phase {
        case .queued: return "queued    \(file)"
        case .compiling: return "compiling \(file)"
        case .running: return "running   \(file)"
        case .cached: return "cached    \(file)"
        case .done(let c, let r, let memo):
            return "done      \(file) (compile \(Self.seconds(c)), run \(Self.seconds(r))\(memo.map { "; " + $0 } ?? ""))"
        case .failed: return "failed    \(file)"
        }
    }

    /// "1 memo loaded (saved 19.8 s), 1 computed", or nil when the chapter made no `memo` call.
    public static func memoNote(_ events: [MemoEvent]) -> String? {
        guard !events.isEmpty else { return nil }
        let loaded = events.filter(\.loaded)
        var parts: [String] = []
        if !loaded.isEmpty {
            parts.append("\(loaded.count) memo loaded (saved \(seconds(loaded.map(\.savedSeconds).reduce(0, +))))")
        }
        let computed = events.count - loaded.count
        if computed > 0 { parts.append("\(computed) memo computed") }
        return parts.joined(separator: ", ")
    }

    static func seconds(_ s: Double) -> String {
        let tenths = Int((s * 100).rounded())
        return "\(tenths / 100).\(String(format: "%02d", tenths % 100)) s"
    }
}
