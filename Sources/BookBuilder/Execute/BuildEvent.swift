import Foundation

/// What a build reports while it works, chapter by chapter, for progress displays.
public struct BuildEvent: Sendable, CustomStringConvertible {
    public enum Phase: Sendable, Equatable {
        case queued
        case compiling
        case running
        case cached
        case done(compileSeconds: Double, runSeconds: Double)
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
        case .done(let c, let r):
            return "done      \(file) (compile \(Self.seconds(c)), run \(Self.seconds(r)))"
        case .failed: return "failed    \(file)"
        }
    }

    static func seconds(_ s: Double) -> String {
        let tenths = Int((s * 100).rounded())
        return "\(tenths / 100).\(String(format: "%02d", tenths % 100)) s"
    }
}
