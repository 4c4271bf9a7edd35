import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What happened to one `memo` call, as the builder reports it.
public struct MemoEvent: Codable, Sendable, Equatable {
    public var cell: Int
    public var key: String
    /// The value came from disk instead of being computed.
    public var loaded: Bool
    /// Wall time of this call: the load, or the computation.
    public var seconds: Double
    /// What computing the value took when it was stored (equals `seconds` when computed now).
    public var computeSeconds: Double
    /// Why a stored value was not used ("damaged: checksum mismatch"), when it was not.
    public var warning: String?

    public init(cell: Int, key: String, loaded: Bool, seconds: Double, computeSeconds: Double, warning: String? = nil) {
        self.cell = cell
        self.key = key
        self.loaded = loaded
        self.seconds = seconds
        self.computeSeconds = computeSeconds
        self.warning = warning
    }

    /// Time the load saved over recomputing (0 when computed).
    public var savedSeconds: Double { loaded ? max(0, computeSeconds - seconds) : 0 }
}

/// One stored value of `memo`, in its on-disk form.
///
/// Layout: the magic `LITMEMO1`; the entry's identity (salt, cell scope and key) as a
/// length-prefixed UTF-8 string, so a hash collision can never load the wrong value; the
/// seconds computing it took; what the computation printed (replayed on load, so a page is
/// the same whether the value was loaded or computed); the value encoded as a binary
/// property list (bit-exact for `Double`); and a 64-bit FNV-1a checksum of everything before
/// it. Truncation shows as a length running past the end, damage as a checksum mismatch.
public struct MemoEntry: Equatable, Sendable {
    public var identity: String
    public var computeSeconds: Double
    public var output: Data
    public var payload: Data

    static let magic = Data("LITMEMO1".utf8)

    public init(identity: String, computeSeconds: Double, output: Data, payload: Data) {
        self.identity = identity
        self.computeSeconds = computeSeconds
        self.output = output
        self.payload = payload
    }

    public func encoded() -> Data {
        var data = Self.magic
        func append(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        let id = Data(identity.utf8)
        append(UInt64(id.count)); data.append(id)
        append(computeSeconds.bitPattern)
        append(UInt64(output.count)); data.append(output)
        append(UInt64(payload.count)); data.append(payload)
        append(fnv1a64(data))
        return data
    }

    public enum DecodingProblem: Error, Equatable, CustomStringConvertible {
        case truncated, notAnEntry, checksumMismatch
        public var description: String {
            switch self {
            case .truncated: return "truncated"
            case .notAnEntry: return "not a memo entry"
            case .checksumMismatch: return "checksum mismatch"
            }
        }
    }

    public static func decode(_ data: Data) throws(DecodingProblem) -> MemoEntry {
        let bytes = [UInt8](data)
        guard bytes.count >= magic.count + 8 else { throw .truncated }
        guard Data(bytes[0..<magic.count]) == magic else { throw .notAnEntry }
        var offset = magic.count
        func word() throws(DecodingProblem) -> UInt64 {
            guard offset + 8 <= bytes.count else { throw .truncated }
            var value: UInt64 = 0
            for k in 0..<8 { value |= UInt64(bytes[offset + k]) << (8 * UInt64(k)) }
            offset += 8
            return value
        }
        func chunk() throws(DecodingProblem) -> Data {
            let count = try word()
            guard count <= UInt64(bytes.count - offset) else { throw .truncated }
            defer { offset += Int(count) }
            return Data(bytes[offset..<offset + Int(count)])
        }
        let identity = try chunk()
        let seconds = Double(bitPattern: try word())
        let output = try chunk()
        let payload = try chunk()
        let body = offset
        let checksum = try word()
        guard offset == bytes.count else { throw .truncated }
        guard checksum == fnv1a64(data.prefix(body)) else { throw .checksumMismatch }
        return MemoEntry(identity: String(decoding: identity, as: UTF8.self), computeSeconds: seconds,
                         output: output, payload: payload)
    }
}

/// 64-bit FNV-1a: a fast, stable hash for file names and integrity checks (not for security).
public func fnv1a64<D: DataProtocol>(_ data: D) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in data {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01b3
    }
    return hash
}

/// The memo folder a cell program reads and writes, as the builder configured it.
public struct MemoStore: Sendable {
    /// Folder of `*.memo` files (nil outside the builder: `memo` then just computes).
    public var directory: String?
    /// The engine and compiler identity: a rebuilt engine invalidates every value.
    public var salt: String
    /// `--no-cache`: compute every value again (and store it).
    public var recomputeAll: Bool

    public init(directory: String?, salt: String, recomputeAll: Bool) {
        self.directory = directory
        self.salt = salt
        self.recomputeAll = recomputeAll
    }

    init(environment: [String: String]) {
        self.init(directory: environment[NotebookFiles.memoDirectoryVariable],
                  salt: environment[NotebookFiles.memoSaltVariable] ?? "",
                  recomputeAll: environment[NotebookFiles.memoRecomputeVariable] == "1")
    }

    /// Everything the stored value depends on, as one string.
    public func identity(scope: String, key: String) -> String { "\(salt)\n\(scope)\n\(key)" }

    public func path(identity: String) -> String? {
        directory.map { $0 + "/" + String(fnv1a64(Data(identity.utf8)), radix: 16) + ".memo" }
    }

    public enum Lookup: Equatable {
        case missing
        case found(MemoEntry)
        case damaged(String)
    }

    public func lookup(identity: String) -> Lookup {
        guard let path = path(identity: identity), let data = FileManager.default.contents(atPath: path) else {
            return .missing
        }
        do throws(MemoEntry.DecodingProblem) {
            let entry = try MemoEntry.decode(data)
            // Another identity with the same hash: treat as absent (and overwrite it).
            guard entry.identity == identity else { return .missing }
            // Least recently *used*: a load counts as a use for eviction.
            try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: path)
            return .found(entry)
        } catch {
            return .damaged(error.description)
        }
    }

    /// Writes an entry atomically: a temporary file in the same folder, then a rename.
    public func store(_ entry: MemoEntry) {
        guard let directory, let path = path(identity: entry.identity) else { return }
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = directory + "/.tmp-\(getpid())-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: temporary, contents: entry.encoded()) else { return }
        if rename(temporary, path) != 0 { unlink(temporary) }
    }

    /// Deletes least-recently-used entries until the folder holds at most `limitBytes`.
    /// Returns the names removed.
    @discardableResult
    public static func evict(directory: String, limitBytes: Int) -> [String] {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory) else { return [] }
        var entries: [(name: String, size: Int, used: Date)] = names.compactMap { name in
            guard name.hasSuffix(".memo"),
                  let attributes = try? fm.attributesOfItem(atPath: directory + "/" + name) else { return nil }
            return (name, (attributes[.size] as? Int) ?? 0, (attributes[.modificationDate] as? Date) ?? .distantPast)
        }
        var total = entries.reduce(0) { $0 + $1.size }
        entries.sort { ($0.used, $0.name) < ($1.used, $1.name) }
        var removed: [String] = []
        for entry in entries where total > limitBytes {
            try? fm.removeItem(atPath: directory + "/" + entry.name)
            total -= entry.size
            removed.append(entry.name)
        }
        return removed
    }
}
