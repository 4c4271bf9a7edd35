/// The colors of everything that is not data. Data colors (palette, color maps) are the
/// same in both themes, so a reader switching themes sees the same figure.
public struct Theme: Sendable, Hashable {
    public var background: Color
    public var text: Color
    /// Tick labels and secondary text.
    public var mutedText: Color
    /// Spines and ticks.
    public var axis: Color
    public var grid: Color
    /// The back walls of a 3-D box.
    public var pane: Color
    public var legendBackground: Color

    /// Grid lines on the back walls of a 3-D box.
    public var paneGrid: Color
    /// Reference lines (`hline`, `vline`).
    public var reference: Color

    /// Whether the background is dark (color maps whose low or middle end is near-white
    /// take their dark-background variant, `ColorMap.onDarkBackground`).
    public var isDark: Bool { background.red * 0.2126 + background.green * 0.7152 + background.blue * 0.0722 < 0.5 }

    /// Dark on the book's light page (its background, text and muted colors).
    public static let light = Theme(
        background: Color(hex: 0xfdfdfb), text: Color(hex: 0x1d1f24), mutedText: Color(hex: 0x4a505a),
        axis: Color(hex: 0x5d6470), grid: Color(hex: 0xe6e6e1), pane: Color(hex: 0xf1f1ec),
        legendBackground: Color(hex: 0xfdfdfb, alpha: 0.88), paneGrid: Color(hex: 0xd8d8d2),
        reference: Color(hex: 0x5d6470))

    /// Light on the book's dark page.
    public static let dark = Theme(
        background: Color(hex: 0x16181c), text: Color(hex: 0xe3e5e8), mutedText: Color(hex: 0xa0a7b2),
        axis: Color(hex: 0x8d949e), grid: Color(hex: 0x2a2e34), pane: Color(hex: 0x1f2227),
        legendBackground: Color(hex: 0x16181c, alpha: 0.88), paneGrid: Color(hex: 0x363a42),
        reference: Color(hex: 0xa0a7b2))
}

/// Type sizes in CSS pixels.
enum TypeSize {
    static let tick = 11.0
    static let label = 12.5
    static let title = 14.0
    static let legend = 11.0
}
