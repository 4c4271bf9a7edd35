import Notebook
import Plotting

/// A figure goes into the page as a PNG drawn at 2× for sharp screens, in a light and a dark
/// variant (the page picks one with `prefers-color-scheme`), with its alt text.
extension Figure: Displayable {
    public var display: Display {
        // Encoding RGBA through libpng only fails on a size mismatch, which a canvas cannot have.
        let light = (try? png(theme: .light)) ?? []
        let dark = try? png(theme: .dark)
        return .image(.init(png: light, darkPNG: dark, width: Int(width.rounded()), height: Int(height.rounded()), alt: alt))
    }
}
