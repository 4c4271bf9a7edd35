import Testing
@testable import Plotting

/// The pixel backend, checked pixel by pixel on tiny canvases at 1 device pixel per CSS pixel.
@Suite struct CanvasTests {
    func bytes(_ c: Canvas, _ x: Int, _ y: Int) -> [UInt8] {
        let all = c.rgba8()
        let i = 4 * (y * c.width + x)
        return Array(all[i..<(i + 4)])
    }

    @Test func aHorizontalLineOnePixelWideCoversExactlyItsRow() {
        let c = Canvas(width: 8, height: 5)
        c.line(from: Point(1, 2.5), to: Point(7, 2.5), width: 1, color: .black)
        for y in 0..<5 {
            for x in 0..<8 {
                let inside = y == 2 && (1...6).contains(x)
                #expect(bytes(c, x, y) == (inside ? [0, 0, 0, 255] : [255, 255, 255, 255]), "pixel \(x),\(y)")
            }
        }
    }

    @Test func aLineBetweenPixelRowsSplitsItsCoverageInHalves() {
        let c = Canvas(width: 6, height: 4)
        c.line(from: Point(0, 2), to: Point(6, 2), width: 1, color: .black)
        for x in 0..<6 {
            #expect(bytes(c, x, 1) == [128, 128, 128, 255])
            #expect(bytes(c, x, 2) == [128, 128, 128, 255])
            #expect(bytes(c, x, 0) == [255, 255, 255, 255])
        }
    }

    @Test func aFilledTriangleCoversTheExactAreaOfEachPixel() {
        // The triangle (0,0), (4,0), (0,4): pixels below the diagonal are full, those it
        // crosses are half covered, the rest are untouched.
        let c = Canvas(width: 4, height: 4)
        c.fill(polygon: [Point(0, 0), Point(4, 0), Point(0, 4)], color: .black)
        for y in 0..<4 {
            for x in 0..<4 {
                let p = bytes(c, x, y)
                if x + y <= 2 { #expect(p == [0, 0, 0, 255], "inside \(x),\(y)") }
                else if x + y == 3 { #expect((127...128).contains(p[0]) && p[3] == 255, "edge \(x),\(y): \(p)") }
                else { #expect(p == [255, 255, 255, 255], "outside \(x),\(y)") }
            }
        }
    }

    @Test func windingDirectionDoesNotMatter() {
        let a = Canvas(width: 5, height: 5), b = Canvas(width: 5, height: 5)
        let square = [Point(0.5, 0.5), Point(4.5, 0.5), Point(4.5, 4.5), Point(0.5, 4.5)]
        a.fill(polygon: square, color: .blue)
        b.fill(polygon: square.reversed(), color: .blue)
        #expect(a.rgba8() == b.rgba8())
    }

    @Test func translucentColorsBlendSourceOver() {
        let c = Canvas(width: 2, height: 2)
        c.fill(rect: Rect(x: 0, y: 0, width: 2, height: 2), color: Color(red: 1, green: 0, blue: 0, alpha: 0.5))
        #expect(bytes(c, 0, 0) == [255, 128, 128, 255])
        c.fill(rect: Rect(x: 0, y: 0, width: 1, height: 2), color: Color(red: 0, green: 0, blue: 1, alpha: 0.5))
        // (1, .5, .5) then half blue: (.5, .25, .75).
        #expect(bytes(c, 0, 1) == [128, 64, 191, 255])
        #expect(bytes(c, 1, 1) == [255, 128, 128, 255])
    }

    @Test func onATransparentCanvasAlphaAccumulates() {
        let c = Canvas(width: 1, height: 1, background: .clear)
        c.fill(rect: Rect(x: 0, y: 0, width: 1, height: 1), color: Color(red: 1, green: 0, blue: 0, alpha: 0.5))
        #expect(bytes(c, 0, 0) == [255, 0, 0, 128])
        c.fill(rect: Rect(x: 0, y: 0, width: 1, height: 1), color: Color(red: 1, green: 0, blue: 0, alpha: 0.5))
        #expect(bytes(c, 0, 0) == [255, 0, 0, 191])
    }

    @Test func overlappingSegmentsOfOneStrokeDoNotDarkenTranslucentLines() {
        // A line that doubles back on itself is one shape: its pixels get the color once.
        let c = Canvas(width: 10, height: 3)
        c.stroke([Point(0, 1.5), Point(9, 1.5), Point(2, 1.5)], width: 1, color: Color(red: 0, green: 0, blue: 0, alpha: 0.5))
        #expect(bytes(c, 4, 1) == [128, 128, 128, 255])
    }

    @Test func drawingAtTwiceTheDensityScalesCoordinates() {
        let c = Canvas(width: 8, height: 8, scale: 2)
        c.fill(rect: Rect(x: 1, y: 1, width: 2, height: 2), color: .black)
        #expect(bytes(c, 2, 2) == [0, 0, 0, 255])
        #expect(bytes(c, 5, 5) == [0, 0, 0, 255])
        #expect(bytes(c, 6, 6) == [255, 255, 255, 255])
        #expect(bytes(c, 1, 1) == [255, 255, 255, 255])
    }

    @Test func dashesLeaveGaps() {
        let c = Canvas(width: 40, height: 3)
        c.line(from: Point(0, 1.5), to: Point(40, 1.5), width: 1, color: .black, style: .pattern([4, 4]))
        let row = (0..<40).map { bytes(c, $0, 1)[0] }
        #expect(row[0..<4].allSatisfy { $0 == 0 })
        #expect(row[4..<8].allSatisfy { $0 == 255 })
        #expect(row[8..<12].allSatisfy { $0 == 0 })
    }

    @Test func textIsRasterizedWithTheFont() throws {
        let c = Canvas(width: 60, height: 24)
        c.draw("λ_max", at: Point(2, 16), size: 14, color: .black)
        let dark = c.rgba8().enumerated().filter { $0.offset % 4 == 0 && $0.element < 128 }.count
        #expect(dark > 20)
        #expect(c.measure("x^2", size: 14).width < c.measure("x2", size: 14).width)
    }

    @Test func kerningTightensPairsLikeAV() {
        let c = Canvas(width: 1, height: 1, scale: 2)
        let pair = c.measure("AV", size: 20).width
        let apart = c.measure("A", size: 20).width + c.measure("V", size: 20).width
        print("kerning AV: \(apart - pair) CSS px")
        #expect(pair <= apart)
    }
}

@Suite struct RobustnessTests {
    @Test func farAwayAndNonFiniteCoordinatesAreHarmless() {
        let c = Canvas(width: 20, height: 20)
        c.stroke([Point(-1e200, 5), Point(1e200, 5)], width: 1, color: .black, style: .dashed)
        c.stroke([Point(.nan, 5), Point(10, .infinity), Point(3, 3), Point(8, 8)], width: 1, color: .black)
        c.fill(polygon: [Point(-1e9, -1e9), Point(1e9, -1e9), Point(0, 1e9)], color: .red)
        c.fill(polygon: [Point(.nan, 0), Point(1, 1), Point(2, 0)], color: .red)
        #expect(abs(c.pixel(10, 10).red - Color.red.red) < 1e-6)
    }
}
