import Autodiff

/// Small datasets generated in code from a seed: the same points on every machine.
///
///     let data = Datasets.twoMoons(count: 200, noise: 0.1, seed: 0)
///     scatter(data.points, classes: data.labels)
public enum Datasets {
    /// Two interleaving half-circles (scikit-learn's `make_moons`): the outer moon
    /// (cos t, sin t) and the inner (1 − cos t, ½ − sin t) for t evenly spaced in [0, π],
    /// ⌈n/2⌉ and ⌊n/2⌋ points, plus N(0, noise²) on each coordinate; then shuffled.
    /// Not linearly separable; a small MLP separates it.
    public static func twoMoons(count: Int = 200, noise: Double = 0.1, seed: UInt64 = 0) -> Dataset {
        precondition(count >= 2, "twoMoons: count must be at least 2")
        var rng = RNG(seed: seed)
        let nOuter = (count + 1) / 2, nInner = count - nOuter
        var rows: [[Double]] = [], labels: [Int] = []
        for i in 0..<nOuter {
            let t = Double.pi * Double(i) / Double(Swift.max(nOuter - 1, 1))
            rows.append([cos(t), sin(t)]); labels.append(0)
        }
        for i in 0..<nInner {
            let t = Double.pi * Double(i) / Double(Swift.max(nInner - 1, 1))
            rows.append([1 - cos(t), 0.5 - sin(t)]); labels.append(1)
        }
        return shuffled(addingNoise(rows, noise, &rng), labels, &rng)
    }

    /// Interleaved spirals, one arm per class (the CS231n toy problem): for class k and
    /// i < n/classes, radius r = i/(n/classes − 1) and angle θ = 4k + 4r + N(0, noise²)
    /// (radians), point r·(sin θ, cos θ); then shuffled. Hard for linear models, and for
    /// shallow networks with few units.
    public static func spirals(count: Int = 300, classes: Int = 2, noise: Double = 0.2, seed: UInt64 = 0) -> Dataset {
        precondition(classes >= 2 && count >= classes, "spirals: need at least 2 classes and one point per class")
        var rng = RNG(seed: seed)
        let perClass = count / classes
        var rows: [[Double]] = [], labels: [Int] = []
        for k in 0..<classes {
            for i in 0..<perClass {
                let r = Double(i) / Double(Swift.max(perClass - 1, 1))
                let theta = 4 * Double(k) + 4 * r + noise * rng.normal()
                rows.append([r * sin(theta), r * cos(theta)]); labels.append(k)
            }
        }
        return shuffled(rows, labels, &rng)
    }

    /// Gaussian blobs: `count` points split evenly (the first ones get the remainder) among
    /// the centers, each N(center, spread²·I); then shuffled. The default three centers are
    /// well apart, so with spread 0.5 the classes barely overlap.
    public static func blobs(count: Int = 300, centers: [[Double]] = [[-2, 0], [2, 0], [0, 3]],
                             spread: Double = 0.5, seed: UInt64 = 0) -> Dataset {
        precondition(!centers.isEmpty && centers.allSatisfy { $0.count == centers[0].count },
                     "blobs: centers must be non-empty and of one dimension")
        var rng = RNG(seed: seed)
        var rows: [[Double]] = [], labels: [Int] = []
        for i in 0..<count {
            let k = i % centers.count
            rows.append(centers[k].map { $0 + spread * rng.normal() }); labels.append(k)
        }
        return shuffled(rows, labels, &rng)
    }

    /// Two classes in d dimensions split by a random hyperplane through the origin:
    /// x ~ N(0, I), y = [w·x > 0] for a random unit w. With `margin` > 0 points closer than
    /// the margin to the plane are redrawn (strictly separable); with `labelNoise` > 0 that
    /// fraction of labels is flipped (not separable).
    public static func linear(count: Int = 200, dimension: Int = 2, margin: Double = 0, labelNoise: Double = 0,
                              seed: UInt64 = 0) -> Dataset {
        var rng = RNG(seed: seed)
        var w = (0..<dimension).map { _ in rng.normal() }
        let norm: Double = w.map { $0 * $0 }.reduce(0.0) { $0 + $1 }.squareRoot()
        w = w.map { $0 / norm }
        var rows: [[Double]] = [], labels: [Int] = []
        while rows.count < count {
            let x = (0..<dimension).map { _ in rng.normal() }
            let s: Double = zip(w, x).map { $0 * $1 }.reduce(0.0) { $0 + $1 }
            if abs(s) < margin { continue }
            var y = s > 0 ? 1 : 0
            if labelNoise > 0 && rng.uniform() < labelNoise { y = 1 - y }
            rows.append(x); labels.append(y)
        }
        return Dataset(inputs: Tensor(rows), labels: labels)
    }

    /// Teacher–student regression: inputs x ~ N(0, I_d), targets y = teacher(x) + N(0, noise²)
    /// where the teacher is a random one-hidden-layer tanh network d → width → 1 with
    /// N(0, 1/fan-in) weights. A student of the same shape can fit it exactly (up to noise).
    public static func teacherStudent(count: Int = 256, inputDimension: Int = 2, teacherWidth: Int = 4,
                                      noise: Double = 0.0, seed: UInt64 = 0) -> Dataset {
        var rng = RNG(seed: seed)
        let w1 = Tensor.randomNormal([inputDimension, teacherWidth], standardDeviation: 1 / Double(inputDimension).squareRoot(), using: &rng)
        let w2 = Tensor.randomNormal([teacherWidth, 1], standardDeviation: 1 / Double(teacherWidth).squareRoot(), using: &rng)
        let x = Tensor.randomNormal([count, inputDimension], using: &rng)
        var y = matmul(tanh(matmul(x, w1)), w2)
        if noise > 0 { y = y + Tensor.randomNormal([count, 1], standardDeviation: noise, using: &rng) }
        return Dataset(inputs: x, targets: y.detached)
    }

    static func addingNoise(_ rows: [[Double]], _ noise: Double, _ rng: inout RNG) -> [[Double]] {
        rows.map { $0.map { $0 + noise * rng.normal() } }
    }

    static func shuffled(_ rows: [[Double]], _ labels: [Int], _ rng: inout RNG) -> Dataset {
        let order = rng.permutation(rows.count)
        return Dataset(inputs: Tensor(order.map { rows[$0] }), labels: order.map { labels[$0] })
    }
}
