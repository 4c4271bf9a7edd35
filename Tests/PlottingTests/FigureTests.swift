import Foundation
import Testing
@testable import Plotting
import PlottingGallery

/// Whole figures: sizes, determinism, themes, alt text and golden images.
@Suite struct FigureTests {
    @Test func thePNGDecodesAtTwiceTheDeclaredSize() throws {
        let figure = Figure.lines(title: "Loss").line([3, 2, 1.5, 1.2, 1.1])
        let decoded = try PNGEncoder.decode(try figure.png())
        #expect(decoded.width == 1280)
        #expect(decoded.height == 800)
        #expect(figure.width == 640 && figure.height == 400)
    }

    @Test func renderingTwiceGivesIdenticalBytes() throws {
        for figure in [Gallery.contour, Gallery.surface, Gallery.lines] {
            #expect(try figure.png() == figure.png())
            #expect(try figure.png(theme: .dark) == figure.png(theme: .dark))
        }
    }

    @Test func theDarkVariantHasADarkBackgroundAndTheSameDataColors() throws {
        let figure = Figure.lines().line([0, 1], [0, 1], color: .orange, width: 6).gridLines(false)
        let light = figure.canvas(theme: .light), dark = figure.canvas(theme: .dark)
        #expect(light.pixel(2, 2).rounded8 == Theme.light.background.rounded8)
        #expect(dark.pixel(2, 2).red < 0.15)
        // The middle of the line is the same orange in both.
        let mid = (light.width / 2, light.height / 2)
        #expect(light.pixel(mid.0, mid.1).rounded8 == dark.pixel(mid.0, mid.1).rounded8)
    }

    @Test func altTextDefaultsFromTheTitleAndCanBeSet() {
        #expect(Gallery.heatmap.alt == "Heatmap “Rosenbrock” of y against x")
        #expect(Gallery.lines.alt.contains("SGD, SAM"))
        #expect(Gallery.heatmap.alt("The Rosenbrock valley").alt == "The Rosenbrock valley")
    }

    @Test func aLogAxisDropsNonPositiveValuesInsteadOfFailing() throws {
        let figure = Figure.lines().line([0, 1, 2, 3], [1, 0, -1, 0.1]).yScale(.log)
        #expect(try figure.png().count > 1000)
    }

    @Test func emptyAndDegenerateFiguresStillRender() throws {
        #expect(try Figure.lines().png().count > 100)
        #expect(try Figure.lines().line([1], [1]).png().count > 100)
        #expect(try Figure.heatmap(x: 0...1, y: 0...1) { _, _ in 3 }.png().count > 100)
        #expect(try Figure.histogram([]).png().count > 100)
    }

    // MARK: Golden images

    static let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden")

    /// Compares with `Golden/NAME.png` pixel for pixel: rendering is deterministic (its own
    /// rasterizer, Debian's FreeType and fonts), so any difference is a change to look at.
    /// `LITOPT_UPDATE_GOLDEN=1` rewrites the files.
    func expectMatchesGolden(_ figure: Figure, _ name: String) throws {
        var small = figure.size(width: 360, height: 240)
        small.pixelDensity = 1
        let png = try small.png()
        let url = Self.goldenDirectory.appendingPathComponent("\(name).png")
        if ProcessInfo.processInfo.environment["LITOPT_UPDATE_GOLDEN"] != nil {
            try FileManager.default.createDirectory(at: Self.goldenDirectory, withIntermediateDirectories: true)
            try Data(png).write(to: url)
            return
        }
        let golden = try PNGEncoder.decode([UInt8](try Data(contentsOf: url)))
        let actual = try PNGEncoder.decode(png)
        #expect(golden.width == actual.width && golden.height == actual.height)
        guard golden.rgba.count == actual.rgba.count else { return }
        let differing = stride(from: 0, to: golden.rgba.count, by: 4).filter { i in
            (0..<4).contains { golden.rgba[i + $0] != actual.rgba[i + $0] }
        }.count
        #expect(differing == 0, "\(name): \(differing) of \(golden.rgba.count / 4) pixels differ from Golden/\(name).png")
    }

    @Test func heatmapMatchesGolden() throws { try expectMatchesGolden(Gallery.heatmap, "heatmap") }
    @Test func contourWithPathsMatchesGolden() throws { try expectMatchesGolden(Gallery.contour, "contour") }
    @Test func linesMatchGolden() throws { try expectMatchesGolden(Gallery.lines, "lines") }
    @Test func surfaceMatchesGolden() throws { try expectMatchesGolden(Gallery.surface, "surface") }

    /// `zRange` fixes a surface's height scale: a bowl drawn in a taller box looks flatter, and
    /// the same range on two panels makes them comparable; heights beyond it are clamped.
    @Test func surfacesCanShareOneHeightScale() throws {
        let bowl = Figure.surface(x: -1...1, y: -1...1, resolution: 21) { x, y in x * x + y * y }.size(width: 300, height: 220)
        let own = try bowl.png()
        let tall = try bowl.zRange(0...8).png()
        let clamped = try bowl.zRange(0...0.5).png()
        #expect(own != tall && own != clamped && tall != clamped)
        #expect(try bowl.zRange(0...8).png() == tall, "deterministic")
    }
}

extension Color {
    /// Rounded to 8 bits per channel, as it would be in a PNG.
    var rounded8: Color {
        func r(_ v: Double) -> Double { (v * 255).rounded() / 255 }
        return Color(red: r(red), green: r(green), blue: r(blue), alpha: r(alpha))
    }
}
