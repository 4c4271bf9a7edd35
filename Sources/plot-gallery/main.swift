// plot-gallery: writes every gallery figure (PlottingGallery) light and dark into a folder, with
// how long each took to draw and encode, and 3× magnified crops of device pixels for looking at
// antialiasing and seams. `swift run -c release plot-gallery OUT` (OUT is created).
import Foundation
import Plotting
import PlottingGallery

let arguments = CommandLine.arguments.dropFirst()
guard arguments.count == 1, let folder = arguments.first, !folder.hasPrefix("-") else {
    FileHandle.standardError.write(Data("usage: plot-gallery OUT\n".utf8))
    exit(64)
}
do {
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let surface101 = Figure.surface(x: -1...1, y: -1...1, resolution: 101) { x, y in
        sin(3 * x) * cos(2 * y) + 0.5 * (x * x + y * y)
    }.title("101 × 101 surface").zLabel("loss")
    let figures: [(String, Figure)] = [
        ("heatmap", Gallery.heatmap), ("contour", Gallery.contour), ("lines", Gallery.lines),
        ("spectrum", Gallery.spectrum), ("surface", Gallery.surface), ("scatter", Gallery.scatter),
        ("bars", Gallery.bars), ("grid", Gallery.grid), ("schedule", Gallery.schedule), ("density", Gallery.density),
        ("saddle", Gallery.saddle), ("crowded", Gallery.crowded), ("rosenbrockFilled", Gallery.rosenbrockFilled),
        ("twoWells", Gallery.twoWells), ("basins", Gallery.basins), ("landscapePair", Gallery.landscapePair),
        ("rosenbrockPaths", Gallery.rosenbrockPaths), ("surface101", surface101),
    ]
    for (name, figure) in figures {
        let start = Date()
        let canvas = figure.canvas()
        let drawn = Date()
        let png = try canvas.png()
        let encoded = Date()
        try Data(png).write(to: URL(fileURLWithPath: "\(folder)/\(name).png"))
        let dark = try figure.png(theme: .dark)
        try Data(dark).write(to: URL(fileURLWithPath: "\(folder)/\(name)-dark.png"))
        print("\(name): draw \(String(format: "%.3f", drawn.timeIntervalSince(start))) s,"
              + " encode \(String(format: "%.3f", encoded.timeIntervalSince(drawn))) s,"
              + " PNG light \(png.count / 1024) KiB, dark \(dark.count / 1024) KiB")
    }
    // 3× magnified crops of device pixels.
    for (name, canvas, x0, y0) in [("surface", surface101.canvas(), 440, 300), ("contour", Gallery.contour.canvas(), 430, 150),
                                   ("text", Gallery.schedule.canvas(), 0, 120)] {
        let w = 200, h = 140, k = 3
        let all = canvas.rgba8()
        var out = [UInt8](repeating: 0, count: w * k * h * k * 4)
        for y in 0..<(h * k) {
            for x in 0..<(w * k) {
                let src = 4 * ((y0 + y / k) * canvas.width + x0 + x / k), dst = 4 * (y * w * k + x)
                for c in 0..<4 { out[dst + c] = all[src + c] }
            }
        }
        try Data(try PNGEncoder.encode(rgba: out, width: w * k, height: h * k)).write(to: URL(fileURLWithPath: "\(folder)/crop-\(name).png"))
    }
    print("wrote \(figures.count * 2 + 3) PNG files into \(folder)/")
} catch {
    FileHandle.standardError.write(Data("plot-gallery: \(error)\n".utf8))
    exit(1)
}
