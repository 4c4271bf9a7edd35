/// A small open-addressing hash map from a graph node's identity to an integer, used by the
/// backward pass in place of `Dictionary` (whose SipHash dominated the cost of differentiating
/// small scalar formulas). Keys are node addresses; hashing is one multiply (Fibonacci hashing).
struct NodeIndex {
    private var keys: [UnsafeMutableRawPointer?]
    private var values: [Int]
    private var shift: Int
    private(set) var count = 0

    init(expected: Int = 8) {
        var bits = 4
        while (1 << bits) < 2 * expected { bits += 1 }
        keys = [UnsafeMutableRawPointer?](repeating: nil, count: 1 << bits)
        values = [Int](repeating: 0, count: 1 << bits)
        shift = 64 - bits
    }

    @inline(__always)
    private func slot(_ key: UnsafeMutableRawPointer) -> Int {
        Int(truncatingIfNeeded: (UInt(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15) >> UInt(shift))
    }

    @inline(__always)
    private static func key(_ node: Node) -> UnsafeMutableRawPointer {
        Unmanaged.passUnretained(node).toOpaque()
    }

    subscript(node: Node) -> Int? {
        get {
            let k = NodeIndex.key(node)
            let mask = keys.count - 1
            var i = slot(k)
            while let existing = keys[i] {
                if existing == k { return values[i] }
                i = (i + 1) & mask
            }
            return nil
        }
        set {
            guard let newValue else { preconditionFailure("NodeIndex: removal is not supported") }
            if 2 * (count + 1) > keys.count { grow() }
            let k = NodeIndex.key(node)
            let mask = keys.count - 1
            var i = slot(k)
            while let existing = keys[i] {
                if existing == k { values[i] = newValue; return }
                i = (i + 1) & mask
            }
            keys[i] = k
            values[i] = newValue
            count += 1
        }
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = [UnsafeMutableRawPointer?](repeating: nil, count: oldKeys.count * 2)
        values = [Int](repeating: 0, count: oldKeys.count * 2)
        shift -= 1
        let mask = keys.count - 1
        for (k, v) in zip(oldKeys, oldValues) {
            guard let k else { continue }
            var i = slot(k)
            while keys[i] != nil { i = (i + 1) & mask }
            keys[i] = k
            values[i] = v
        }
    }
}
