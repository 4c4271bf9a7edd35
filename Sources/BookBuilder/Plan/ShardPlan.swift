import Foundation

/// Which chapters shard K of N executes (`litopt build --shard K/N`), balanced by the
/// chapters' last measured times.
///
/// Longest processing time first: chapters with a known time, longest first (ties by file
/// name), each go to the shard with the least estimated work so far (ties to the lowest
/// shard). Chapters never measured follow in file-name order, each estimated at the mean of
/// the known times (1 s when none is known). The same chapters and times always give the same
/// plan, on every machine, so every job of a CI matrix or a Slurm array computes the same one.
public struct ShardPlan: Sendable, Equatable, Codable {
    public struct Shard: Sendable, Equatable, Codable {
        /// 1-based, as in `--shard K/N`.
        public var index: Int
        /// Chapter file names (`02-sam.md`) in book order.
        public var chapters: [String]
        public var estimatedSeconds: Double
    }

    public var shards: [Shard]

    /// One line per shard, `shard 2/3  ~41.0 s  01-a.md 04-d.md`, as `--plan` and `litopt slurm submit` print it.
    public var text: String {
        shards.map { shard in
            "shard \(shard.index)/\(shards.count)  ~\(String(format: "%.1f", shard.estimatedSeconds)) s  "
                + (shard.chapters.isEmpty ? "(nothing)" : shard.chapters.joined(separator: " ")) + "\n"
        }.joined()
    }

    /// `chapters` in book order; `seconds[file]` the last measured compile + run time.
    public init(chapters: [String], seconds: [String: Double], count: Int) {
        precondition(count >= 1)
        let known = chapters.filter { seconds[$0] != nil }
            .sorted { (seconds[$0]!, $1) > (seconds[$1]!, $0) }  // longest first, then by name
        let unknown = chapters.filter { seconds[$0] == nil }.sorted()
        let mean = known.isEmpty ? 1.0 : known.map { seconds[$0]! }.reduce(0, +) / Double(known.count)
        var load = [Double](repeating: 0, count: count)
        var members = [[String]](repeating: [], count: count)
        for chapter in known + unknown {
            let target = load.indices.min { (load[$0], $0) < (load[$1], $1) }!
            load[target] += seconds[chapter] ?? mean
            members[target].append(chapter)
        }
        let order = Dictionary(uniqueKeysWithValues: chapters.enumerated().map { ($1, $0) })
        shards = (0..<count).map { k in
            Shard(index: k + 1, chapters: members[k].sorted { order[$0]! < order[$1]! }, estimatedSeconds: load[k])
        }
    }

    /// Parses `K/N` (1 ≤ K ≤ N).
    public static func parse(_ text: String) -> (index: Int, count: Int)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(k) else { return nil }
        return (k, n)
    }
}

/// The last measured time of each chapter, kept in the cache folder (`times.json`) across
/// builds and shared with the results when the cache is.
public struct ChapterTimes: Sendable, Equatable, Codable {
    public var seconds: [String: Double]

    public init(seconds: [String: Double] = [:]) { self.seconds = seconds }

    public static func load(cache: String) -> ChapterTimes {
        guard let data = FileManager.default.contents(atPath: cache + "/times.json"),
              let times = try? JSONDecoder().decode(ChapterTimes.self, from: data) else { return ChapterTimes() }
        return times
    }

    /// Writes atomically (a concurrent shard's write wins whole or not at all).
    public func store(cache: String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        guard let data = try? encoder.encode(self) else { return }
        try? FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        try? data.write(to: URL(fileURLWithPath: cache + "/times.json"), options: .atomic)
    }
}
