import Testing
@testable import Autodiff

@Suite struct LinearAlgebraTests {
    /// Products in `gemmSplitting`'s range run as two one-thread dgemms on two threads, cut
    /// along n when m < n and along m otherwise: every element must be the one-call product's, bit for bit,
    /// for each transpose combination, both cuts (odd extents) and beta 0 and 1. The split is called
    /// directly (`gemmInTwoHalves`): whether these shapes fall in `gemmSplitting`'s range depends on
    /// the machine's OpenBLAS kernels (with AVX-512 the range is empty), and the bytes must not.
    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)], [(129, 256, 300), (301, 130, 250)])
    func splitProductsEqualTheOneCallProduct(_ transposes: (Bool, Bool), _ shape: (Int, Int, Int)) {
        let (m, n, k) = shape  // ≈ 9.9 M and 9.8 M multiply-adds
        let a = randomTensor(transposes.0 ? [k, m] : [m, k], seed: 31), b = randomTensor(transposes.1 ? [n, k] : [k, n], seed: 32)
        let start = randomTensor([m, n], seed: 33).scalars
        for beta in [0.0, 1.0] {
            var split = beta == 0 ? [Double](repeating: .nan, count: m * n) : start, whole = split
            a.scalars.withUnsafeBufferPointer { pa in
                b.scalars.withUnsafeBufferPointer { pb in
                    split.withUnsafeMutableBufferPointer { c in
                        BLAS.gemmInTwoHalves(transposeA: transposes.0, transposeB: transposes.1, m: m, n: n, k: k,
                                             a: pa.baseAddress!, b: pb.baseAddress!, beta: beta, c: c.baseAddress!)
                    }
                    whole.withUnsafeMutableBufferPointer { c in
                        BLAS.gemm(transposeA: transposes.0, transposeB: transposes.1, m: m, n: n, k: k,
                                  a: pa.baseAddress!, b: pb.baseAddress!, beta: beta, c: c.baseAddress!)
                    }
                }
            }
            let largest = zip(split, whole).map { abs($0 - $1) }.max()!
            #expect(split == whole, "beta \(beta): largest difference \(largest)")
        }
    }

    @Test func symmetricEigen2x2() {
        let (values, vectors) = symmetricEigen(Tensor([[2, 1], [1, 2]]))
        #expect(relativeError(values, Tensor([1, 3])) <= 1e-15)
        let v1 = Tensor([vectors[0, 1].scalar, vectors[1, 1].scalar])
        #expect(abs(abs(v1[0].scalar) - 0.5.squareRoot()) < 1e-15 && v1[0].scalar * v1[1].scalar > 0)
    }

    /// [[2, −1, 0], [−1, 2, −1], [0, −1, 2]] (the 1-D Laplacian) has eigenvalues 2 − √2, 2, 2 + √2,
    /// and A·V = V·diag(λ).
    @Test func symmetricEigen3x3() {
        let a = Tensor([[2, -1, 0], [-1, 2, -1], [0, -1, 2]])
        let (values, vectors) = symmetricEigen(a)
        let r2 = 2.0.squareRoot()
        #expect(relativeError(values, Tensor([2 - r2, 2, 2 + r2])) <= 1e-15)
        #expect(relativeError(matmul(a, vectors), vectors * values) <= 1e-14)
        #expect(relativeError(matmul(vectors.T, vectors), Tensor.identity(3)) <= 1e-14)
    }

    @Test func choleskyAndSolve() throws {
        let a = Tensor([[4, 2, 0.4], [2, 5, 1], [0.4, 1, 3]])
        let l = try cholesky(a)
        #expect(l[0, 1].scalar == 0 && l[0, 2].scalar == 0 && l[1, 2].scalar == 0)
        #expect(relativeError(matmul(l, l.T), a) <= 1e-15)
        let b = Tensor([1, -2, 3])
        let x = choleskySolve(l, b)
        #expect(relativeError(matmul(a, x), b) <= 1e-14)
        let y = try solve(Tensor([[0, 2], [3, 1]]), Tensor([4, 5]))
        #expect(relativeError(y, Tensor([1, 2])) <= 1e-15)
        let many = Tensor([[1, 0], [2, 1], [0, 3]])
        #expect(relativeError(matmul(a, choleskySolve(l, many)), many) <= 1e-14)
    }

    @Test func failuresAreErrorsNotCrashes() {
        #expect(throws: LinearAlgebraError.notPositiveDefinite(leadingMinor: 2)) {
            try cholesky(Tensor([[1, 2], [2, 1]]))
        }
        #expect(throws: LinearAlgebraError.singular(pivot: 2)) {
            try solve(Tensor([[1, 2], [2, 4]]), Tensor([1, 1]))
        }
    }
}

@Suite struct RandomTests {
    /// xoshiro256** seeded by SplitMix64 (values from the reference algorithm, written out
    /// independently in Python).
    @Test func fixedSeedGivesTheSameFirstNumbers() {
        var rng = RNG(seed: 42)
        let first = (0..<5).map { _ in rng.next() }
        #expect(first == [1546998764402558742, 6990951692964543102, 12544586762248559009,
                          17057574109182124193, 18295552978065317476])
        var u = RNG(seed: 42)
        #expect((0..<5).map { _ in u.uniform() } ==
                [0.08386297105988216, 0.3789802506626686, 0.6800434110281394, 0.9246929453253876, 0.9918039142821028])
        var n = RNG(seed: 42)
        let normals = (0..<5).map { _ in n.normal() }
        let expected = [-0.303263064678738, 0.28846173882942383, 1.3438117634372806, -0.6879751798977497, 0.3834617912676943]
        for (a, b) in zip(normals, expected) { #expect(abs(a - b) <= 4e-16 * max(1, abs(b))) }
    }

    @Test func splitStreamsAreIndependentAndRepeatable() {
        var a = RNG(seed: 7), b = RNG(seed: 7)
        var childA = a.split(), childB = b.split()
        #expect(childA.next() == childB.next())
        #expect(a.next() == b.next())
        var parent = RNG(seed: 7)
        var child = parent.split()
        let fromParent = (0..<100).map { _ in parent.next() }
        let fromChild = (0..<100).map { _ in child.next() }
        #expect(Set(fromParent).isDisjoint(with: fromChild))
    }

    @Test func samplesHaveTheRightMoments() {
        var rng = RNG(seed: 1)
        let z = Tensor.randomNormal([20000], mean: 1, standardDeviation: 2, using: &rng)
        #expect(abs(z.mean().scalar - 1) < 0.05)
        #expect(abs(((z - 1).squared().mean().scalar).squareRoot() - 2) < 0.05)
        let u = Tensor.randomUniform([20000], in: -1...3, using: &rng)
        #expect(u.min().scalar >= -1 && u.max().scalar < 3)
        #expect(abs(u.mean().scalar - 1) < 0.05)
        let p = rng.permutation(10)
        #expect(p.sorted() == Array(0..<10))
    }
}
