// engine-bench: litopt's engine timed on the same work as ../shared/peers/bench_numeric.py,
// with the peers side by side in the same run where they can be run. `make bench`.
//
// Timing follows the peer script: warm-up calls, then 20 samples; median and min reported.
// Options: --own-blas-core (keep OpenBLAS's own kernels; see below), --no-peers (skip running Python; reuse Benchmarks/results/*.json if present; PEER_PYTHON
// names the python with numpy/torch/jax, default python3),
// --vision-peer (run Benchmarks/vision_peer.py even with --no-peers), --quick (5 samples). For `perf record`: --profile-grad, --profile-hvp, --profile-hvp-once,
// --profile-scalar, --profile-gemm64, --profile-cnn, --profile-mlp784 run one workload in a loop and exit;
// --time-vision prints the vision steps' medians, --dump-vision the vision rows' results as raw doubles.
import Autodiff
import Foundation
import Landscape
import Models
import Notebook
import Optimizers

// OpenBLAS's kernels (Notebook's `BLASCore`): when OPENBLAS_CORETYPE is unset and OpenBLAS fell
// back to Prescott on a CPU with AVX2 (a virtual machine's generic CPU model), start again on
// the kernels the CPU runs, as litopt does for chapter programs. `--own-blas-core` keeps
// OpenBLAS's choice (to measure the difference).
if !CommandLine.arguments.contains("--own-blas-core"), let core = BLASCore.suggestion,
   let own = BLASCore.openBLASCoreName() {
    setenv(BLASCore.variable, core, 1)
    setenv("LITOPT_BLAS_CORE_REPLACED", own, 1)
    execv("/proc/self/exe", CommandLine.unsafeArgv)
    fatalError("cannot restart engine-bench with \(BLASCore.variable)=\(core): errno \(errno)")
}

let arguments = Set(CommandLine.arguments.dropFirst())
let sampleCount = arguments.contains("--quick") ? 5 : 20

func pad(_ s: String, _ n: Int, left: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, n - s.count))
    return left ? fill + s : s + fill
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

struct Row {
    let name: String
    let median: Double
    let min: Double
    let note: String
}

var rows: [Row] = []

@discardableResult @MainActor
func bench(_ name: String, inner: Int = 1, warm: Int = 3, note: String = "", _ body: () -> Void) -> Row {
    for _ in 0..<warm { body() }
    var samples: [Double] = []
    for _ in 0..<sampleCount {
        let t = now()
        for _ in 0..<inner { body() }
        samples.append((now() - t) / Double(inner))
    }
    samples.sort()
    let row = Row(name: name, median: samples[samples.count / 2], min: samples[0], note: note)
    rows.append(row)
    print("litopt " + pad(name, 46) + String(format: " median %10.4f ms  min %10.4f ms  ", row.median * 1e3, row.min * 1e3) + note)
    return row
}

/// Two bodies timed in alternation (sample of one, sample of the other, …).
@MainActor
func benchPair(_ name1: String, _ name2: String, inner: Int, _ body1: () -> Void, _ body2: () -> Void) -> (Row, Row) {
    for _ in 0..<3 { body1(); body2() }
    var s1: [Double] = [], s2: [Double] = []
    for _ in 0..<sampleCount {
        var t = now()
        for _ in 0..<inner { body1() }
        s1.append((now() - t) / Double(inner))
        t = now()
        for _ in 0..<inner { body2() }
        s2.append((now() - t) / Double(inner))
    }
    s1.sort(); s2.sort()
    let r1 = Row(name: name1, median: s1[s1.count / 2], min: s1[0], note: "")
    let r2 = Row(name: name2, median: s2[s2.count / 2], min: s2[0], note: "")
    for r in [r1, r2] {
        rows.append(r)
        print("litopt " + pad(r.name, 46) + String(format: " median %10.4f ms  min %10.4f ms", r.median * 1e3, r.min * 1e3))
    }
    return (r1, r2)
}

// MARK: - Data: two interleaved spirals, 1024 points, as in the peer script (our RNG).
var rng = RNG(seed: 0)
let N = 1024
func spirals(_ rng: inout RNG) -> (points: [Double], labels: [Int]) {
  var points = [Double](repeating: 0, count: N * 2)
  var labels = [Int](repeating: 0, count: N)
  for i in 0..<(N / 2) {
    let t = rng.uniform(in: 0.25...3.0) * Double.pi
    points[2 * i] = t * cos(t) / 10 + 0.02 * rng.normal()
    points[2 * i + 1] = t * sin(t) / 10 + 0.02 * rng.normal()
    let j = i + N / 2
    points[2 * j] = -t * cos(t) / 10 + 0.02 * rng.normal()
    points[2 * j + 1] = -t * sin(t) / 10 + 0.02 * rng.normal()
    labels[j] = 1
  }
  return (points, labels)
}
let (points, labels) = spirals(&rng)
let X = Tensor(shape: [N, 2], scalars: points)
let sizes = [(2, 64), (64, 64), (64, 2)]
var params: [Tensor] = []
for (i, o) in sizes {
    params.append(Tensor.randomNormal([i, o], standardDeviation: 1 / Double(i).squareRoot(), using: &rng))
    params.append(Tensor.zeros([o]))
}
let layout = ParameterLayout(params)
/// The 1-, 5- and 15-minute load averages (the machine is shared: timings move with them).
func loadAverage() -> String {
    ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
}
print("params=\(layout.count)  points=\(N)  samples=\(sampleCount)  OPENBLAS_CORETYPE=\(ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"].map { core in ProcessInfo.processInfo.environment["LITOPT_BLAS_CORE_REPLACED"].map { "\(core) (set by engine-bench: OpenBLAS chose \($0) on this CPU)" } ?? core } ?? "unset")  kernels=\(BLASCore.openBLASCoreName() ?? "?")  cores=\(ProcessInfo.processInfo.activeProcessorCount)  load average at start: \(loadAverage())")

/// Mean cross-entropy of the 2→64→64→2 tanh MLP.
func loss(_ p: [Tensor]) -> Tensor {
    var h = tanh(matmul(X, p[0]) + p[1])
    h = tanh(matmul(h, p[2]) + p[3])
    return softmaxCrossEntropy(logits: matmul(h, p[4]) + p[5], labels: labels)
}

if arguments.contains("--profile-hvp") {  // for `perf record`: Hessian products only
    let op = HessianOperator(at: params, in: loss)
    var w = params
    for _ in 0..<300 { w = op(w) }
    exit(0)
}
if arguments.contains("--profile-hvp-once") {
    let v = params.map { $0 * 0.01 }
    for _ in 0..<300 { _ = hessianVectorProduct(at: params, along: v, in: loss) }
    exit(0)
}
if arguments.contains("--profile-scalar") {
    for _ in 0..<100000 {
        _ = valueWithGradient(at: Tensor([-1.5, 2.0])) { x in
            (1 - x[0]) * (1 - x[0]) + 100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0])
        }
    }
    exit(0)
}
if arguments.contains("--profile-gemm64") {
    var g = RNG(seed: 64)
    let a = Tensor.randomNormal([64, 64], using: &g), b = Tensor.randomNormal([64, 64], using: &g)
    for _ in 0..<10 {
        let t = now()
        var addr = 0
        for _ in 0..<200 { let r = matmul(a, b); addr = r.scalars.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress!) } }
        print(String(format: "%.4f ms", (now() - t) / 200 * 1e3), addr % 4096, addr % 64)
    }
    exit(0)
}
if arguments.contains("--profile-grad") {
    for _ in 0..<1000 { _ = valueWithGradient(at: params, in: loss) }
    exit(0)
}

// MARK: - The engine's own models, optimizers and landscape tools (issues 4 and 5)
// The same work as the rows above, but through the library a cell uses: `MLP` (weights
// [out, in], as PyTorch's Linear), `Optimizers.Adam`/`SGD`/`SAM`/…, `LossPlane`, `Hessian`.
let net = MLP(sizes: [2, 64, 64, 2], activation: .tanh)
let spiralData = Dataset(inputs: X, labels: labels)
let netParams = net.initialParameters(seed: 0)
let netObjective = Objective(net, on: spiralData)

/// One optimizer step per call, from a fresh state on the first call, continuing after.
@MainActor func stepper<O: Optimizer>(_ opt: O) -> () -> Void {
    var p = netParams
    var s = opt.makeState(for: p)
    return { _ = opt.step(&p, state: &s, objective: netObjective) }
}

// Tiny character transformer, the peer script's shape: 1 block, d_model 64, 4 heads,
// context 64, vocabulary 65, 16 windows per step, Adam(3e-4).
let lm = CharTransformer(vocabularySize: 65, contextLength: 64, width: 64, heads: 4, layers: 1)
var tokenRNG = RNG(seed: 0)
let windows = (0..<16).map { _ in (0..<65).map { _ in Int(tokenRNG.uniform(in: 0...1) * 65) % 65 } }
let lmObjective = Objective(lm.loss(on: windows))

// Profiling loops over the library-level workloads (for `perf record`).
if arguments.contains("--profile-adam") { let f = stepper(Adam(lr: 1e-3)); for _ in 0..<2000 { f() }; exit(0) }
if arguments.contains("--profile-sam") { let f = stepper(SAM(SGD(lr: 0.1), rho: 0.05)); for _ in 0..<500 { f() }; exit(0) }
if arguments.contains("--profile-lm") {
    var p = lm.initialParameters(seed: 0)
    let adam = Adam(lr: 3e-4)
    var s = adam.makeState(for: p)
    for _ in 0..<60 { _ = adam.step(&p, state: &s, objective: lmObjective) }
    exit(0)
}
if arguments.contains("--profile-plane") { for _ in 0..<3 { _ = LossPlane(of: net, on: spiralData, at: netParams) }; exit(0) }
if arguments.contains("--profile-lanczos") {
    for _ in 0..<30 { _ = Hessian(of: net, on: spiralData, at: netParams).topEigenvalues(3, maxSteps: 20, tolerance: 0) }
    exit(0)
}

// The vision rows' workloads (issue 19): a Fashion-MNIST-shaped MLP and a small CNN, on random
// inputs of the data set's shape (the timing does not depend on the pixels). Built once here
// for the profiling flags and for the vision rows below.
@MainActor final class VisionWorkloads {
    let mlp = MLP(sizes: [784, 256, 10], activation: .relu)
    let cnn = ConvNet(inputChannels: 1, widths: [8, 16], blocksPerStage: 1, classes: 10)
    let mlpImages: Tensor, mlpDirection: [Tensor], cnnImages: Tensor, cnnDirection: [Tensor]
    let mlpLabels = (0..<128).map { $0 % 10 }, cnnLabels = (0..<32).map { $0 % 10 }
    var mlpWeights: [Tensor], cnnWeights: [Tensor], cnnStats: [BatchNormStatistics]

    init() {
        var rng = RNG(seed: 7)
        mlpImages = Tensor.randomNormal([128, 784], using: &rng)
        mlpWeights = mlp.initialParameters(seed: 0)
        mlpDirection = mlpWeights.map { Tensor.randomNormal($0.shape, using: &rng) }
        cnnImages = Tensor.randomNormal([32, 1, 28, 28], using: &rng)
        cnnWeights = cnn.initialParameters(seed: 0)
        cnnStats = cnn.initialStatistics()
        cnnDirection = cnnWeights.map { Tensor.randomNormal($0.shape, using: &rng) }
    }

    func mlpLoss(_ p: [Tensor]) -> Tensor { softmaxCrossEntropy(logits: mlp(mlpImages, p), labels: mlpLabels) }
    /// One SGD step, forward and backward; the update is in place, as `torch.optim.SGD.step`'s
    /// (same values as `w - 0.01 * g`, without two weight-sized temporaries).
    func mlpStep() {
        let g = gradient(at: mlpWeights, in: mlpLoss)
        sgdUpdate(&mlpWeights, g)
    }
    /// w ← w − 0.01·g for each tensor, in its own buffer (the weights are unique once the
    /// gradient's graph is gone, so nothing is copied).
    func sgdUpdate(_ weights: inout [Tensor], _ g: [Tensor]) {
        for i in weights.indices {
            weights[i].withUnsafeMutableScalars { w in
                g[i].scalars.withUnsafeBufferPointer { g in
                    for j in 0..<w.count { w[j] -= 0.01 * g[j] }
                }
            }
        }
    }
    func mlpHVP() { _ = hessianVectorProduct(at: mlpWeights, along: mlpDirection, in: mlpLoss) }
    /// One SGD step in training mode (batch statistics, running estimates updated).
    func cnnStep() {
        var moved = cnnStats
        let g = gradient(at: cnnWeights) { p in
            let r = cnn.forward(cnnImages, parameters: p, statistics: cnnStats, mode: .training)
            moved = r.statistics
            return softmaxCrossEntropy(logits: r.output, labels: cnnLabels)
        }
        cnnStats = moved
        sgdUpdate(&cnnWeights, g)
    }
    /// An HVP of the loss in evaluation mode at the current running statistics.
    func cnnHVP() -> () -> Void {
        let loss = cnn.loss(images: cnnImages, labels: cnnLabels, statistics: cnnStats, mode: .evaluation)
        return { [self] in _ = hessianVectorProduct(at: cnnWeights, along: cnnDirection, in: loss) }
    }
}

// --profile-cnn / --profile-mlp784 loop one train step (for `perf record`); --time-vision
// prints each step's median; --dump-vision writes the rows' results as raw doubles.
if arguments.contains("--profile-cnn") || arguments.contains("--profile-mlp784") || arguments.contains("--time-vision")
    || arguments.contains("--dump-vision") {
    let vision = VisionWorkloads()
    if arguments.contains("--profile-cnn") { for _ in 0..<200 { vision.cnnStep() }; exit(0) }
    if arguments.contains("--profile-mlp784") { for _ in 0..<3000 { vision.mlpStep() }; exit(0) }
    if arguments.contains("--dump-vision") {
        // The numbers the vision rows compute (5 MLP steps, its HVP, 2 CNN steps, its HVP) as
        // raw doubles on stdout, so that two builds can be compared element by element.
        var out: [Double] = []
        for _ in 0..<5 { vision.mlpStep() }
        out += vision.mlpWeights.flatMap(\.scalars)
        out += hessianVectorProduct(at: vision.mlpWeights, along: vision.mlpDirection, in: vision.mlpLoss).flatMap(\.scalars)
        for _ in 0..<2 { vision.cnnStep() }
        out += vision.cnnWeights.flatMap(\.scalars)
        let loss = vision.cnn.loss(images: vision.cnnImages, labels: vision.cnnLabels, statistics: vision.cnnStats, mode: .evaluation)
        out += hessianVectorProduct(at: vision.cnnWeights, along: vision.cnnDirection, in: loss).flatMap(\.scalars)
        fflush(nil)
        out.withUnsafeBytes { FileHandle.standardOutput.write(Data($0)) }
        exit(0)
    }
    func median(_ body: () -> Void, _ count: Int) -> Double {
        for _ in 0..<3 { body() }
        let samples = (0..<count).map { _ in let t = now(); body(); return now() - t }.sorted()
        return samples[count / 2] * 1e3
    }
    print(String(format: "cnn step %.3f ms   mlp784 step %.3f ms   load %@",
                 median(vision.cnnStep, 21), median(vision.mlpStep, 51), loadAverage()))
    exit(0)
}

// MARK: - dgemm
func gflops(_ r: Row, _ n: Int) -> Double { 2 * pow(Double(n), 3) / r.median / 1e9 }
var gemmRows: [(Int, Row, Row)] = []
for n in [512, 64] {
    var g = RNG(seed: UInt64(n))
    let a = Tensor.randomNormal([n, n], using: &g), b = Tensor.randomNormal([n, n], using: &g)
    var c = [Double](repeating: 0, count: n * n)
    let inner = n == 64 ? 200 : 1
    // Raw call and matmul alternate sample by sample, so both see the same machine load.
    let rawCall = {
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { RawBLAS.dgemm(m: n, n: n, k: n, a: pa.baseAddress!, b: pb.baseAddress!, c: $0.baseAddress!) }
            }
        }
    }
    let (raw, mm) = benchPair("raw cblas_dgemm \(n)x\(n)x\(n)", "dgemm \(n)x\(n)x\(n) (matmul)", inner: inner,
                              rawCall, { _ = matmul(a, b) })
    gemmRows.append((n, raw, mm))
}

// MARK: - Small scalar functions (what an optimizer trajectory on a 2-D test function does)
bench("Rosenbrock value+gradient (scalar ops)", inner: 1000) {
    _ = valueWithGradient(at: Tensor([-1.5, 2.0])) { x in
        (1 - x[0]) * (1 - x[0]) + 100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0])
    }
}
bench("Rosenbrock 2x2 Hessian (2 HVPs)", inner: 1000) {
    _ = hessian(at: Tensor([-1.5, 2.0])) { x in
        (1 - x[0]) * (1 - x[0]) + 100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0])
    }
}

// MARK: - MLP
bench("MLP value+gradient") { _ = valueWithGradient(at: params, in: loss) }
var adamM = params.map { Tensor.zeros($0.shape) }, adamV = adamM, adamT = 0.0
var trained = params
bench("MLP train step (fwd+bwd+Adam)") {
    let (_, g) = valueWithGradient(at: trained, in: loss)
    adamT += 1
    let (b1, b2, lr, eps) = (0.9, 0.999, 1e-3, 1e-8)
    let c1 = 1 - pow(b1, adamT), c2 = 1 - pow(b2, adamT)
    for i in trained.indices {
        adamM[i].withUnsafeMutableScalars { m in
            adamV[i].withUnsafeMutableScalars { v in
                trained[i].withUnsafeMutableScalars { w in
                    g[i].scalars.withUnsafeBufferPointer { g in
                        for j in 0..<w.count {
                            m[j] = b1 * m[j] + (1 - b1) * g[j]
                            v[j] = b2 * v[j] + (1 - b2) * g[j] * g[j]
                            w[j] -= lr * (m[j] / c1) / ((v[j] / c2).squareRoot() + eps)
                        }
                    }
                }
            }
        }
    }
}
var vrng = RNG(seed: 1)
let direction = layout.unflatten(Tensor.randomNormal([layout.count], using: &vrng)).map { $0 }
let vnorm = layout.flatten(direction).norm().scalar
let v = direction.map { $0 / vnorm }
bench("HVP (record + 1 product)") { _ = hessianVectorProduct(at: params, along: v, in: loss) }

func lanczos(_ hvp: ([Tensor]) -> [Tensor]) -> [Double] {
    var q = layout.flatten(v), qPrev = Tensor.zeros([layout.count]), beta = 0.0
    var alphas: [Double] = []
    for _ in 0..<20 {
        var w = layout.flatten(hvp(layout.unflatten(q)))
        let a = dot(w, q).scalar
        w = w - a * q - beta * qPrev
        beta = w.norm().scalar
        qPrev = q
        q = w / beta
        alphas.append(a)
    }
    return alphas
}
bench("20 HVP Lanczos (20 independent HVPs)", warm: 1) {
    _ = lanczos { hessianVectorProduct(at: params, along: $0, in: loss) }
}
bench("20 HVP Lanczos (HessianOperator: 1 record)", warm: 1) {
    let H = HessianOperator(at: params, in: loss)
    _ = lanczos { H($0) }
}

let theta0 = layout.flatten(params)
var drng = RNG(seed: 2)
var d1 = Tensor.randomNormal([layout.count], using: &drng), d2 = Tensor.randomNormal([layout.count], using: &drng)
d1 = d1 * (theta0.norm().scalar / d1.norm().scalar)
d2 = d2 * (theta0.norm().scalar / d2.norm().scalar)
let grid = Tensor.linspace(from: -1, to: 1, count: 41).scalars
bench("loss grid 41x41 (1681 forward passes)", warm: 1) {
    for a in grid { for b in grid { _ = loss(layout.unflatten(theta0 + a * d1 + b * d2)).scalar } }
}

// MARK: - Optimizers, transformer and landscape through the library (issues 4 and 5)
bench("MLP Adam step (Optimizers.Adam, MLP)", stepper(Adam(lr: 1e-3)))
let (sgdRow, samRow) = benchPair("MLP SGD step (Optimizers.SGD)", "MLP SAM(SGD) step (rho 0.05)", inner: 1,
                                 stepper(SGD(lr: 0.1)), stepper(SAM(SGD(lr: 0.1), rho: 0.05)))
bench("MLP Shampoo step", warm: 2, stepper(Shampoo(lr: 1e-2)))
bench("MLP K-FAC step (stats every 10, inverses every 100)", warm: 2, stepper(KFAC(lr: 1e-2)))

do {
    var p = lm.initialParameters(seed: 0)
    let adam = Adam(lr: 3e-4)
    var s = adam.makeState(for: p)
    bench("char-transformer train step (16×64, Adam)", warm: 2,
          note: "params \(lm.parameterCount)") { _ = adam.step(&p, state: &s, objective: lmObjective) }
}

// Landscape: Li et al.'s filter-normalized 41×41 plane, and 20 Lanczos steps.
bench("LossPlane 41x41 (filter-normalized, MLP)", warm: 1) {
    _ = LossPlane(of: net, on: spiralData, at: netParams)
}
bench("Lanczos 20 steps (Hessian.topEigenvalues)", warm: 1, note: "incl. recording the Hessian") {
    _ = Hessian(of: net, on: spiralData, at: netParams).topEigenvalues(3, maxSteps: 20, tolerance: 0)
}
bench("SLQ spectral density (1 run × 20 steps)", warm: 1, note: "incl. recording the Hessian") {
    _ = Hessian(of: net, on: spiralData, at: netParams).spectralDensity(steps: 20, runs: 1, gridPoints: 1000)
}

// MARK: - Peers
/// Finds ../shared/peers/bench_numeric.py from the working directory or its parents.
func peerScript() -> String? {
    var dir = FileManager.default.currentDirectoryPath
    for _ in 0..<4 {
        let candidate = dir + "/../shared/peers/bench_numeric.py"
        if FileManager.default.fileExists(atPath: candidate) { return (candidate as NSString).standardizingPath }
        dir = (dir as NSString).deletingLastPathComponent
    }
    return nil
}

let resultsDir = FileManager.default.currentDirectoryPath + "/Benchmarks/results"
try? FileManager.default.createDirectory(atPath: resultsDir, withIntermediateDirectories: true)

struct PeerRow { let name: String; let median: Double }
func loadPeer(_ fw: String) -> [PeerRow]? {
    guard let data = FileManager.default.contents(atPath: resultsDir + "/results_numeric_\(fw).json"),
          let json = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return nil }
    return json.compactMap { r in
        guard let n = r["name"] as? String, let m = r["median_s"] as? Double else { return nil }
        return PeerRow(name: n, median: m)
    }
}

func runPeer(_ fw: String) -> Bool {
    guard let script = peerScript() else { return false }
    let p = Process()
    // PEER_PYTHON: a virtual environment's python with numpy/torch/jax (default: python3 on PATH).
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [ProcessInfo.processInfo.environment["PEER_PYTHON"] ?? "python3", script, fw]
    p.currentDirectoryURL = URL(fileURLWithPath: resultsDir)
    p.standardError = FileHandle.nullDevice
    fflush(nil)  // our rows first, then the peer's
    do { try p.run() } catch { return false }
    p.waitUntilExit()
    return p.terminationStatus == 0
}

var measured: [String: [PeerRow]] = [:]
var measuredNow: Set<String> = []
if !arguments.contains("--no-peers") {
    for fw in ["numpy", "torch", "jax"] {
        print("running peer: python3 bench_numeric.py \(fw) …")
        if runPeer(fw), let r = loadPeer(fw) { measured[fw] = r; measuredNow.insert(fw) } else { print("  (\(fw) not available here)") }
    }
} else {
    for fw in ["numpy", "torch", "jax"] { if let r = loadPeer(fw) { measured[fw] = r } }
}

/// Figures from ../shared/peers/README.md (medians on these 2-core machines), shown only when
/// a peer could not be measured in this run.
let reported: [String: [String: Double]] = [
    "torch": ["dgemm 512": 2 * pow(512, 3) / 88e9, "dgemm 64": 2 * pow(64, 3) / 50e9, "train": 1.45e-3,
              "hvp": 3.27e-3, "hvp20": 53e-3, "grid": 832e-3, "adam": 1.45e-3, "lm": 10.3e-3, "lanczos": 53e-3,
              "plane": 832e-3],
    "jax": ["dgemm 512": 2 * pow(512, 3) / 214e9, "dgemm 64": 2 * pow(64, 3) / 24e9, "train": 0.61e-3,
            "hvp": 1.54e-3, "hvp20": 14e-3, "grid": 449e-3, "adam": 0.61e-3, "lanczos": 14e-3, "plane": 449e-3],
    "numpy": ["dgemm 512": 2 * pow(512, 3) / 113e9, "dgemm 64": 2 * pow(64, 3) / 46e9, "grid": 597e-3, "plane": 597e-3],
]

/// The peer's row for one of our keys and where it comes from: "*" measured in this run,
/// "f" from Benchmarks/results of an earlier run, "r" reported in the peers' README.
let planeNames = ["loss grid 41x41 (python loop)", "loss grid 41x41 (python loop, no_grad)",
                  "loss grid 41x41 (torch.func.vmap, 1 call)", "loss grid 41x41 (vmap, chunk_size=41)",
                  "loss grid 41x41 (py loop, jit loss)", "loss grid 41x41 (jit vmap, 1 call)",
                  "loss grid 41x41 (jit lax.map batch 41)"]
let lanczosNames = ["20 HVP Lanczos (double-backward)", "20 HVP Lanczos (torch.func)",
                    "20 HVP Lanczos (py loop, jit HVP)", "20 HVP Lanczos (jit lax.scan)"]

@MainActor func peer(_ fw: String, _ key: String) -> (Double, String)? {
    let names: [String: [String]] = [
        "dgemm 512": ["dgemm 512x512x512", "dgemm 512x512x512 (jit)"],
        "dgemm 64": ["dgemm 64x64x64", "dgemm 64x64x64 (jit)"],
        "train": ["MLP train step (fwd+bwd+Adam)", "MLP train step (jit: fwd+bwd+Adam)"],
        "hvp": ["HVP double-backward", "HVP torch.func jvp(grad)", "HVP jit(jvp(grad))"],
        "hvp20": lanczosNames,
        "grid": planeNames,
        "adam": ["MLP train step (fwd+bwd+Adam)", "MLP train step (jit: fwd+bwd+Adam)"],
        "lanczos": lanczosNames,
        "plane": planeNames,
        "lm": ["char-transformer train step"],
    ]
    if let rs = measured[fw] {
        // The peer's fastest way of doing the work (a loop, vmap, lax.map, scan, …).
        let candidates = rs.filter { (names[key] ?? []).contains($0.name) }
        guard let best = candidates.min(by: { $0.median < $1.median }) else { return nil }
        return (best.median, measuredNow.contains(fw) ? "*" : "f")
    }
    if let r = reported[fw]?[key] { return (r, "r") }
    return nil
}

@MainActor func row(_ name: String) -> Row { rows.first { $0.name == name }! }
let ours: [(String, String, Row)] = [
    ("dgemm 512", "dgemm 512³", gemmRows[0].2),
    ("dgemm 64", "dgemm 64³", gemmRows[1].2),
    ("train", "MLP train step (fwd+bwd+Adam)", row("MLP train step (fwd+bwd+Adam)")),
    ("hvp", "one HVP", row("HVP (record + 1 product)")),
    ("hvp20", "20 HVPs (Lanczos, 1 record)", row("20 HVP Lanczos (HessianOperator: 1 record)")),
    ("grid", "41×41 loss grid", row("loss grid 41x41 (1681 forward passes)")),
    ("adam", "Adam step, MLP (Optimizers)", row("MLP Adam step (Optimizers.Adam, MLP)")),
    ("lm", "char-transformer step", row("char-transformer train step (16×64, Adam)")),
    ("plane", "LossPlane 41×41 (Landscape)", row("LossPlane 41x41 (filter-normalized, MLP)")),
    ("lanczos", "Lanczos 20 steps (Landscape)", row("Lanczos 20 steps (Hessian.topEigenvalues)")),
]

print("\nSide by side (median ms; ratio = peer time / litopt time, > 1 means litopt is faster;")
print("  each peer's fastest variant of the work: loop, vmap, lax.map, scan, …)")
print("  * = measured in this run;  f = read from Benchmarks/results (an earlier run, --no-peers);")
print("  r = reported in shared/peers/README.md, not measured on this machine in this run")
print(pad("work", 32) + pad("litopt", 12, left: true) + pad("numpy", 22, left: true) + pad("PyTorch", 22, left: true)
      + pad("JAX", 22, left: true))
for (key, label, r) in ours {
    var line = pad(label, 32) + pad(String(format: "%.4f", r.median * 1e3), 12, left: true)
    for fw in ["numpy", "torch", "jax"] {
        if let (t, m) = peer(fw, key) {
            line += pad(String(format: "%.4f", t * 1e3) + m + String(format: " (%5.2fx)", t / r.median), 22, left: true)
        } else {
            line += pad("—", 22, left: true)
        }
    }
    print(line)
}
print("")
for (n, raw, mm) in gemmRows {
    print(String(format: "dgemm %d³: matmul %.1f GFLOP/s, raw cblas_dgemm %.1f GFLOP/s → %.1f%% of raw (medians; best: %.1f%%)", n,
                 gflops(mm, n), gflops(raw, n), 100 * raw.median / mm.median, 100 * raw.min / mm.min))
}
print(String(format: "SAM(SGD) step / SGD step: %.2f× (medians %.3f / %.3f ms; two gradient evaluations vs one)",
             samRow.median / sgdRow.median, samRow.median * 1e3, sgdRow.median * 1e3))

// Targets from the issues, checked on this run's medians.
print("load average at the end: \(loadAverage())")
print("\nTargets (issues 3–5), this run:")
func target(_ label: String, _ ok: Bool, _ detail: String) {
    print("  [" + (ok ? "met" : "NOT met") + "] " + pad(label, 44) + detail)
}
let adamMs = row("MLP Adam step (Optimizers.Adam, MLP)").median * 1e3
target("Adam MLP step ≤ 0.5 ms", adamMs <= 0.5, String(format: "%.3f ms", adamMs))
let lmMs = row("char-transformer train step (16×64, Adam)").median * 1e3
target("char-transformer step ≤ 5 ms", lmMs <= 5, String(format: "%.2f ms", lmMs))
let planeMs = row("LossPlane 41x41 (filter-normalized, MLP)").median * 1e3
target("41×41 plane ≤ 250 ms", planeMs <= 250, String(format: "%.1f ms", planeMs))
let lanczosMs = row("Lanczos 20 steps (Hessian.topEigenvalues)").median * 1e3
target("20 Lanczos steps ≤ 15 ms", lanczosMs <= 15, String(format: "%.2f ms", lanczosMs))
for (n, raw, mm) in gemmRows {
    target("dgemm \(n)³ ≥ 90 % of raw OpenBLAS", raw.median / mm.median >= 0.9, String(format: "%.1f %%", 100 * raw.median / mm.median))
}

// MARK: - Vision (issue 19): a Fashion-MNIST-shaped MLP and a small CNN, beside PyTorch
// (Benchmarks/vision_peer.py, the same shapes, float64, 2 threads); workloads in `VisionWorkloads`.
print("\nVision rows (issue 19)")
let vision = VisionWorkloads()
let mlpStep = bench("fmnist mlp train step (784-256-10, batch 128, SGD)") { vision.mlpStep() }
let mlpHVP = bench("fmnist mlp hvp (batch 128)") { vision.mlpHVP() }
let cnnStep = bench("fmnist cnn train step ([8,16] resnet, batch 32, SGD)", note: "params \(vision.cnn.parameterCount)") { vision.cnnStep() }
let cnnHVPBody = vision.cnnHVP()
let cnnHVP = bench("fmnist cnn hvp (batch 32, batch norm eval)") { cnnHVPBody() }

/// Runs Benchmarks/vision_peer.py (found from the working directory) with PEER_PYTHON and
/// returns its rows by name (median seconds), or nil when it could not run.
func visionPeer() -> [String: Double]? {
    guard !arguments.contains("--no-peers") || arguments.contains("--vision-peer") else { return nil }
    var dir = FileManager.default.currentDirectoryPath, script: String?
    for _ in 0..<4 {
        if FileManager.default.fileExists(atPath: dir + "/Benchmarks/vision_peer.py") { script = dir + "/Benchmarks/vision_peer.py"; break }
        dir = (dir as NSString).deletingLastPathComponent
    }
    guard let script else { return nil }
    let p = Process(), out = Pipe()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [ProcessInfo.processInfo.environment["PEER_PYTHON"] ?? "python3", script]
    p.standardOutput = out
    do { try p.run() } catch { return nil }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0,
          let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return nil }
    var byName: [String: Double] = [:]
    for r in list { if let n = r["name"] as? String, let t = r["median_s"] as? Double { byName[n] = t } }
    return byName
}
print("running peer: vision_peer.py (PyTorch) …")
let torchVision = visionPeer()
print("\nVision side by side (median ms; ratio = PyTorch time / litopt time, > 1 means litopt is faster)")
print(pad("work", 34) + pad("litopt", 12, left: true) + pad("PyTorch", 22, left: true))
for (key, label, r) in [("fmnist mlp train step", "MLP 784-256-10 step (b 128)", mlpStep),
                        ("fmnist mlp hvp", "MLP HVP (b 128)", mlpHVP),
                        ("fmnist cnn train step", "CNN [8,16] step (b 32)", cnnStep),
                        ("fmnist cnn hvp", "CNN HVP (b 32)", cnnHVP)] {
    var line = pad(label, 34) + pad(String(format: "%.3f", r.median * 1e3), 12, left: true)
    if let t = torchVision?[key] {
        line += pad(String(format: "%.3f (%5.2fx)", t * 1e3, t / r.median), 22, left: true)
    } else {
        line += pad("—", 22, left: true)
    }
    print(line)
}
print("load average after the vision rows: \(loadAverage())")
