#if canImport(Glibc)
@_exported import Glibc
#elseif canImport(Musl)
@_exported import Musl
#elseif canImport(Darwin)
@_exported import Darwin
#endif

/// A dense, row-major, contiguous array of `Double` with a shape: the one value type the whole
/// engine computes with.
///
/// A tensor of shape `[]` holds one number (a 0-d tensor, what a loss is); `[n]` is a vector;
/// `[m, n]` a matrix with rows of length `n` stored one after another. Element `(i, j)` of an
/// `[m, n]` tensor lives at `scalars[i * n + j]`.
///
/// Every operation on tensors is differentiable: inside `gradient(at:in:)` and its relatives
/// the tensors carry a link to the graph that produced them, and the derivative rules run
/// backwards over that graph (see `Graph/`). Outside differentiation nothing is recorded.
public struct Tensor: Sendable {
    /// The extent of each axis; `[]` for a single number.
    public internal(set) var shape: [Int]
    /// The elements in row-major order; `scalars.count` is the product of `shape`.
    public internal(set) var scalars: [Double]
    /// The graph node that produced this value while differentiating (nil for constants).
    @usableFromInline internal var node: Node?


    internal init(shape: [Int], storage: [Double], node: Node?) {
        self.shape = shape
        self.scalars = storage
        self.node = node
    }

    /// A tensor with the given shape and row-major elements.
    ///
    ///     let A = Tensor(shape: [2, 2], scalars: [2, 1, 1, 3])
    public init(shape: [Int], scalars: [Double]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor(shape:scalars:): negative extent in shape \(shape)")
        precondition(
            shape.reduce(1, *) == scalars.count,
            "Tensor(shape:scalars:): shape \(shape) holds \(shape.reduce(1, *)) elements but \(scalars.count) scalars were given")
        self.init(shape: shape, storage: scalars, node: nil)
    }

    /// A vector (shape `[n]`) of the given numbers: `Tensor([1.0, 2.0])`.
    public init(_ scalars: [Double]) {
        self.init(shape: [scalars.count], storage: scalars, node: nil)
    }

    /// A 0-d tensor holding one number.
    public init(_ value: Double) {
        self.init(shape: [], storage: [value], node: nil)
    }

    /// A matrix from its rows: `Tensor([[1, 2], [3, 4]])` has shape `[2, 2]`.
    public init(_ rows: [[Double]]) {
        let n = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == n }, "Tensor(_ rows:): rows have different lengths \(rows.map(\.count))")
        self.init(shape: [rows.count, n], storage: rows.flatMap { $0 }, node: nil)
    }

    /// A tensor of the given shape with every element equal to `value`.
    public init(repeating value: Double, shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor(repeating:shape:): negative extent in shape \(shape)")
        self.init(shape: shape, storage: [Double](repeating: value, count: shape.reduce(1, *)), node: nil)
    }

    /// Number of axes: 0 for a scalar, 1 for a vector, 2 for a matrix.
    public var rank: Int { shape.count }
    /// Number of elements, the product of the shape.
    public var count: Int { scalars.count }

    /// The single number of a one-element tensor (e.g. a loss, or `x[0]` of a vector).
    public var scalar: Double {
        precondition(scalars.count == 1, "Tensor.scalar: tensor of shape \(shape) holds \(scalars.count) numbers, not one")
        return scalars[0]
    }

    /// The same values, cut from the graph: derivatives do not flow through the result.
    /// (PyTorch's `detach()`, JAX's `stop_gradient`.)
    public var detached: Tensor { Tensor(shape: shape, storage: scalars, node: nil) }

    /// Whether this value is being tracked for differentiation.
    public var isTracked: Bool { node != nil }

    /// Row-major strides (in elements) of `shape`.
    var strides: [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) { s[i] = acc; acc *= shape[i] }
        return s
    }

    /// Calls `body` with the elements for in-place updates (an optimizer step, say). The result
    /// is a plain value: any link to a differentiation graph is dropped.
    public mutating func withUnsafeMutableScalars<R>(_ body: (inout UnsafeMutableBufferPointer<Double>) throws -> R) rethrows -> R {
        node = nil
        return try scalars.withUnsafeMutableBufferPointer { try body(&$0) }
    }

    /// Normalizes a possibly negative axis (−1 is the last) and checks it against the rank.
    func axisIndex(_ axis: Int, _ function: StaticString = #function) -> Int {
        let a = axis < 0 ? axis + rank : axis
        precondition(a >= 0 && a < rank, "\(function): axis \(axis) is out of range for a tensor of shape \(shape)")
        return a
    }
}

extension Tensor: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral {
    /// `let t: Tensor = 2.5` is a 0-d tensor; literals in expressions like `1 - x[0]` become
    /// tensors this way, which keeps type-checking of long formulas fast.
    public init(floatLiteral value: Double) { self.init(value) }
    public init(integerLiteral value: Int) { self.init(Double(value)) }
    /// `let v: Tensor = [1, 2, 3]` is a vector.
    public init(arrayLiteral elements: Double...) { self.init(elements) }
}

extension Tensor: Equatable {
    /// Same shape and exactly the same elements (tracking is ignored).
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        lhs.shape == rhs.shape && lhs.scalars == rhs.scalars
    }
}

extension Tensor {
    /// Whether every element is within `tolerance` of the other's, relative to the larger
    /// magnitude (or absolutely, near zero): |a − b| ≤ tol · max(1, |a|, |b|).
    public func isApproximatelyEqual(to other: Tensor, tolerance: Double = 1e-12) -> Bool {
        guard shape == other.shape else { return false }
        for (a, b) in zip(scalars, other.scalars) where !(abs(a - b) <= tolerance * Swift.max(1, abs(a), abs(b))) {
            return false
        }
        return true
    }
}

/// glibc serves blocks ≥ 128 KiB with mmap and unmaps them on free, so each 1024×64 activation
/// would cost fresh page faults; numeric code reallocates the same sizes over and over, so
/// such blocks are kept in the heap instead (up to glibc's 32 MiB ceiling), and the heap is
/// trimmed only beyond 256 MiB free. Set once, on the first tensor operation.
/// (`mallopt` is looked up at run time: it is glibc's, not part of the Glibc module.)
let heapTuned: Bool = {
    #if canImport(Glibc)
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    if let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "mallopt") {
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let mmapThreshold: Int32 = -3, trimThreshold: Int32 = -1  // M_MMAP_THRESHOLD, M_TRIM_THRESHOLD
        _ = mallopt(mmapThreshold, 32 << 20)
        _ = mallopt(trimThreshold, 256 << 20)
    }
    #endif
    return true
}()

/// Builds a result buffer of `count` elements without first zeroing it.
@inline(__always)
func makeStorage(_ count: Int, _ fill: (UnsafeMutablePointer<Double>) -> Void) -> [Double] {
    _ = heapTuned
    return [Double](unsafeUninitializedCapacity: count) { buf, n in
        if count > 0 { fill(buf.baseAddress!) }
        n = count
    }
}

/// A tensor stores as its shape and its elements (a constant: the graph node is not kept),
/// so `memo` can keep trained weights across builds.
extension Tensor: Codable {
    enum CodingKeys: String, CodingKey { case shape, scalars }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let shape = try container.decode([Int].self, forKey: .shape)
        let scalars = try container.decode([Double].self, forKey: .scalars)
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == scalars.count else {
            throw DecodingError.dataCorruptedError(forKey: .scalars, in: container,
                                                   debugDescription: "\(scalars.count) elements do not fill shape \(shape)")
        }
        self.init(shape: shape, storage: scalars, node: nil)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(shape, forKey: .shape)
        try container.encode(scalars, forKey: .scalars)
    }
}
