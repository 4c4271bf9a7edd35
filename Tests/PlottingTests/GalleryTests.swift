import Foundation
import Testing
@testable import Plotting

/// Writes every gallery figure, light and dark, to `$LITOPT_GALLERY` when set (for looking at).
@Test func writeGalleryWhenAsked() throws {
    guard let dir = ProcessInfo.processInfo.environment["LITOPT_GALLERY"] else { return }
    let figures: [(String, Figure)] = [
        ("heatmap", Gallery.heatmap), ("contour", Gallery.contour), ("lines", Gallery.lines),
        ("spectrum", Gallery.spectrum), ("surface", Gallery.surface), ("scatter", Gallery.scatter),
        ("bars", Gallery.bars), ("grid", Gallery.grid), ("schedule", Gallery.schedule), ("density", Gallery.density),
        ("saddle", Gallery.saddle), ("crowded", Gallery.crowded), ("rosenbrockFilled", Gallery.rosenbrockFilled), ("twoWells", Gallery.twoWells), ("basins", Gallery.basins), ("landscapePair", Gallery.landscapePair), ("rosenbrockPaths", Gallery.rosenbrockPaths),
        ("surface101", Figure.surface(x: -1...1, y: -1...1, resolution: 101) { x, y in
            sin(3 * x) * cos(2 * y) + 0.5 * (x * x + y * y) }.title("101 × 101 surface").zLabel("loss")),
    ]
    for (name, figure) in figures {
        let start = Date()
        let canvas = figure.canvas()
        let drawn = Date()
        let png = try canvas.png()
        let encoded = Date()
        try Data(png).write(to: URL(fileURLWithPath: "\(dir)/\(name).png"))
        try figure.write(to: "\(dir)/\(name)-dark.png", theme: .dark)
        let dark = try figure.png(theme: .dark).count
        print("gallery \(name): draw \(String(format: "%.3f", drawn.timeIntervalSince(start))) s,"
              + " encode \(String(format: "%.3f", encoded.timeIntervalSince(drawn))) s,"
              + " PNG light \(png.count / 1024) KiB, dark \(dark / 1024) KiB")
    }
}

/// Writes a 3× magnified crop of a figure's device pixels, to inspect antialiasing and seams.
@Test func writeMagnifiedCropWhenAsked() throws {
    guard let dir = ProcessInfo.processInfo.environment["LITOPT_GALLERY"] else { return }
    let figure = Figure.surface(x: -1...1, y: -1...1, resolution: 101) { x, y in sin(3 * x) * cos(2 * y) + 0.5 * (x * x + y * y) }
    for (name, canvas, x0, y0) in [("surface", figure.canvas(), 440, 300), ("contour", Gallery.contour.canvas(), 430, 150), ("text", Gallery.schedule.canvas(), 0, 120)] {
        let w = 200, h = 140, k = 3
        let all = canvas.rgba8()
        var out = [UInt8](repeating: 0, count: w * k * h * k * 4)
        for y in 0..<(h * k) { for x in 0..<(w * k) {
            let src = 4 * ((y0 + y / k) * canvas.width + x0 + x / k), dst = 4 * (y * w * k + x)
            for c in 0..<4 { out[dst + c] = all[src + c] }
        } }
        try Data(try PNGEncoder.encode(rgba: out, width: w * k, height: h * k)).write(to: URL(fileURLWithPath: "\(dir)/crop-\(name).png"))
    }
}
