import Foundation

/// Where a chapter's result came from in a build (`--report`'s `origin`).
public enum ResultOrigin: String, Sendable, Codable {
    /// Compiled and run by this build.
    case executed
    /// The local cache folder.
    case local
    /// The shared folder (`--shared-cache`), copied into the local cache.
    case shared
    /// The HTTP cache (`--remote-cache`), copied into the local cache.
    case remote
}

/// The cache tiers of a build: the local folder always; a shared folder and an HTTP cache when
/// configured. Reads go local → shared → remote, and a hit further out is copied into the
/// local folder (a read-through cache). Writes go to every tier, so any later build — another
/// shard, a render-only build, a colleague's machine — finds the result.
///
/// Each tier verifies what it reads (`ResultCache.load`, `RemoteCache.load`), so a damaged
/// entry anywhere is a miss and a recompute.
struct ResultStores: Sendable {
    var local: ResultCache
    var shared: ResultCache?
    var remote: RemoteCache?

    /// The folder a shared cache keeps its results in (beside its `times.json`).
    static func sharedResults(_ folder: String) -> String { folder + "/results" }

    func load(_ key: String, file: String) -> (run: ChapterRun, origin: ResultOrigin)? {
        if let run = local.load(key) {
            publish(key, file: file, from: .local)
            return (run, .local)
        }
        if let shared, let found = shared.load(key) {
            local.store(found, key: key)
            let run = local.load(key) ?? found
            publish(key, file: file, from: .shared)
            return (run, .shared)
        }
        if let remote, let run = remote.load(key, file: file, into: local) {
            if let shared { shared.store(run, key: key) }
            return (run, .remote)
        }
        return nil
    }

    /// Stores a freshly executed result in every tier.
    func store(_ run: ChapterRun, key: String, file: String) {
        local.store(run, key: key)
        if let shared { shared.store(run, key: key) }
        if let remote, local.load(key) != nil { remote.push(key, file: file, from: local) }
    }

    /// A result found in a nearer tier is offered to the ones further out that lack it, so a
    /// shard whose chapters were already cached on its machine still shares them.
    private func publish(_ key: String, file: String, from origin: ResultOrigin) {
        if origin == .local, let shared, !FileManager.default.fileExists(atPath: shared.directory + "/" + key),
           let run = local.load(key) {
            shared.store(run, key: key)
        }
        if let remote, remote.unavailable == nil, !remote.contains(key) {
            remote.push(key, file: file, from: local)
        }
    }

    // MARK: chapter times

    /// The chapters' last measured times from the furthest tier that has them (every shard of
    /// one run reads the same, so every shard computes the same plan).
    func loadTimes(book: String, cacheFolder: String, sharedFolder: String?) -> ChapterTimes {
        if let remote, let times = remote.loadTimes(book: book) { return times }
        if let sharedFolder {
            let times = ChapterTimes.load(cache: sharedFolder)
            if !times.seconds.isEmpty { return times }
        }
        return ChapterTimes.load(cache: cacheFolder)
    }

    func storeTimes(_ times: ChapterTimes, book: String, cacheFolder: String, sharedFolder: String?) {
        times.store(cache: cacheFolder)
        if let sharedFolder { times.store(cache: sharedFolder) }
        remote?.storeTimes(times, book: book)
    }
}
