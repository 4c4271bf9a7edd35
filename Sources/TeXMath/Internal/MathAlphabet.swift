/// The alphabets of `\mathbf`, `\mathbb`, `\mathcal`, …, as Unicode Mathematical Alphanumeric
/// Symbols (U+1D400…U+1D7FF). MathML Core allows `mathvariant` only as `normal` on `<mi>`;
/// bold, double-struck or script letters are written as these characters (`𝐱`, `ℝ`, `𝒟`).
enum MathFont: Equatable, Sendable {
    /// `\mathrm`, `\operatorname`: upright; neighbouring letters form one word.
    case roman
    case italic, bold, boldItalic, doubleStruck, script, fraktur, sansSerif, monospace

    /// Letters typed next to each other in this font form one `<mi>` (`\mathrm{tr}` → `<mi>tr</mi>`).
    var joinsLetters: Bool {
        switch self {
        case .roman, .italic, .sansSerif, .monospace: true
        default: false
        }
    }
}

enum MathAlphabet {
    /// `scalar` in `font`, or `nil` where the font has no such character (it is then kept as is).
    static func styled(_ scalar: Unicode.Scalar, _ font: MathFont) -> Unicode.Scalar? {
        let value = scalar.value
        if let latin = latinIndex(value) {
            guard let start = latinStart(font) else { return nil }
            let code = start + latin
            return Unicode.Scalar(holes[code] ?? code)
        }
        if (0x30...0x39).contains(value) {
            guard let start = digitStart(font) else { return nil }
            return Unicode.Scalar(start + value - 0x30)
        }
        if let greek = greekIndex(value) {
            let isCapital = greek < 26
            let start: UInt32?
            switch font {
            case .bold: start = 0x1D6A8
            // TeX's convention (unicode-math's bold-style=TeX): capitals upright, lowercase italic.
            case .boldItalic: start = isCapital ? 0x1D6A8 : 0x1D71C
            case .italic: start = 0x1D6E2
            default: start = nil
            }
            guard let start else { return nil }
            return Unicode.Scalar(start + greek)
        }
        return nil
    }

    /// Folds a styled letter back to its plain form, for search text: `𝐱` → `x`, `ℝ` → `R`.
    static func plain(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let value = scalar.value
        if let letter = plainHoles[value] { return letter }
        if (0x1D400...0x1D6A3).contains(value) {
            let index = (value - 0x1D400) % 52
            return Unicode.Scalar(index < 26 ? 0x41 + index : 0x61 + index - 26)!
        }
        if (0x1D6A8...0x1D7C9).contains(value) {
            let index = (value - 0x1D6A8) % 58
            return greekLetters[Int(index)]
        }
        if (0x1D7CE...0x1D7FF).contains(value) {
            return Unicode.Scalar(0x30 + (value - 0x1D7CE) % 10)!
        }
        return scalar
    }

    private static func latinIndex(_ value: UInt32) -> UInt32? {
        if (0x41...0x5A).contains(value) { return value - 0x41 }
        if (0x61...0x7A).contains(value) { return value - 0x61 + 26 }
        return nil
    }

    private static func latinStart(_ font: MathFont) -> UInt32? {
        switch font {
        case .bold: 0x1D400
        case .italic: 0x1D434
        case .boldItalic: 0x1D468
        case .script: 0x1D49C
        case .fraktur: 0x1D504
        case .doubleStruck: 0x1D538
        case .sansSerif: 0x1D5A0
        case .monospace: 0x1D670
        case .roman: nil
        }
    }

    private static func digitStart(_ font: MathFont) -> UInt32? {
        switch font {
        case .bold, .boldItalic: 0x1D7CE
        case .doubleStruck: 0x1D7D8
        case .sansSerif: 0x1D7E2
        case .monospace: 0x1D7F6
        default: nil
        }
    }

    /// The order of the Greek blocks: 25 capitals with ϴ in the 18th place, ∇, 25 lowercase
    /// with ς in the 18th place, then ∂ ϵ ϑ ϰ ϕ ϱ ϖ.
    private static let greekLetters: [Unicode.Scalar] = {
        var letters: [Unicode.Scalar] = []
        for value in UInt32(0x391)...0x3A9 { letters.append(Unicode.Scalar(value == 0x3A2 ? 0x3F4 : value)!) }
        letters.append("\u{2207}")
        for value in UInt32(0x3B1)...0x3C9 { letters.append(Unicode.Scalar(value)!) }
        letters += ["\u{2202}", "\u{3F5}", "\u{3D1}", "\u{3F0}", "\u{3D5}", "\u{3F1}", "\u{3D6}"]
        return letters
    }()

    private static let greekIndexByValue: [UInt32: UInt32] = {
        var map: [UInt32: UInt32] = [:]
        for (index, letter) in greekLetters.enumerated() { map[letter.value] = UInt32(index) }
        return map
    }()

    private static func greekIndex(_ value: UInt32) -> UInt32? { greekIndexByValue[value] }

    /// Letters that Unicode had already encoded in Letterlike Symbols, left as holes in the blocks.
    private static let holes: [UInt32: UInt32] = [
        0x1D455: 0x210E,
        0x1D49D: 0x212C, 0x1D4A0: 0x2130, 0x1D4A1: 0x2131, 0x1D4A3: 0x210B, 0x1D4A4: 0x2110,
        0x1D4A7: 0x2112, 0x1D4A8: 0x2133, 0x1D4AD: 0x211B, 0x1D4BA: 0x212F, 0x1D4BC: 0x210A,
        0x1D4C4: 0x2134,
        0x1D506: 0x212D, 0x1D50B: 0x210C, 0x1D50C: 0x2111, 0x1D515: 0x211C, 0x1D51D: 0x2128,
        0x1D53A: 0x2102, 0x1D53F: 0x210D, 0x1D545: 0x2115, 0x1D547: 0x2119, 0x1D548: 0x211A,
        0x1D549: 0x211D, 0x1D551: 0x2124,
    ]

    private static let plainHoles: [UInt32: Unicode.Scalar] = {
        var map: [UInt32: Unicode.Scalar] = [:]
        for (code, hole) in holes {
            let index = (code - 0x1D400) % 52
            map[hole] = Unicode.Scalar(index < 26 ? 0x41 + index : 0x61 + index - 26)!
        }
        return map
    }()
}
