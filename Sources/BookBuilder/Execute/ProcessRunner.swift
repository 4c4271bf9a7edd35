import Foundation

/// Runs a child process from an argument array (never a shell string), with a time limit.
enum ProcessRunner {
    struct Result: Sendable {
        var status: Int32
        /// Killed by a signal (a trap) rather than exiting.
        var signaled: Bool
        var timedOut: Bool
        /// stdout and stderr together, in the order written.
        var output: String
        var seconds: Double
    }

    /// Output beyond this many bytes is cut (the file on disk keeps growing only until the limit).
    static let outputLimit = 4 << 20

    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                    directory: String? = nil, timeout: Double) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let capture = FileManager.default.temporaryDirectory
            .appendingPathComponent("litopt-\(UUID().uuidString).out")
        _ = FileManager.default.createFile(atPath: capture.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: capture) }
        let handle = try FileHandle(forWritingTo: capture)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        let start = Date()
        try process.run()
        var timedOut = false
        if done.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            process.terminate()
            if done.wait(timeout: .now() + 2) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                done.wait()
            }
        }
        try? handle.close()
        let data = (try? FileHandle(forReadingFrom: capture).readData(ofLength: outputLimit)) ?? Data()
        return Result(status: process.terminationStatus,
                      signaled: process.terminationReason == .uncaughtSignal,
                      timedOut: timedOut,
                      output: String(decoding: data, as: UTF8.self),
                      seconds: Date().timeIntervalSince(start))
    }
}
