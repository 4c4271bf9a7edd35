import Foundation
import Testing
@testable import Notebook

@Suite struct BLASCoreTests {
    static let avx512: Set<String> = ["sse3", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512bw", "avx512vl"]

    @Test func onlyAPrescottFallbackOnANewerCPUIsReplaced() {
        #expect(BLASCore.replacement(forCore: "Prescott", cpuFlags: Self.avx512) == "SkylakeX")
        #expect(BLASCore.replacement(forCore: "Prescott", cpuFlags: ["sse3", "avx", "avx2", "fma"]) == "Haswell")
        #expect(BLASCore.replacement(forCore: "Prescott", cpuFlags: ["sse3", "avx", "avx2"]) == nil, "AVX2 without FMA")
        #expect(BLASCore.replacement(forCore: "Prescott", cpuFlags: ["sse3"]) == nil, "a CPU Prescott suits")
        #expect(BLASCore.replacement(forCore: "Haswell", cpuFlags: Self.avx512) == nil, "OpenBLAS's own choice")
        #expect(BLASCore.replacement(forCore: "Zen", cpuFlags: Self.avx512) == nil)
    }

    @Test func aCoreTypeThatIsSetIsKept() {
        #expect(BLASCore.suggestion(environment: [BLASCore.variable: "Prescott"]) == nil)
        #expect(BLASCore.suggestion(environment: [BLASCore.variable: "Haswell"]) == nil)
    }

    /// On this machine: OpenBLAS (installed with the build's packages) answers, and the
    /// suggestion follows from its answer and the CPU.
    @Test func theSuggestionIsOpenBLASsFallbackReplaced() throws {
        let own = try #require(BLASCore.openBLASCoreName(), "libopenblas.so.0 is installed (make deps)")
        #expect(!own.isEmpty)
        let environment = ProcessInfo.processInfo.environment
        if environment[BLASCore.variable] == nil {
            #expect(BLASCore.suggestion == BLASCore.replacement(forCore: own, cpuFlags: BLASCore.cpuFlags()))
            #expect(BLASCore.effective == (BLASCore.suggestion ?? own))
        } else {
            #expect(BLASCore.suggestion == nil)
            #expect(BLASCore.effective == environment[BLASCore.variable])
        }
    }
}
