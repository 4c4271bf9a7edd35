import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The temporary folders a build works in, named after the process that made them
/// (`litopt-<pid>-<uuid>`), so a later build can tell which belong to a build that is gone.
///
/// A build killed outright (SIGKILL, a power cut) cannot clean up: its folders stay, and
/// children that escaped its process groups may still run. `sweep()`, called at the start of
/// every build, kills every process whose environment names such a folder
/// (`LITOPT_WORK=…`, set by `ProcessRunner`'s callers) and removes the folders.
public enum TemporaryFiles {
    static let prefix = "litopt-"

    /// A new work folder path for this process (not created).
    public static func newFolder(in directory: String = FileManager.default.temporaryDirectory.path) -> String {
        directory + "/" + prefix + "\(getpid())-" + UUID().uuidString
    }

    /// The pid in a `litopt-<pid>-…` name, or nil for other names.
    static func owner(of name: String) -> pid_t? {
        guard name.hasPrefix(prefix) else { return nil }
        let rest = name.dropFirst(prefix.count)
        guard let dash = rest.firstIndex(of: "-"), let pid = Int32(rest[..<dash]), pid > 0 else { return nil }
        return pid
    }

    /// True when no process has this pid (a pid reused since is taken as alive: kept, harmless).
    static func isGone(_ pid: pid_t) -> Bool {
        kill(pid, 0) != 0 && errno == ESRCH
    }

    /// Removes the leftovers of dead builds in `directory`; returns what was removed.
    @discardableResult
    public static func sweep(_ directory: String = FileManager.default.temporaryDirectory.path) -> [String] {
        let fm = FileManager.default
        let stale = ((try? fm.contentsOfDirectory(atPath: directory)) ?? []).sorted().filter { name in
            owner(of: name).map(isGone) ?? false
        }.map { directory + "/" + $0 }
        guard !stale.isEmpty else { return [] }
        killProcesses(workingIn: stale)
        for path in stale { try? fm.removeItem(atPath: path) }
        return stale
    }

    /// Kills what runs in this process's own folders and removes them (on an interrupt).
    public static func removeOwn(_ directory: String = FileManager.default.temporaryDirectory.path) {
        let fm = FileManager.default
        let mine = ((try? fm.contentsOfDirectory(atPath: directory)) ?? []).filter { owner(of: $0) == getpid() }
            .map { directory + "/" + $0 }
        killProcesses(workingIn: mine)
        for path in mine { try? fm.removeItem(atPath: path) }
    }

    /// SIGKILLs every process of this user whose environment has `LITOPT_WORK=` one of `folders`.
    static func killProcesses(workingIn folders: [String]) {
        let fm = FileManager.default
        let me = getpid()
        let marks = folders.map { Data("\(ProcessRunner.workVariable)=\($0)".utf8) }
        for entry in (try? fm.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), pid != me,
                  let environ = fm.contents(atPath: "/proc/\(entry)/environ") else { continue }
            if marks.contains(where: { environ.range(of: $0) != nil }) {
                kill(pid, SIGKILL)
            }
        }
    }
}
