import Foundation
import Testing
@testable import BookBuilder

@Suite struct ShardPlanTests {
    @Test func longestFirstGoesToTheLeastLoadedShard() {
        // LPT by hand: 8 → shard 1; 7 → 2; 6 → 3; 5 → 3 (6 < 7 < 8); 4 → 2 (7 < 8 < 11); 2 → 1 (8 < 11 = 11).
        let times = ["a": 8.0, "b": 7, "c": 6, "d": 5, "e": 4, "f": 2]
        let plan = ShardPlan(chapters: ["a", "b", "c", "d", "e", "f"], seconds: times, count: 3)
        #expect(plan.shards.map(\.chapters) == [["a", "f"], ["b", "e"], ["c", "d"]])
        #expect(plan.shards.map(\.estimatedSeconds) == [10, 11, 11])
    }

    @Test func unknownTimesFollowInNameOrderAtTheMeanAndTiesAreStable() {
        let plan = ShardPlan(chapters: ["03-c", "01-a", "02-b", "04-d"], seconds: ["02-b": 4, "04-d": 2], count: 2)
        // Known: 02-b (4) → 1, 04-d (2) → 2; unknown at mean 3, by name: 01-a → 2 (2 < 4), 03-c → 1 (4 < 5).
        #expect(plan.shards.map(\.chapters) == [["03-c", "02-b"], ["01-a", "04-d"]])
        // Chapters keep book order inside a shard, and nothing known at all splits by name.
        let blind = ShardPlan(chapters: ["b", "a", "c"], seconds: [:], count: 2)
        #expect(blind.shards.map(\.chapters) == [["a", "c"], ["b"]])
        #expect(ShardPlan(chapters: ["x", "y"], seconds: ["x": 1, "y": 1], count: 2).shards.map(\.chapters) == [["x"], ["y"]])
    }

    @Test func everyChapterIsInExactlyOneShardAndMoreShardsThanChaptersLeaveSomeEmpty() {
        let chapters = (1...9).map { "c\($0)" }
        let times = Dictionary(uniqueKeysWithValues: chapters.enumerated().map { ($1, Double(($0 * 7) % 5 + 1)) })
        for count in 1...12 {
            let plan = ShardPlan(chapters: chapters, seconds: times, count: count)
            #expect(plan.shards.count == count)
            #expect(plan.shards.flatMap(\.chapters).sorted() == chapters.sorted())
            #expect(plan == ShardPlan(chapters: chapters, seconds: times, count: count))
        }
    }

    @Test func shardSpecificationsParse() {
        #expect(ShardPlan.parse("2/3")! == (2, 3))
        #expect(ShardPlan.parse("1/1")! == (1, 1))
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", "/2", "1/2/3", "-1/2"] { #expect(ShardPlan.parse(bad) == nil, "\(bad)") }
    }

    @Test func timesRoundTripThroughTheCacheFolder() {
        let folder = FileManager.default.temporaryDirectory.path + "/litopt-times-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(ChapterTimes.load(cache: folder) == ChapterTimes())
        ChapterTimes(seconds: ["Chapters/01-a.md": 12.5]).store(cache: folder)
        #expect(ChapterTimes.load(cache: folder).seconds == ["Chapters/01-a.md": 12.5])
    }
}
