/// An sRGB color with straight (non-premultiplied) alpha, each component in 0...1.
public struct Color: Sendable, Hashable {
    public var red: Double
    public var green: Double
    public var blue: Double
    public var alpha: Double

    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    /// `Color(hex: 0x1f77b4)`: 24-bit RGB.
    public init(hex: UInt32, alpha: Double = 1) {
        self.init(red: Double((hex >> 16) & 0xff) / 255, green: Double((hex >> 8) & 0xff) / 255,
                  blue: Double(hex & 0xff) / 255, alpha: alpha)
    }

    /// The same color with its alpha multiplied by `factor`.
    public func opacity(_ factor: Double) -> Color {
        Color(red: red, green: green, blue: blue, alpha: alpha * factor)
    }

    /// Linear interpolation in sRGB: `t = 0` is `self`, `t = 1` is `other`.
    public func mixed(with other: Color, _ t: Double) -> Color {
        Color(red: red + (other.red - red) * t, green: green + (other.green - green) * t,
              blue: blue + (other.blue - blue) * t, alpha: alpha + (other.alpha - alpha) * t)
    }

    /// Multiplies the color channels (a simple light model), clamped to 0...1.
    func shaded(_ factor: Double) -> Color {
        Color(red: min(1, red * factor), green: min(1, green * factor),
              blue: min(1, blue * factor), alpha: alpha)
    }

    public static let black = Color(hex: 0x000000)
    public static let white = Color(hex: 0xffffff)
    public static let clear = Color(red: 0, green: 0, blue: 0, alpha: 0)

    // The categorical palette (matplotlib's tab10), the colors the course's papers use.
    public static let blue = Color(hex: 0x1f77b4)
    public static let orange = Color(hex: 0xff7f0e)
    public static let green = Color(hex: 0x2ca02c)
    public static let red = Color(hex: 0xd62728)
    public static let purple = Color(hex: 0x9467bd)
    public static let brown = Color(hex: 0x8c564b)
    public static let pink = Color(hex: 0xe377c2)
    public static let gray = Color(hex: 0x7f7f7f)
    public static let olive = Color(hex: 0xbcbd22)
    public static let cyan = Color(hex: 0x17becf)

    /// Colors given in turn to marks that do not choose one.
    public static let cycle: [Color] = [.blue, .orange, .green, .red, .purple, .brown, .pink, .gray, .olive, .cyan]
}
