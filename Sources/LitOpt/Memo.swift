import Notebook

/// The value of an expensive expression, kept across builds.
///
///     let (weights, history) = memo("sam-net") { SAM(lr: 0.1, rho: 0.05).fit(net, to: train, steps: 3000) }
///
/// The first build computes the value and stores it in the cache folder; later builds load it
/// instead, for as long as nothing it can depend on has changed: the source of this cell and
/// of every cell above it, the key, the engine and the compiler. Edit any of those and the
/// value is computed again. Randomness inside must come from a seeded generator (the engine's
/// functions take `seed:`), so a loaded value is the one a fresh computation would give.
/// What the block prints is stored too and printed again on a load.
///
/// Storable values are `Codable`: tensors, arrays of them, training histories, numbers, and
/// structs of those; a pair or a triple of them is stored as one. `recompute: true` (or
/// `litopt build --no-cache`) computes again and replaces the stored value.
public func memo<T: Codable>(_ key: String, recompute: Bool = false, _ compute: () throws -> T) rethrows -> T {
    try Session.shared.memoize(key, recompute: recompute, compute)
}

/// `memo` for a block that returns a pair, such as `fit`'s `(parameters, history)`.
public func memo<A: Codable, B: Codable>(_ key: String, recompute: Bool = false,
                                         _ compute: () throws -> (A, B)) rethrows -> (A, B) {
    let pair = try Session.shared.memoize(key, recompute: recompute) { () throws -> MemoTuple2<A, B> in
        let (a, b) = try compute()
        return MemoTuple2(a: a, b: b)
    }
    return (pair.a, pair.b)
}

/// `memo` for a block that returns a triple.
public func memo<A: Codable, B: Codable, C: Codable>(_ key: String, recompute: Bool = false,
                                                     _ compute: () throws -> (A, B, C)) rethrows -> (A, B, C) {
    let triple = try Session.shared.memoize(key, recompute: recompute) { () throws -> MemoTuple3<A, B, C> in
        let (a, b, c) = try compute()
        return MemoTuple3(a: a, b: b, c: c)
    }
    return (triple.a, triple.b, triple.c)
}

struct MemoTuple2<A: Codable, B: Codable>: Codable { var a: A; var b: B }
struct MemoTuple3<A: Codable, B: Codable, C: Codable>: Codable { var a: A; var b: B; var c: C }
