import Foundation

/// A regular file's size, modification time and inode: what changes when it is rebuilt,
/// replaced or edited (what `make` would look at), read with one `stat`.
struct FileStamp: Codable, Equatable, CustomStringConvertible {
    var size: Int64
    /// Nanoseconds since 1970.
    var modified: Int64
    var inode: UInt64

    /// nil when `path` does not exist or is not a regular file (a folder, say).
    init?(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        size = Int64(info.st_size)
        modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        inode = UInt64(info.st_ino)
    }

    var description: String { "\(size)\t\(modified)\t\(inode)" }
}
