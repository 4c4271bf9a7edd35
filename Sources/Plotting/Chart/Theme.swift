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

    /// Black on white, for light pages and print.
    public static let light = Theme(
        background: .white, text: Color(hex: 0x1a1a1a), mutedText: Color(hex: 0x444444),
        axis: Color(hex: 0x555555), grid: Color(hex: 0xe6e6e6), pane: Color(hex: 0xf2f2f2),
        legendBackground: Color(hex: 0xffffff, alpha: 0.88))

    /// Light on near-black, for pages in dark mode.
    public static let dark = Theme(
        background: Color(hex: 0x17191c), text: Color(hex: 0xe8e8e8), mutedText: Color(hex: 0xb4b8bd),
        axis: Color(hex: 0x9a9fa6), grid: Color(hex: 0x2c3036), pane: Color(hex: 0x22252a),
        legendBackground: Color(hex: 0x17191c, alpha: 0.88))
}

/// Type sizes in CSS pixels.
enum TypeSize {
    static let tick = 11.0
    static let label = 12.5
    static let title = 14.0
    static let legend = 11.0
}
