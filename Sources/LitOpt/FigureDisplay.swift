import Notebook
import Plotting

/// A figure goes into the page as a PNG drawn at 2× for sharp screens, in a light and a dark
/// variant (the page picks one with `prefers-color-scheme`), with its alt text — laid out for
/// the column it lands in: `Figure.legible` for desktop columns and, for figures wider than a
/// phone's column, `Figure.stacked` for narrow screens.
extension Figure: Displayable {
    public var display: Display {
        let wide = legible
        var image = wide.image(alt: alt)
        if let stacked {
            let variant = stacked.image(alt: alt)
            image.narrow = .init(png: variant.png, darkPNG: variant.darkPNG, width: variant.width, height: variant.height,
                                 textPixels: variant.textPixels)
        }
        return .image(image)
    }

    private func image(alt: String) -> Display.Image {
        // Encoding RGBA through libpng only fails on a size mismatch, which a canvas cannot have.
        let light = (try? png(theme: .light)) ?? []
        let dark = try? png(theme: .dark)
        return .init(png: light, darkPNG: dark, width: Int(width.rounded()), height: Int(height.rounded()), alt: alt,
                     textPixels: smallestTextPixels)
    }
}
