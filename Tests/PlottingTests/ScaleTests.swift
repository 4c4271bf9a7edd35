import Testing
@testable import Plotting

/// Coordinates: scales, data → pixel maps and tick placement.
@Suite struct ScaleTests {
    @Test func unitIntervalGetsTicksEveryFifth() {
        let ticks = Ticks.linear(0, 1)
        #expect(ticks.map(\.value) == [0, 0.2, 0.4, 0.6, 0.8, 1.0].map { $0 })
        #expect(ticks.map(\.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }

    @Test func anAsymmetricRangeGetsStepsOfTwoInsideIt() {
        let ticks = Ticks.linear(-3.2, 7.9)
        #expect(ticks.map(\.value) == [-2, 0, 2, 4, 6])
        #expect(ticks.map(\.label) == ["−2", "0", "2", "4", "6"])
    }

    @Test func aLogRangeGetsOneTickPerDecade() {
        let ticks = Ticks.log(1e-4, 1e2)
        #expect(ticks.count == 7)
        for (tick, k) in zip(ticks, -4...2) {
            #expect(abs(tick.value / pow10(k) - 1) < 1e-12)
        }
        #expect(ticks.map(\.label) == ["10^{−4}", "10^{−3}", "10^{−2}", "10^{−1}", "1", "10", "10^{2}"])
    }

    @Test func aWideLogRangeThinsItsDecades() {
        let ticks = Ticks.log(1e-12, 1e6)
        #expect(ticks.count <= 10)
        #expect(ticks.count >= 4)
    }

    @Test func aNarrowLogRangeWritesOneTwoFive() {
        #expect(Ticks.log(0.04, 3).map(\.label) == ["0.05", "0.1", "0.2", "0.5", "1", "2"])
    }

    @Test func niceStepsAreOneTwoTwoAndAHalfOrFiveTimesAPowerOfTen() {
        #expect(Ticks.niceStep(0.13) == 0.2)
        #expect(Ticks.niceStep(2.2) == 2.5)
        #expect(Ticks.niceStep(3.1) == 5)
        #expect(Ticks.niceStep(7) == 10)
        #expect(Ticks.linear(0, 10).map(\.value) == [0, 2, 4, 6, 8, 10])
    }

    @Test func tinyAndHugeValuesUseScientificLabels() {
        #expect(Ticks.format(2e-5, step: 1e-5) == "2×10^{−5}")
        #expect(Ticks.format(3e6, step: 1e6) == "3×10^{6}")
        #expect(Ticks.format(-0.5, step: 0.5) == "−0.5")
    }

    @Test func axisMapsAreInvertibleOnBothScales() {
        let linear = AxisMap(domain: -2...2, range: (100, 500))
        #expect(linear.position(0) == 300)
        #expect(linear.value(at: 500) == 2)
        let log = AxisMap(domain: 1e-3...1e1, scale: .log, range: (400, 0))
        #expect(abs(log.position(1e-1) - 200) < 1e-9)
        #expect(abs(log.value(at: 100) / 1 - 1) < 1e-12)
        #expect(!log.position(0).isFinite)
    }

    func pow10(_ k: Int) -> Double { (0..<abs(k)).reduce(1.0) { acc, _ in k < 0 ? acc / 10 : acc * 10 } }
}

@Suite struct RichTextTests {
    @Test func subscriptsAndSuperscripts() {
        #expect(RichText("λ_max").runs == [.init(text: "λ", level: .base), .init(text: "max", level: .subscript)])
        #expect(RichText("x^2 + y").runs == [.init(text: "x", level: .base), .init(text: "2", level: .superscript),
                                            .init(text: " + y", level: .base)])
        #expect(RichText("10^{-4}").runs == [.init(text: "10", level: .base), .init(text: "−4", level: .superscript)])
        #expect(RichText("‖∇L‖").runs == [.init(text: "‖∇L‖", level: .base)])
        #expect(RichText("a\\_b").runs == [.init(text: "a_b", level: .base)])
    }
}

@Suite struct TickEdgeCases {
    @Test func aNarrowRangeFarFromZeroStillGetsTicks() {
        #expect(Ticks.linear(1e17, 1e17 + 1e3).count >= 2)
        #expect(Ticks.linear(1, 1 + 1e-14).count >= 1)
    }

    @Test func anEmptyOrReversedRangeGivesAtMostOneTick() {
        #expect(Ticks.linear(3, 3).count == 1)
        #expect(Ticks.linear(.nan, 1).isEmpty)
    }
}
