import Foundation
import Testing
@testable import Plotting

/// Grids of values, level sets and density estimates.
@Suite struct FieldTests {
    @Test func marchingSquaresOnAConeGivesCirclesAtTheLevelRadii() {
        let cone = Field(x: -2...2, y: -2...2, resolution: 161) { x, y in (x * x + y * y).squareRoot() }
        for level in [0.5, 1.0, 1.5] {
            let lines = MarchingSquares.polylines(cone, level: level)
            #expect(lines.count == 1, "one closed curve at \(level)")
            guard let line = lines.first else { continue }
            #expect(line.first == line.last, "closed")
            for p in line { #expect(abs((p.x * p.x + p.y * p.y).squareRoot() - level) < 0.01) }
            // Shoelace area against πr².
            var area = 0.0
            for k in 0..<(line.count - 1) { area += line[k].x * line[k + 1].y - line[k + 1].x * line[k].y }
            #expect(abs(abs(area) / 2 / (Double.pi * level * level) - 1) < 0.01)
        }
    }

    @Test func aLevelOutsideTheRangeHasNoCurve() {
        let cone = Field(x: -1...1, y: -1...1, resolution: 21) { x, y in (x * x + y * y).squareRoot() }
        #expect(MarchingSquares.segments(cone, level: 5).isEmpty)
    }

    @Test func anOpenLevelSetIsOnePolylineEdgeToEdge() {
        let plane = Field(x: 0...1, y: 0...1, resolution: 11) { x, _ in x }
        let lines = MarchingSquares.polylines(plane, level: 0.55)
        #expect(lines.count == 1)
        #expect(lines[0].count == 11)
        #expect(lines[0].allSatisfy { abs($0.x - 0.55) < 1e-12 })
    }

    @Test func bilinearInterpolationIsExactForBilinearFunctions() {
        let f = { (x: Double, y: Double) in 1 + 2 * x - y + 0.5 * x * y }
        let field = Field(x: -1...3, y: 0...2, columns: 5, rows: 4, f)
        for (x, y) in [(0.3, 0.7), (-1.0, 0.0), (2.9, 1.99), (1.5, 1.0)] {
            #expect(abs(field.interpolate(x, y) - f(x, y)) < 1e-12)
        }
        #expect(field.interpolate(4, 1).isNaN)
    }

    @Test func aKernelDensityIntegratesToOne() {
        let values = (0..<200).map { sin(Double($0)) * 2 }
        let (xs, ys) = KernelDensity.estimate(values, samples: 800)
        var integral = 0.0
        for k in 1..<xs.count { integral += (xs[k] - xs[k - 1]) * (ys[k] + ys[k - 1]) / 2 }
        #expect(abs(integral - 1) < 0.01)
    }

    @Test func histogramCountsEveryValueOnce() {
        let values = (0..<1000).map { Double($0 % 37) }
        let (edges, heights) = HistogramMark(values: values, bins: 12).histogram()
        #expect(edges.count == 13)
        #expect(heights.reduce(0, +) == 1000)
        let (e, density) = HistogramMark(values: values, bins: 12, density: true).histogram()
        #expect(abs(density.reduce(0, +) * (e[1] - e[0]) - 1) < 1e-12)
    }

    @Test func colorMapsRunFromDarkToLightAndDivergeThroughNeutral() {
        func luminance(_ c: Color) -> Double { 0.2126 * c.red + 0.7152 * c.green + 0.0722 * c.blue }
        for map in [ColorMap.viridis, .magma] {
            let l = stride(from: 0.0, through: 1, by: 0.1).map { luminance(map.color(at: $0)) }
            #expect(zip(l, l.dropFirst()).allSatisfy { $0 < $1 }, "\(map.name) increases in lightness")
        }
        let mid = ColorMap.blueRed.color(at: 0.5)
        #expect(mid.red > 0.95 && mid.green > 0.95 && mid.blue > 0.95)
        #expect(ColorMap.blueRed.color(at: 0).blue > ColorMap.blueRed.color(at: 0).red)
    }
}

/// How a panel chooses contour levels and shares axes.
@Suite struct PanelTests {
    @Test func logContourLevelsAreOneTwoFiveTimesPowersOfTen() {
        var panel = Panel()
        panel.coloring.contourLevels = .automatic(18)
        let levels = panel.levels(for: ColorScale(range: 1e-3...1e3, scale: .log))
        #expect(levels.count == 17)
        #expect(levels.first.map { abs($0 / 2e-3 - 1) < 1e-12 } == true)
        #expect(levels.contains { abs($0 - 1) < 1e-12 })
        #expect(levels.allSatisfy { v in [1.0, 2, 5].contains { m in
            let k = (log10(v / m)).rounded()
            return abs(v / (m * pow(10, k)) - 1) < 1e-9 } })
    }

    @Test func linearContourLevelsAreNiceAndInsideTheRange() {
        var panel = Panel()
        panel.coloring.contourLevels = .automatic(10)
        #expect(panel.levels(for: ColorScale(range: 0...14.6)) == [2, 4, 6, 8, 10, 12, 14])
        #expect(panel.levels(for: ColorScale(range: 0.3...1.7)) == [0.4, 0.6, 0.8, 1.0, 1.2, 1.4, 1.6])
    }

    @Test func aDivergingMapIsCenteredOnZero() {
        let figure = Figure.heatmap(x: 0...1, y: 0...1) { x, _ in x - 0.2 }.colorMap(.blueRed)
        let colors = figure.panels[0].colorScaleResolved()
        #expect(colors?.range == -0.8...0.8)
    }

    @Test func fieldsFixTheViewAndPathsOverThemAreClipped() {
        let figure = Figure.contour(x: -1...1, y: -2...2) { x, y in x * x + y * y }.path([(0, 0), (5, 5)])
        let (x, y) = figure.panels[0].domains()
        #expect(x == -1...1)
        #expect(y == -2...2)
    }

    @Test func barsAndHistogramsStandOnZero() {
        let (_, y) = Figure.bars(["a", "b"], [3, 5]).panels[0].domains()
        #expect(y.lowerBound == 0)
        #expect(y.upperBound > 5)
    }

    @Test func aGridIsOneImageWithEveryPanel() throws {
        let a = Figure.lines().line([1, 2, 3]), b = Figure.lines().line([3, 2, 1])
        let grid = Figure.grid(rows: 1, columns: 2, [a, b], sharedY: true)
        #expect(grid.panels.count == 2)
        let decoded = try PNGEncoder.decode(try grid.png())
        #expect(decoded.width == Int(grid.width * 2) && decoded.height == Int(grid.height * 2))
    }
}
