import CProcess
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a child process from an argument array (never a shell string), with a time limit.
///
/// The child leads its own process group, which is killed whole — its children too — when
/// it times out, when it ends (whatever it left running), and when litopt is interrupted;
/// the kernel kills the child if litopt itself dies. Each child's environment names the
/// build's work folder (`LITOPT_WORK`), so a later build can find and kill what a killed
/// build left behind (`TemporaryFiles.sweep`).
enum ProcessRunner {
    struct Result: Sendable {
        var status: Int32
        /// Killed by a signal (a trap) rather than exiting.
        var signaled: Bool
        var timedOut: Bool
        /// stdout and stderr together, in the order written.
        var output: String
        var seconds: Double
        /// `monitor` asked for the process to be stopped.
        var stopped = false
    }

    /// Limits applied to the child (see `litopt_limits`); nil fields mean no limit.
    struct Limits: Sendable {
        var maxFileBytes: Int?
        var maxDataBytes: Int?
        static let none = Limits()
    }

    /// Output beyond this many bytes is cut (the file on disk keeps growing only until the limit).
    static let outputLimit = 4 << 20
    /// The environment variable naming the build's work folder in every child.
    static let workVariable = "LITOPT_WORK"

    /// `base` with the child's work folder named (`LITOPT_WORK`, for `TemporaryFiles.sweep`)
    /// and made its temporary folder, so whatever it leaves there goes with the build.
    static func environment(work: String, base: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        base.merging([workVariable: work, "TMPDIR": work]) { $1 }
    }

    /// `monitor` is called about every 100 ms while the child runs; returning true kills it.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                    directory: String? = nil, timeout: Double, limits: Limits = .none,
                    monitor: (() -> Bool)? = nil) throws -> Result {
        let capture = FileManager.default.temporaryDirectory
            .appendingPathComponent("litopt-\(getpid())-\(UUID().uuidString).out")
        let out = open(capture.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard out >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { try? FileManager.default.removeItem(at: capture) }
        let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { close(null) }

        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }.sorted()
        let start = Date()
        let pid = withCStrings([executable] + arguments) { argv in
            withCStrings(env) { envp in
                litopt_spawn(executable, argv, envp, directory, null, out,
                             litopt_limits(max_file_bytes: Int64(limits.maxFileBytes ?? 0),
                                           max_data_bytes: Int64(limits.maxDataBytes ?? 0)))
            }
        }
        close(out)
        guard pid > 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .ENOEXEC) }
        litopt_track_group(pid)
        defer {
            kill(-pid, SIGKILL)  // whatever the child left running in its group
            litopt_untrack_group(pid)
        }

        var status: Int32 = 0
        var timedOut = false, stopped = false
        var polls = 0
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid || (r < 0 && errno != EINTR) { break }
            polls += 1
            if !timedOut, !stopped {
                if Date().timeIntervalSince(start) > timeout {
                    timedOut = true
                    kill(-pid, SIGKILL)
                } else if polls % 5 == 0, let monitor, monitor() {
                    stopped = true
                    kill(-pid, SIGKILL)
                }
            }
            usleep(20_000)
        }
        let data = (try? FileHandle(forReadingFrom: capture).readData(ofLength: outputLimit)) ?? Data()
        let signaled = (status & 0x7f) != 0
        return Result(status: signaled ? status & 0x7f : (status >> 8) & 0xff,
                      signaled: signaled,
                      timedOut: timedOut,
                      output: String(decoding: data, as: UTF8.self),
                      seconds: Date().timeIntervalSince(start),
                      stopped: stopped)
    }

    /// Calls `body` with a NULL-terminated C array of the strings.
    static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        return body(pointers)
    }
}
