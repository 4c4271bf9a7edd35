import Foundation
import Testing
@testable import Plotting

/// Figures laid out for the column they land in (`Figure.legible`, `Figure.stacked`) and the
/// dark variants of color maps with a white end.
@Suite struct LegibleTests {
    /// Four heatmaps in a row, 1000 × 300, as the course's K-FAC figure was first written.
    let row = Figure.grid(columns: 4, (1...4).map { k in
        Figure.heatmap(x: -1...1, y: -1...1, resolution: 21) { x, y in Double(k) * x * y }.title("panel \(k)")
    }).size(width: 1000, height: 300)

    @Test func aWideFigureGetsTypeThatReadsAtElevenPixelsInTheNarrowestDesktopColumn() {
        let wide = row.legible
        #expect(wide.width == 1000)
        #expect(abs(wide.typeScale - 1000 / 540) < 1e-12)
        // Shown in a 540 px column, the 1000 px figure is scaled by 0.54: text 11 · s · 0.54 = 11.
        #expect(abs(wide.smallestTextPixels * Figure.legibleColumn / wide.width - 11) < 1e-9)
        // Four panels of 135 layout units would not hold their labels: two rows of two.
        #expect(wide.columns == 2)
        #expect(wide.height == 620)
    }

    @Test func theStackedLayoutPutsEveryPanelInOneColumnSizedForAPhone() throws {
        let narrow = try #require(row.stacked)
        #expect(narrow.width == Figure.stackedWidth)
        #expect(narrow.columns == 1)
        #expect(abs(narrow.smallestTextPixels * Figure.stackedColumn / narrow.width - 11) < 1e-9)
        // Four panels, each at least two thirds as tall as the column is wide.
        #expect(narrow.height >= 4 * Figure.stackedColumn * 0.66 * narrow.typeScale - 1)
        let decoded = try PNGEncoder.decode(try narrow.png())
        #expect(decoded.width == 800 && decoded.height == Int(narrow.height * 2))
    }

    @Test func smallFiguresAreLeftAsTheyAre() {
        let small = Figure.lines(title: "loss").line([3, 2, 1]).size(width: 300, height: 220)
        #expect(small.legible.typeScale == 1)
        #expect(small.legible.height == 220)
        #expect(small.stacked == nil)
        // One panel never wraps; a 640 px chart only grows its type.
        let chart = Figure.lines(title: "loss").line([3, 2, 1])
        #expect(chart.legible.columns == 1 && chart.legible.height == 400)
        #expect(chart.legible.typeScale > 1)
    }

    @Test func theLegibleLayoutIsTheColumnWideLayoutMagnified() throws {
        // A 1080 px chart in the legible layout is the 540 px chart drawn at twice the density:
        // the same pixels, so text, lines and margins all grow together.
        let chart = Figure.lines(title: "loss", x: "step", y: "loss").line([3, 2, 1.5, 1.2], label: "SGD")
        let big = chart.size(width: 1080, height: 700).legible
        var reference = chart.size(width: 540, height: 350)
        reference.pixelDensity = 4
        #expect(try big.png() == reference.png())
        #expect(try big.png(theme: .dark) == reference.png(theme: .dark))
    }

    @Test func aDivergingMapIsDarkAtZeroOnADarkPage() {
        let figure = Figure.heatmap(x: -1...1, y: -1...1, resolution: 41) { x, _ in x }.colorMap(.blueRed)
            .colorBar(false).gridLines(false)
        let light = figure.canvas(theme: .light), dark = figure.canvas(theme: .dark)
        // The plot's middle column is value 0: near-white on the light page, near-black on the dark one.
        let x = light.width / 2, y = light.height / 2
        func luminance(_ c: Color) -> Double { 0.2126 * c.red + 0.7152 * c.green + 0.0722 * c.blue }
        let lightMiddle = luminance(light.pixel(x, y)), darkMiddle = luminance(dark.pixel(x, y))
        #expect(lightMiddle > 0.85)
        #expect(darkMiddle < 0.2)
        #expect(ColorMap.blueRed.onDarkBackground == .blueRedDark)
        #expect(ColorMap.viridis.onDarkBackground == .viridis)
        #expect(ColorMap.grays.onDarkBackground.color(at: 0).red < 0.1)
    }

    @Test func aNiceStepNeverLeavesASingleTick() {
        // ±0.0016 in three intervals: a nice step of 0.002 would leave only 0.
        let ticks = Ticks.linear(-0.0016, 0.0016, target: 3)
        #expect(ticks.count >= 2)
        #expect(ticks.allSatisfy { abs($0.value) <= 0.0016 })
        #expect(Ticks.linear(0, 10).map(\.value) == [0, 2, 4, 6, 8, 10])
    }
}
