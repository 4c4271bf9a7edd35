import Foundation
import Testing
@testable import Notebook

struct MemoStoreTests {
    let entry = MemoEntry(identity: "engine\nscope\nkey", computeSeconds: 12.5,
                          output: Data("printed\n".utf8), payload: Data([1, 2, 3, 250]))

    @Test func anEntryRoundTrips() throws {
        #expect(try MemoEntry.decode(entry.encoded()) == entry)
    }

    @Test func damageAndTruncationAreDetected() {
        var damaged = entry.encoded()
        damaged[damaged.count - 12] ^= 1
        #expect(throws: MemoEntry.DecodingProblem.checksumMismatch) { try MemoEntry.decode(damaged) }
        let whole = entry.encoded()
        for cut in [0, 5, 20, whole.count - 1] {
            #expect(throws: MemoEntry.DecodingProblem.truncated) { try MemoEntry.decode(whole.prefix(cut)) }
        }
        #expect(throws: MemoEntry.DecodingProblem.notAnEntry) { try MemoEntry.decode(Data(repeating: 7, count: 64)) }
        #expect(throws: MemoEntry.DecodingProblem.truncated) { try MemoEntry.decode(whole + Data([0])) }
    }

    @Test func theEngineIdentityAndTheScopeJoinTheKey() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("memo-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = MemoStore(directory: folder, salt: "engine-1", recomputeAll: false)
        let identity = store.identity(scope: "cells-abc", key: "net")
        store.store(MemoEntry(identity: identity, computeSeconds: 1, output: Data(), payload: Data([9])))
        #expect(store.lookup(identity: identity) == .found(MemoEntry(identity: identity, computeSeconds: 1, output: Data(), payload: Data([9]))))
        let rebuilt = MemoStore(directory: folder, salt: "engine-2", recomputeAll: false)
        #expect(rebuilt.lookup(identity: rebuilt.identity(scope: "cells-abc", key: "net")) == .missing)
        #expect(store.lookup(identity: store.identity(scope: "cells-abd", key: "net")) == .missing)
        #expect(store.lookup(identity: store.identity(scope: "cells-abc", key: "net2")) == .missing)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix(".tmp") }
        #expect(leftovers.isEmpty, "writes go through a temporary file that is renamed")
    }

    @Test func evictionRemovesTheLeastRecentlyUsedUntilUnderTheBound() throws {
        let fm = FileManager.default
        let folder = fm.temporaryDirectory.appendingPathComponent("memo-\(UUID().uuidString)").path
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: folder) }
        let now = Date()
        for k in 0..<5 {
            let path = folder + "/e\(k).memo"
            fm.createFile(atPath: path, contents: Data(repeating: UInt8(k), count: 1000))
            // e0 is the oldest use, e4 the newest.
            try fm.setAttributes([.modificationDate: now.addingTimeInterval(Double(k - 10) * 60)], ofItemAtPath: path)
        }
        fm.createFile(atPath: folder + "/notes.txt", contents: Data(repeating: 0, count: 5000))
        let removed = MemoStore.evict(directory: folder, limitBytes: 2500)
        #expect(removed == ["e0.memo", "e1.memo", "e2.memo"])
        #expect(Set(try fm.contentsOfDirectory(atPath: folder)) == ["e3.memo", "e4.memo", "notes.txt"])
        #expect(MemoStore.evict(directory: folder, limitBytes: 2500).isEmpty, "already under the bound")
    }
}
