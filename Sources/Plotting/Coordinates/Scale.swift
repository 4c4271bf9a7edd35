import Foundation

/// How data values are spaced along an axis.
public enum Scale: Sendable, Hashable {
    case linear
    /// Base-10 logarithmic; non-positive values are off the axis.
    case log

    /// The value in the space where the axis is uniform.
    func forward(_ v: Double) -> Double {
        switch self {
        case .linear: return v
        case .log: return v > 0 ? Foundation.log10(v) : -.infinity
        }
    }

    func inverse(_ u: Double) -> Double {
        switch self {
        case .linear: return u
        case .log: return Foundation.pow(10, u)
        }
    }
}

/// Maps data values on one axis to canvas positions: `domain` (data) onto `range` (CSS px),
/// uniformly in the scale's space. A y axis has `range` running from bottom to top.
public struct AxisMap: Sendable, Hashable {
    public var domain: ClosedRange<Double>
    public var scale: Scale
    public var range: (Double, Double)

    public init(domain: ClosedRange<Double>, scale: Scale = .linear, range: (Double, Double)) {
        self.domain = domain
        self.scale = scale
        self.range = range
    }

    public func position(_ v: Double) -> Double {
        let a = scale.forward(domain.lowerBound), b = scale.forward(domain.upperBound)
        let t = b == a ? 0.5 : (scale.forward(v) - a) / (b - a)
        return range.0 + t * (range.1 - range.0)
    }

    public func value(at position: Double) -> Double {
        let a = scale.forward(domain.lowerBound), b = scale.forward(domain.upperBound)
        let t = range.1 == range.0 ? 0 : (position - range.0) / (range.1 - range.0)
        return scale.inverse(a + t * (b - a))
    }

    public static func == (l: AxisMap, r: AxisMap) -> Bool {
        l.domain == r.domain && l.scale == r.scale && l.range.0 == r.range.0 && l.range.1 == r.range.1
    }
    public func hash(into h: inout Hasher) { h.combine(domain.lowerBound); h.combine(domain.upperBound) }
}

/// A tick: its value and its label (rich text, e.g. `10^{-4}`).
public struct Tick: Sendable, Hashable {
    public var value: Double
    public var label: String
}

/// "Nice" tick placement: steps of 1, 2, 2.5 or 5 times a power of ten on linear axes,
/// decades on log axes.
public enum Ticks {
    /// About `target` intervals across `lo...hi`; ticks lie inside the range.
    public static func linear(_ lo: Double, _ hi: Double, target: Int = 6) -> [Tick] {
        guard lo.isFinite, hi.isFinite, hi > lo else {
            return lo.isFinite ? [Tick(value: lo, label: format(lo, step: max(abs(lo), 1)))] : []
        }
        var step = niceStep((hi - lo) / Double(max(1, target)))
        var first = (lo / step - 1e-9).rounded(.up), last = (hi / step + 1e-9).rounded(.down)
        // A nice step can round up past half the range (±0.0016 with 3 intervals: a step of
        // 0.002) and leave one tick, an axis or color bar with a single label: halve the
        // interval until two ticks fit.
        var tries = 0
        while last - first < 1, tries < 4 {
            step = niceStep(step / 2.5)
            first = (lo / step - 1e-9).rounded(.up)
            last = (hi / step + 1e-9).rounded(.down)
            tries += 1
        }
        // Ranges far from zero relative to their width (1e17 ± 1) get their two ends only.
        guard last >= first, last - first < 1000, abs(first) < 1e15, abs(last) < 1e15 else {
            return [Tick(value: lo, label: format(lo, step: hi - lo)), Tick(value: hi, label: format(hi, step: hi - lo))]
        }
        return stride(from: first, through: last, by: 1).map { k in
            // k·step, cleaned of binary round-off (0.6000000000000001 → 0.6).
            let v = Double(String(format: "%.12g", k * step)) ?? k * step
            let value = abs(v) < step * 1e-9 ? 0 : v
            return Tick(value: value, label: format(value, step: step))
        }
    }

    /// Decades `10^k` in `lo...hi` (every second or fifth one for wide ranges); a range under
    /// two decades gets linear nice ticks instead.
    public static func log(_ lo: Double, _ hi: Double, target: Int = 6) -> [Tick] {
        guard lo > 0, hi > lo else { return linear(max(lo, 0), hi, target: target) }
        let a = Foundation.log10(lo), b = Foundation.log10(hi)
        let first = Int((a - 1e-9).rounded(.up)), last = Int((b + 1e-9).rounded(.down))
        if last - first < 2 {
            // Two decades or fewer: 1, 2 and 5 times each power of ten, written out; all nine
            // multiples when that gives too few; linear ticks inside a single short stretch.
            for multiples in [[1.0, 2, 5], [1.0, 2, 3, 4, 5, 6, 7, 8, 9]] {
                var out: [Tick] = []
                for k in (first - 1)...(last + 1) {
                    for m in multiples {
                        let v = m * Foundation.pow(10, Double(k))
                        if v >= lo * (1 - 1e-9), v <= hi * (1 + 1e-9) { out.append(Tick(value: v, label: plain(v))) }
                    }
                }
                if out.count >= 3 { return out.count > target + 3 ? stride(from: 0, to: out.count, by: 2).map { out[$0] } : out }
            }
            return linear(lo, hi, target: min(target, 4)).filter { $0.value > 0 }
        }
        var every = 1
        while (last - first) / every + 1 > target + 2 { every = every == 1 ? 2 : every == 2 ? 5 : every * 2 }
        return stride(from: first, through: last, by: 1).filter { $0 % every == 0 }.map { k in
            Tick(value: Foundation.pow(10, Double(k)), label: decade(k))
        }
    }

    /// The minor ticks of a log axis: 2…9 times each decade, inside the range.
    static func logMinor(_ lo: Double, _ hi: Double) -> [Double] {
        guard lo > 0, hi > lo, Foundation.log10(hi / lo) < 12 else { return [] }
        var out: [Double] = []
        var k = Int(Foundation.log10(lo).rounded(.down))
        while Foundation.pow(10, Double(k)) <= hi {
            for m in 2...9 {
                let v = Double(m) * Foundation.pow(10, Double(k))
                if v >= lo, v <= hi { out.append(v) }
            }
            k += 1
        }
        return out
    }

    public static func ticks(_ lo: Double, _ hi: Double, scale: Scale, target: Int = 6) -> [Tick] {
        scale == .log ? log(lo, hi, target: target) : linear(lo, hi, target: target)
    }

    static func niceStep(_ raw: Double) -> Double {
        let magnitude = Foundation.pow(10, Foundation.log10(raw).rounded(.down))
        for m in [1, 2, 2.5, 5, 10] where m * magnitude >= raw * (1 - 1e-9) { return m * magnitude }
        return 10 * magnitude
    }

    /// A 1-, 2- or 5-times-a-power-of-ten value written out (`0.05`, `200`), or as `m×10^k`.
    static func plain(_ v: Double) -> String {
        let k = Int(Foundation.log10(v).rounded(.down))
        if k >= -4 && k <= 5 { return format(v, step: Foundation.pow(10, Double(k))) }
        let m = Int((v / Foundation.pow(10, Double(k))).rounded())
        return (m == 1 ? "" : "\(m)×") + "10^{\(k)}".replacingOccurrences(of: "-", with: "−")
    }

    static func decade(_ k: Int) -> String {
        switch k {
        case 0: return "1"
        case 1: return "10"
        default: return "10^{\(k)}".replacingOccurrences(of: "-", with: "−")
        }
    }

    /// A tick label: as many decimals as the step needs, a true minus sign, and `m×10^k`
    /// for very large or very small values.
    public static func format(_ v: Double, step: Double) -> String {
        let magnitude = max(abs(v), step)
        if v != 0, magnitude >= 1e5 || step < 1e-3 {
            let k = Int(Foundation.log10(abs(v)).rounded(.down))
            let mantissa = v / Foundation.pow(10, Double(k))
            let stepDigits = max(0, Int((-Foundation.log10(step / Foundation.pow(10, Double(k))) + 0.999).rounded(.down)))
            var m = String(format: "%.\(min(3, stepDigits))f", mantissa)
            if m.contains(".") { while m.hasSuffix("0") { m.removeLast() }; if m.hasSuffix(".") { m.removeLast() } }
            let text = m == "1" ? "10^{\(k)}" : m == "-1" ? "-10^{\(k)}" : "\(m)×10^{\(k)}"
            return text.replacingOccurrences(of: "-", with: "−")
        }
        var decimals = max(0, Int((-Foundation.log10(step) + 0.999_999).rounded(.down)))
        let scaled = step / Foundation.pow(10, Double(-decimals))
        if abs(scaled - scaled.rounded()) > 1e-6 { decimals += 1 }
        var s = String(format: "%.\(decimals)f", v)
        if s.hasPrefix("-") { s = "−" + s.dropFirst() }
        return s
    }
}

/// The range a set of values spans on a scale, padded by `margin` of its width (in the
/// scale's space), with degenerate ranges widened.
func paddedRange(_ lo: Double, _ hi: Double, scale: Scale, margin: Double) -> ClosedRange<Double> {
    var a = scale.forward(lo), b = scale.forward(hi)
    if !a.isFinite || !b.isFinite { return scale == .log ? 0.1...10 : 0...1 }
    if b - a < 1e-12 * max(1, abs(a)) {
        let w = scale == .log ? 0.5 : max(abs(a) * 0.1, 0.5)
        a -= w; b += w
    } else {
        let pad = (b - a) * margin
        a -= pad; b += pad
    }
    return scale.inverse(a)...scale.inverse(b)
}
