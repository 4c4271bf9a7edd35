import Foundation

/// A map from `t ∈ [0, 1]` to a color: perceptually uniform sequential maps for values
/// (loss, height) and a diverging one for signed quantities (curvature, eigenvalues).
public struct ColorMap: Sendable, Hashable {
    public let name: String
    /// Evenly spaced colors; `color(at:)` interpolates between them.
    let table: [Color]
    /// Whether the map is diverging (its midpoint is the neutral color at value 0).
    public let isDiverging: Bool

    public init(name: String, colors: [Color], diverging: Bool = false) {
        self.name = name
        self.table = colors.count >= 2 ? colors : [colors.first ?? .black, colors.first ?? .black]
        self.isDiverging = diverging
    }

    public func color(at t: Double) -> Color {
        let u = t.isNaN ? 0 : min(1, max(0, t)) * Double(table.count - 1)
        let i = min(table.count - 2, Int(u))
        return table[i].mixed(with: table[i + 1], u - Double(i))
    }

    /// matplotlib's viridis (van der Walt & Smith), through Matt Zucker's degree-6 fit.
    public static let viridis = ColorMap(name: "viridis", colors: sampled(polynomial: [
        (0.2777273272234177, 0.005407344544966578, 0.3340998053353061),
        (0.1050930431085774, 1.404613529898575, 1.384590162594685),
        (-0.3308618287255563, 0.214847559468213, 0.09509516302823659),
        (-4.634230498983486, -5.799100973351585, -19.33244095627987),
        (6.228269936347081, 14.17993336680509, 56.69055260068105),
        (4.776384997670288, -13.74514537774601, -65.35303263337234),
        (-5.435455855934631, 4.645852612178535, 26.3124352495832),
    ]))

    /// matplotlib's magma, through Matt Zucker's degree-6 fit.
    public static let magma = ColorMap(name: "magma", colors: sampled(polynomial: [
        (-0.002136485053939582, -0.000749655052795221, -0.005386127855323933),
        (0.2516605407371642, 0.6775232436837668, 2.494026599312351),
        (8.353717279216625, -3.577719514958484, 0.3144679030132573),
        (-27.66873308576866, 14.26473078096533, -13.64921318813922),
        (52.17613981234068, -27.94360607168351, 12.94416944238394),
        (-50.76852536473588, 29.04658282127291, 4.23415299384598),
        (18.65570506591883, -11.48977351997711, -5.601961508734096),
    ]))

    /// ColorBrewer's RdBu reversed: blue for negative, near-white at the middle, red for positive.
    public static let blueRed = ColorMap(name: "blueRed", colors: [
        0x053061, 0x2166ac, 0x4393c3, 0x92c5de, 0xd1e5f0, 0xf7f7f7,
        0xfddbc7, 0xf4a582, 0xd6604d, 0xb2182b, 0x67001f,
    ].map { Color(hex: $0) }, diverging: true)

    /// Light to dark grays, for print-like figures.
    public static let grays = ColorMap(name: "grays", colors: [.white, .black])

    /// The map a dark page shows: maps whose neutral or low end is near-white (`blueRed`,
    /// `grays`) would put a glaring white field on a dark page, so their dark variant keeps the
    /// hues and the order of values but puts the neutral end near the page's background (a
    /// diverging map dark at 0 and brightening towards ±max; grays from dark to light).
    /// Viridis and magma start dark already and are their own variants.
    public var onDarkBackground: ColorMap {
        switch name {
        case "blueRed": return .blueRedDark
        case "grays": return .graysDark
        default: return self
        }
    }

    /// `blueRed` for dark pages: light blue for the most negative values, near-black at 0,
    /// light red for the most positive.
    public static let blueRedDark = ColorMap(name: "blueRed-dark", colors: [
        0xa9d4f2, 0x7db3df, 0x5490c7, 0x3a6ca0, 0x2a4870, 0x24262b,
        0x6a2f2b, 0x9a3b31, 0xc5553f, 0xe5826a, 0xf6b8a2,
    ].map { Color(hex: $0) }, diverging: true)

    /// `grays` for dark pages: 0 is the page's near-black, 1 near-white.
    public static let graysDark = ColorMap(name: "grays-dark", colors: [Color(hex: 0x16181c), Color(hex: 0xf2f2f2)])

    private static func sampled(polynomial c: [(Double, Double, Double)]) -> [Color] {
        (0..<256).map { i in
            let t = Double(i) / 255
            var r = 0.0, g = 0.0, b = 0.0
            for k in c.indices.reversed() {
                r = r * t + c[k].0
                g = g * t + c[k].1
                b = b * t + c[k].2
            }
            return Color(red: min(1, max(0, r)), green: min(1, max(0, g)), blue: min(1, max(0, b)))
        }
    }

    public static func == (a: ColorMap, b: ColorMap) -> Bool { a.name == b.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}
