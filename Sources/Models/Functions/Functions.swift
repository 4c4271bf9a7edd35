import Autodiff

/// The course's two-dimensional test landscapes, each with its known critical points.
///
///     let f = Functions.rosenbrock
///     let q = Functions.quadratic(eigenvalues: [1, 10], angle: 0.3)   // κ = 10, rotated
///     heatmap(f) …; Adam(lr: 0.01).minimize(f, from: [-1.5, 2], steps: 500)
///
/// Critical points other than the textbook minima were located by Newton's method on the
/// symbolic gradient (SymPy `nsolve`, 30 digits) and classified by the Hessian's eigenvalues;
/// tests check that ∇f vanishes there.
public enum Functions {
    /// Rosenbrock's banana valley (Rosenbrock 1960) with the usual a = 1, b = 100:
    /// f(x, y) = (1 − x)² + 100 (y − x²)², minimum f(1, 1) = 0 at the end of a curved,
    /// nearly flat valley whose Hessian there has condition number ≈ 2508.
    public static let rosenbrock = rosenbrock(a: 1, b: 100)

    /// f(x, y) = (a − x)² + b (y − x²)²; minimum f(a, a²) = 0.
    public static func rosenbrock(a: Double, b: Double) -> TestFunction {
        TestFunction(
            name: "Rosenbrock",
            formula: "(\(texNumber(a)) - x)^2 + \(texNumber(b))\\,(y - x^2)^2",
            criticalPoints: [CriticalPoint([a, a * a], value: 0, kind: .globalMinimum)],
            domain: (x: (-2 * Swift.max(1, abs(a)))...(2 * Swift.max(1, abs(a))), y: (-1)...(a * a + 2)),
            scalar: { x, y in (a - x) * (a - x) + b * (y - x * x) * (y - x * x) },
            tensor: { p in
                let x = p[0], y = p[1]
                return (a - x).squared() + b * (y - x.squared()).squared()
            })
    }

    /// Himmelblau's function (Himmelblau 1972): f(x, y) = (x² + y − 11)² + (x + y² − 7)².
    /// Four global minima with f = 0, one local maximum (f ≈ 181.617) and four saddles
    /// between them: the standard "which basin do you end in" landscape.
    public static let himmelblau = TestFunction(
        name: "Himmelblau",
        formula: "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
        criticalPoints: [
            CriticalPoint([3, 2], value: 0, kind: .globalMinimum),
            CriticalPoint([-2.805118086952745, 3.131312518250573], value: 0, kind: .globalMinimum),
            CriticalPoint([-3.779310253377747, -3.2831859912861696], value: 0, kind: .globalMinimum),
            CriticalPoint([3.5844283403304917, -1.8481265269644036], value: 0, kind: .globalMinimum),
            CriticalPoint([-0.2708445906673476, -0.9230385564799815], value: 181.6165215225827, kind: .maximum),
            CriticalPoint([0.08667750455539636, 2.884254701174776], value: 67.71915008752615, kind: .saddle),
            CriticalPoint([-3.0730257507643897, -0.08135304428796751], value: 104.0151629175581, kind: .saddle),
            CriticalPoint([3.385154183607021, 0.07385187983774928], value: 13.31192627040559, kind: .saddle),
            CriticalPoint([-0.12796134673068008, -1.9537149802445763], value: 178.33723920192747, kind: .saddle),
        ],
        domain: (x: (-5)...5, y: (-5)...5),
        scalar: { x, y in
            let a = x * x + y - 11, b = x + y * y - 7
            return a * a + b * b
        },
        tensor: { p in
            let x = p[0], y = p[1]
            return (x.squared() + y - 11).squared() + (x + y.squared() - 7).squared()
        })

    /// Beale's function (Beale 1958):
    /// f(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²,
    /// minimum f(3, 0.5) = 0 on [−4.5, 4.5]², in a narrow curved valley with steep walls
    /// (the Hessian there has eigenvalues ≈ 0.30 and 49.0); a saddle at (0, 1).
    public static let beale = TestFunction(
        name: "Beale",
        formula: "(1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2",
        criticalPoints: [
            CriticalPoint([3, 0.5], value: 0, kind: .globalMinimum),
            CriticalPoint([0, 1], value: 14.203125, kind: .saddle),
        ],
        domain: (x: (-4.5)...4.5, y: (-4.5)...4.5),
        scalar: { x, y in
            let a = 1.5 - x + x * y, b = 2.25 - x + x * y * y, c = 2.625 - x + x * y * y * y
            return a * a + b * b + c * c
        },
        tensor: { p in
            let x = p[0], y = p[1]
            let a = 1.5 - x + x * y
            let b = 2.25 - x + x * y.squared()
            let c = 2.625 - x + x * y.squared() * y
            return a.squared() + b.squared() + c.squared()
        })

    /// The six-hump camel function (Dixon & Szegő 1978):
    /// f(x, y) = (4 − 2.1x² + x⁴/3) x² + xy + (−4 + 4y²) y².
    /// Six minima: two global, f(±(0.0898, −0.7127)) ≈ −1.031628, and four local; a saddle
    /// at the origin between the two global ones.
    public static let sixHumpCamel = TestFunction(
        name: "Six-hump camel",
        formula: "\\left(4 - 2.1x^2 + \\tfrac{x^4}{3}\\right)x^2 + xy + (-4 + 4y^2)\\,y^2",
        criticalPoints: [
            CriticalPoint([0.08984201310031806, -0.7126564030207396], value: -1.0316284534898774, kind: .globalMinimum),
            CriticalPoint([-0.08984201310031806, 0.7126564030207396], value: -1.0316284534898774, kind: .globalMinimum),
            CriticalPoint([-1.703606714969981, 0.7960835686726251], value: -0.21546382438371764, kind: .localMinimum),
            CriticalPoint([1.703606714969981, -0.7960835686726251], value: -0.21546382438371764, kind: .localMinimum),
            CriticalPoint([-1.6071047529201972, -0.5686514548841314], value: 2.1042503103112584, kind: .localMinimum),
            CriticalPoint([1.6071047529201972, 0.5686514548841314], value: 2.1042503103112584, kind: .localMinimum),
            CriticalPoint([0, 0], value: 0, kind: .saddle),
            CriticalPoint([1.2302298765166526, 0.16233458445899496], value: 2.496295351023577, kind: .maximum),
            CriticalPoint([-1.2302298765166526, -0.16233458445899496], value: 2.496295351023577, kind: .maximum),
            CriticalPoint([-1.1092053368047865, 0.7682680925095399], value: 0.5437186009781851, kind: .saddle),
            CriticalPoint([1.1092053368047865, -0.7682680925095399], value: 0.5437186009781851, kind: .saddle),
        ],
        domain: (x: (-2)...2, y: (-1)...1),
        scalar: { x, y in
            let x2 = x * x, y2 = y * y
            return (4 - 2.1 * x2 + x2 * x2 / 3) * x2 + x * y + (-4 + 4 * y2) * y2
        },
        tensor: { p in
            let x = p[0], y = p[1]
            let x2 = x.squared(), y2 = y.squared()
            return (4 - 2.1 * x2 + x2.squared() / 3) * x2 + x * y + (-4 + 4 * y2) * y2
        })

    /// The monkey saddle f(x, y) = x³ − 3xy²: a critical point at the origin whose Hessian is
    /// zero, so no second-order test classifies it (three "down" directions, room for a
    /// monkey's tail). Compare `saddle`, whose Hessian diag(2, −2) already tells the story.
    public static let monkeySaddle = TestFunction(
        name: "Monkey saddle",
        formula: "x^3 - 3xy^2",
        criticalPoints: [CriticalPoint([0, 0], value: 0, kind: .degenerate)],
        domain: (x: (-1.5)...1.5, y: (-1.5)...1.5),
        scalar: { x, y in x * x * x - 3 * x * y * y },
        tensor: { p in
            let x = p[0], y = p[1]
            return x.squared() * x - 3 * x * y.squared()
        })

    /// The ordinary saddle f(x, y) = x² − y², Hessian diag(2, −2) at the origin.
    public static let saddle = TestFunction(
        name: "Saddle",
        formula: "x^2 - y^2",
        criticalPoints: [CriticalPoint([0, 0], value: 0, kind: .saddle)],
        domain: (x: (-1.5)...1.5, y: (-1.5)...1.5),
        scalar: { x, y in x * x - y * y },
        tensor: { p in p[0].squared() - p[1].squared() })

    /// A double well with a barrier: f(x, y) = h (x² − 1)² + (c/2) y².
    /// Two minima f(±1, 0) = 0 separated by a saddle at the origin of height exactly h (the
    /// barrier); the curvature across the wells is 8h along x and c along y.
    public static func doubleWell(barrier h: Double = 1, curvature c: Double = 1) -> TestFunction {
        precondition(h > 0 && c > 0, "doubleWell: barrier and curvature must be positive, got \(h), \(c)")
        return TestFunction(
            name: "Double well",
            formula: "\(texNumber(h))\\,(x^2 - 1)^2 + \\tfrac{\(texNumber(c))}{2}\\,y^2",
            criticalPoints: [
                CriticalPoint([-1, 0], value: 0, kind: .globalMinimum),
                CriticalPoint([1, 0], value: 0, kind: .globalMinimum),
                CriticalPoint([0, 0], value: h, kind: .saddle),
            ],
            domain: (x: (-2)...2, y: (-2)...2),
            scalar: { x, y in h * (x * x - 1) * (x * x - 1) + c / 2 * y * y },
            tensor: { p in h * (p[0].squared() - 1).squared() + (c / 2) * p[1].squared() })
    }

    /// The default double well: barrier height 1, unit curvature across.
    public static let doubleWell = doubleWell()

    /// A quadratic bowl f(p) = ½ pᵀ A p with A = R(θ) diag(λ₁, λ₂) R(θ)ᵀ, where R(θ) rotates
    /// by `angle` radians: the eigenvalues are the curvatures along the rotated axes and
    /// κ = λmax/λmin the condition number that governs gradient descent (with step 1/λmax
    /// the error shrinks by 1 − 1/κ per step). Minimum 0 at the origin when both eigenvalues
    /// are positive; a saddle there when they have opposite signs.
    public static func quadratic(eigenvalues: [Double], angle: Double = 0) -> TestFunction {
        precondition(eigenvalues.count == 2, "quadratic: needs 2 eigenvalues, got \(eigenvalues.count)")
        let (a, b, d) = quadraticMatrix(eigenvalues: eigenvalues, angle: angle)
        let l1 = eigenvalues[0], l2 = eigenvalues[1]
        let kind: CriticalPoint.Kind
        if l1 > 0 && l2 > 0 { kind = .globalMinimum }
        else if l1 < 0 && l2 < 0 { kind = .maximum }
        else if l1 * l2 < 0 { kind = .saddle }
        else { kind = .degenerate }
        return TestFunction(
            name: "Quadratic (λ = \(texNumber(l1)), \(texNumber(l2)))",
            formula: "\\tfrac12\\, p^\\top A p,\\ \\lambda(A) = \\{\(texNumber(l1)), \(texNumber(l2))\\}",
            criticalPoints: [CriticalPoint([0, 0], value: 0, kind: kind)],
            domain: (x: (-2)...2, y: (-2)...2),
            scalar: { x, y in 0.5 * (a * x * x + 2 * b * x * y + d * y * y) },
            tensor: { p in
                let x = p[0], y = p[1]
                return 0.5 * (a * x.squared() + 2 * b * x * y + d * y.squared())
            })
    }

    /// A quadratic with eigenvalues 1 and κ, rotated by `angle`.
    public static func quadratic(conditionNumber kappa: Double, angle: Double = 0) -> TestFunction {
        quadratic(eigenvalues: [1, kappa], angle: angle)
    }

    /// The entries (A₁₁, A₁₂, A₂₂) of R(θ) diag(λ₁, λ₂) R(θ)ᵀ, R(θ) = [[cos θ, −sin θ], [sin θ, cos θ]].
    public static func quadraticMatrix(eigenvalues: [Double], angle: Double) -> (Double, Double, Double) {
        let c = cos(angle), s = sin(angle)
        let l1 = eigenvalues[0], l2 = eigenvalues[1]
        return (l1 * c * c + l2 * s * s, (l1 - l2) * c * s, l1 * s * s + l2 * c * c)
    }

    /// Rastrigin's function 20 + Σ (xᵢ² − 10 cos 2πxᵢ): a bowl covered in a grid of local
    /// minima near the integer points; global minimum f(0, 0) = 0.
    public static let rastrigin = TestFunction(
        name: "Rastrigin",
        formula: "20 + \\sum_i \\left(x_i^2 - 10\\cos 2\\pi x_i\\right)",
        criticalPoints: [CriticalPoint([0, 0], value: 0, kind: .globalMinimum)],
        domain: (x: (-5.12)...5.12, y: (-5.12)...5.12),
        scalar: { x, y in 20 + x * x - 10 * cos(2 * .pi * x) + y * y - 10 * cos(2 * .pi * y) },
        tensor: { p in
            let x = p[0], y = p[1]
            return 20 + x.squared() - 10 * cos(2 * Double.pi * x) + y.squared() - 10 * cos(2 * Double.pi * y)
        })

    /// The first chapter's sharp and flat wells: 1.0001 − 0.999·max(e^{−‖p − (−1, 0)‖²/(2·0.15²)},
    /// e^{−‖p − (1.2, 0)‖²/(2·0.6²)}). Two minima of equal depth (f = 0.0011): a narrow one at
    /// (−1, 0) (curvature 0.999/0.15² ≈ 44) and a wide one at (1.2, 0) (≈ 2.8).
    public static let sharpAndFlatWells = TestFunction(
        name: "Sharp and flat wells",
        formula: "1.0001 - 0.999\\max\\left(e^{-\\|p - (-1, 0)\\|^2 / (2 \\cdot 0.15^2)}, e^{-\\|p - (1.2, 0)\\|^2 / (2 \\cdot 0.6^2)}\\right)",
        criticalPoints: [
            CriticalPoint([-1, 0], value: 1.0001 - 0.999, kind: .globalMinimum),
            CriticalPoint([1.2, 0], value: 1.0001 - 0.999, kind: .globalMinimum),
        ],
        domain: (x: (-2)...3, y: (-1.5)...1.5),
        scalar: { x, y in
            let sharp = exp(-((x + 1) * (x + 1) + y * y) / (2 * 0.15 * 0.15))
            let flat = exp(-((x - 1.2) * (x - 1.2) + y * y) / (2 * 0.6 * 0.6))
            return 1.0001 - 0.999 * Swift.max(sharp, flat)
        },
        tensor: { p in
            let x = p[0], y = p[1]
            let sharp = exp(-((x + 1).squared() + y.squared()) / (2 * 0.15 * 0.15))
            let flat = exp(-((x - 1.2).squared() + y.squared()) / (2 * 0.6 * 0.6))
            return 1.0001 - 0.999 * maximum(sharp, flat)
        })

    /// Every named landscape, for galleries and contract tests.
    public static var all: [TestFunction] {
        [rosenbrock, himmelblau, beale, sixHumpCamel, monkeySaddle, saddle, doubleWell,
         quadratic(eigenvalues: [1, 10], angle: 0.3), rastrigin, sharpAndFlatWells]
    }
}

/// A number as it reads in a formula: integers without ".0".
func texNumber(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
}
