// Elementwise arithmetic. Each operator computes its value with a plain loop and records the
// derivative rule beside it. Binary operators broadcast (see `broadcastShape`), and the rule
// sums the cotangent back to each operand's shape.
//
// Tensor ⊕ Double overloads exist so Double variables mix in; literals become tensors through
// ExpressibleByFloatLiteral/IntegerLiteral.

extension Tensor {
    /// a + b;  ∂/∂a = ct, ∂/∂b = ct (summed over broadcast axes).
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
        let v = zipWith(lhs, rhs, "+") { $0 + $1 }
        return record("add", v, [lhs, rhs]) { p in
            [p.needs(0) ? p.cotangent.sum(toShape: p.inputs[0].shape) : nil,
             p.needs(1) ? p.cotangent.sum(toShape: p.inputs[1].shape) : nil]
        }
    }

    /// a − b;  ∂/∂a = ct, ∂/∂b = −ct.
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor {
        let v = zipWith(lhs, rhs, "-") { $0 - $1 }
        return record("sub", v, [lhs, rhs]) { p in
            [p.needs(0) ? p.cotangent.sum(toShape: p.inputs[0].shape) : nil,
             p.needs(1) ? (-p.cotangent).sum(toShape: p.inputs[1].shape) : nil]
        }
    }

    /// a · b elementwise;  ∂/∂a = ct·b, ∂/∂b = ct·a.
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor {
        let v = zipWith(lhs, rhs, "*") { $0 * $1 }
        return record("mul", v, [lhs, rhs]) { p in
            [p.needs(0) ? (p.cotangent * p.inputs[1]).sum(toShape: p.inputs[0].shape) : nil,
             p.needs(1) ? (p.cotangent * p.inputs[0]).sum(toShape: p.inputs[1].shape) : nil]
        }
    }

    /// a / b elementwise;  ∂/∂a = ct/b, ∂/∂b = −ct·a/b².
    public static func / (lhs: Tensor, rhs: Tensor) -> Tensor {
        let v = zipWith(lhs, rhs, "/") { $0 / $1 }
        return record("div", v, [lhs, rhs]) { p in
            let b = p.inputs[1]
            return [p.needs(0) ? (p.cotangent / b).sum(toShape: p.inputs[0].shape) : nil,
                    p.needs(1) ? (-(p.cotangent * p.inputs[0]) / (b * b)).sum(toShape: b.shape) : nil]
        }
    }

    /// −a;  ∂/∂a = −ct.
    public static prefix func - (x: Tensor) -> Tensor {
        record("neg", x.map { -$0 }, x) { p in [-p.cotangent] }
    }

    // Tensor–scalar arithmetic is disfavored: without it, an expression of literals alone
    // (`1.0 / 50`, `xs.reduce(0, +)`) is ambiguous in a cell, since a literal can also be a
    // Tensor. With a Double variable on one side these are still the only candidates.
    @_disfavoredOverload public static func + (lhs: Tensor, rhs: Double) -> Tensor {
        record("add scalar", lhs.map { $0 + rhs }, lhs) { p in [p.cotangent] }
    }
    @_disfavoredOverload public static func + (lhs: Double, rhs: Tensor) -> Tensor { rhs + lhs }
    @_disfavoredOverload public static func - (lhs: Tensor, rhs: Double) -> Tensor { lhs + (-rhs) }
    /// s − a;  ∂/∂a = −ct.
    @_disfavoredOverload public static func - (lhs: Double, rhs: Tensor) -> Tensor {
        record("scalar sub", rhs.map { lhs - $0 }, rhs) { p in [-p.cotangent] }
    }
    /// a · s;  ∂/∂a = s·ct.
    @_disfavoredOverload public static func * (lhs: Tensor, rhs: Double) -> Tensor {
        record("mul scalar", lhs.map { $0 * rhs }, lhs) { p in [p.cotangent * rhs] }
    }
    @_disfavoredOverload public static func * (lhs: Double, rhs: Tensor) -> Tensor { rhs * lhs }
    @_disfavoredOverload public static func / (lhs: Tensor, rhs: Double) -> Tensor {
        let scale: Double = 1 / rhs
        return lhs * scale
    }
    /// s / a;  ∂/∂a = −s·ct/a².
    @_disfavoredOverload public static func / (lhs: Double, rhs: Tensor) -> Tensor {
        record("scalar div", rhs.map { lhs / $0 }, rhs) { p in
            let x = p.inputs[0]
            return [-(p.cotangent * lhs) / (x * x)]
        }
    }

    public static func += (lhs: inout Tensor, rhs: Tensor) { lhs = lhs + rhs }
    public static func -= (lhs: inout Tensor, rhs: Tensor) { lhs = lhs - rhs }
    public static func *= (lhs: inout Tensor, rhs: Tensor) { lhs = lhs * rhs }
    public static func /= (lhs: inout Tensor, rhs: Tensor) { lhs = lhs / rhs }
    public static func += (lhs: inout Tensor, rhs: Double) { lhs = lhs + rhs }
    public static func -= (lhs: inout Tensor, rhs: Double) { lhs = lhs - rhs }
    public static func *= (lhs: inout Tensor, rhs: Double) { lhs = lhs * rhs }
    public static func /= (lhs: inout Tensor, rhs: Double) { lhs = lhs / rhs }

    /// x², elementwise;  ∂/∂x = 2x·ct.
    public func squared() -> Tensor {
        Tensor.record("square", map { $0 * $0 }, self) { p in [p.cotangent * p.inputs[0] * 2.0] }
    }
}

/// xᵖ elementwise for a fixed exponent;  ∂/∂x = p·xᵖ⁻¹·ct.
public func pow(_ x: Tensor, _ exponent: Double) -> Tensor {
    if exponent == 2 { return x.squared() }
    if exponent == 1 { return x }
    return Tensor.record("pow", x.map { pow($0, exponent) }, x) { p in
        [p.cotangent * pow(p.inputs[0], exponent - 1) * exponent]
    }
}

/// Elementwise maximum; the cotangent goes to the larger operand (to `a` on ties).
public func maximum(_ a: Tensor, _ b: Tensor) -> Tensor {
    let v = Tensor.zipWith(a, b, "maximum") { $0 >= $1 ? $0 : $1 }
    return Tensor.record("maximum", v, [a, b]) { p in
        let mask = Tensor.zipWith(p.inputs[0].detached, p.inputs[1].detached, "maximum") { $0 >= $1 ? 1 : 0 }
        return [p.needs(0) ? (p.cotangent * mask).sum(toShape: p.inputs[0].shape) : nil,
                p.needs(1) ? (p.cotangent * (1.0 - mask)).sum(toShape: p.inputs[1].shape) : nil]
    }
}

/// Elementwise minimum; the cotangent goes to the smaller operand (to `a` on ties).
public func minimum(_ a: Tensor, _ b: Tensor) -> Tensor {
    -maximum(-a, -b)
}
