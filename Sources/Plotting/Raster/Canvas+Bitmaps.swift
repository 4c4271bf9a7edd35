/// Coverage bitmaps (glyphs).
extension Canvas {
    /// Composites an 8-bit coverage bitmap whose top-left device pixel is (x, y).
    func blit(coverage: [UInt8], width w: Int, height h: Int, atX x: Int, y: Int, color: Color, rotated: Bool = false) {
        if !rotated {
            for row in 0..<h { for col in 0..<w {
                let c = coverage[row * w + col]
                if c > 0 { blend(x + col, y + row, color, coverage: Float(c) / 255) }
            } }
        } else {
            // Rotated a quarter turn counter-clockwise: bitmap (col, row) → (x + row, y + w − 1 − col).
            for row in 0..<h { for col in 0..<w {
                let c = coverage[row * w + col]
                if c > 0 { blend(x + row, y + (w - 1 - col), color, coverage: Float(c) / 255) }
            } }
        }
    }
}
