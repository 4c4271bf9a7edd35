import Testing
import Autodiff
@testable import Landscape

/// Lanczos eigenpairs of matrices with repeated and nearly repeated eigenvalues, against the
/// dense eigendecomposition (LAPACK `dsyevd`). One Krylov space holds one direction per
/// distinct eigenvalue, so each extra copy has to be found by a deflated restart.
@Suite struct LanczosTests {
    /// The two cases of the reliability review (issue 15, item 17), as reported.
    @Test func theReportedCases() {
        let rest: [Double] = (0..<20).map { 2.0 - 0.1 * Double($0) }
        let diagonal = Tensor.diagonal(Tensor([3, 3] + rest))
        let two = Hessian(matrix: diagonal).topEigenvalues(2)
        #expect(two.count == 2 && two.allSatisfy { abs($0 - 3) <= 1e-12 }, "got \(two)")

        // 40×40, top eigenvalues 5, 5, 5, 5 − 1e-7, the rest spread over [0, 1.6]: diagonal and rotated.
        let spread: [Double] = (0..<36).map { 1.6 * (1 - Double($0) / 35) }
        let spectrum: [Double] = [5, 5, 5, 5 - 1e-7] + spread
        for cluster in [Tensor.diagonal(Tensor(spectrum)), Fixtures.matrix(eigenvalues: spectrum, seed: 5)] {
            for seed: UInt64 in 0..<4 {
                Self.expectEigenpairs(Hessian(matrix: cluster).topEigenpairs(4, seed: seed), of: cluster, largest: true)
            }
        }
    }

    /// Multiplicities 2–4 at both ends of a 200×200 rotated spectrum (larger than the default
    /// 100 steps, so a run never spans the whole space), for several seeds, asking for exactly
    /// the copies and for the copies and the next value.
    @Test(arguments: [2, 3, 4]) func repeatedEigenvaluesAtBothEnds(multiplicity m: Int) {
        let bulk: [Double] = (0..<(200 - 2 * m - 2)).map { -1.5 + 3.5 * Double($0) / Double(200 - 2 * m - 3) }
        let spectrum: [Double] = Array(repeating: 4.0, count: m) + [3.0] + bulk + [-2.5] + Array(repeating: -3.0, count: m)
        let a = Fixtures.matrix(eigenvalues: spectrum, seed: UInt64(10 + m))
        let h = Hessian(matrix: a)
        for seed: UInt64 in 0..<3 {
            for k in [m, m + 1] {
                Self.expectEigenpairs(h.topEigenpairs(k, seed: seed), of: a, largest: true)
                Self.expectEigenpairs(h.bottomEigenpairs(k, seed: seed), of: a, largest: false)
            }
        }
    }

    /// Several repeated values among the k wanted: 4 (three copies), 3.5 (two), then 3.
    @Test func severalRepeatedValuesAmongTheWanted() {
        let bulk: [Double] = (0..<144).map { -1 + 2 * Double($0) / 143 }
        let a = Fixtures.matrix(eigenvalues: [4, 4, 4, 3.5, 3.5, 3] + bulk, seed: 21)
        for k in 3...6 {
            for seed: UInt64 in 0..<3 {
                Self.expectEigenpairs(Hessian(matrix: a).topEigenpairs(k, seed: seed), of: a, largest: true)
            }
        }
    }

    /// Near-degenerate clusters: copies split by 1e-12 (below the tolerance, so they behave as
    /// one repeated value) and by 1e-7 (resolved as distinct values), rotated.
    @Test func nearlyRepeatedClusters() {
        let bulk: [Double] = (0..<194).map { -1 + 3 * Double($0) / 193 }
        let tight = Fixtures.matrix(eigenvalues: [4, 4 + 1e-12, 4 - 1e-12, 4 + 2e-12, 3, 2.9] + bulk, seed: 31)
        for seed: UInt64 in 0..<3 {
            Self.expectEigenpairs(Hessian(matrix: tight).topEigenpairs(5, seed: seed), of: tight, largest: true)
        }
        let below: [Double] = (0..<56).map { 1.6 - 0.05 * Double($0) }
        let close = Fixtures.matrix(eigenvalues: [5, 5, 5, 5 - 1e-7] + below, seed: 32)
        for seed: UInt64 in 0..<3 {
            Self.expectEigenpairs(Hessian(matrix: close).topEigenpairs(5, seed: seed), of: close, largest: true)
        }
    }

    /// Built on `bottomEigenpairs`: every copy of a repeated negative eigenvalue is an escape
    /// direction.
    @Test func negativeCurvatureDirectionsCountEveryCopy() {
        let bulk: [Double] = (0..<145).map { 0.5 + Double($0) / 144 }
        let a = Fixtures.matrix(eigenvalues: bulk + [-2, -2, -2, -0.5, 3], seed: 41)
        for (k, count) in [(3, 3), (5, 4)] {
            for seed: UInt64 in 0..<3 {
                let directions = Hessian(matrix: a).negativeCurvatureDirections(k, seed: seed)
                #expect(directions.count == count)
                Self.expectEigenpairs(directions, of: a, largest: false)
            }
        }
    }

    /// Checks `pairs` against the dense eigendecomposition of `a`: the values are its k largest
    /// (or smallest) eigenvalues in order, each vector is a unit eigenvector (‖Av − λv‖ small,
    /// computed here with the matrix) and the vectors are orthonormal.
    static func expectEigenpairs(_ pairs: [Eigenpair], of a: Tensor, largest: Bool,
                                 sourceLocation: SourceLocation = #_sourceLocation) {
        let dense = symmetricEigenvalues(a).scalars  // ascending
        let k = pairs.count
        let exact = largest ? Array(dense.reversed().prefix(k)) : Array(dense.prefix(k))
        let scale = dense.map(abs).max() ?? 1
        let values = pairs.map(\.value)
        #expect(zip(values, exact).allSatisfy { abs($0 - $1) <= 1e-9 * scale },
                "values \(values), dense \(exact)", sourceLocation: sourceLocation)
        for pair in pairs {
            var r = matmul(a, Tensor(pair.vector)).scalars
            Vectors.addScaled(&r, -pair.value, pair.vector)
            #expect(Vectors.norm(r) <= 1e-8 * scale, "residual \(Vectors.norm(r)) at \(pair.value)", sourceLocation: sourceLocation)
            #expect(abs(pair.residual - Vectors.norm(r)) <= 1e-12 * scale, sourceLocation: sourceLocation)
        }
        for i in 0..<k {
            for j in i..<k {
                let g = Vectors.dot(pairs[i].vector, pairs[j].vector)
                #expect(abs(g - (i == j ? 1 : 0)) <= 1e-9, "⟨v\(i), v\(j)⟩ = \(g)", sourceLocation: sourceLocation)
            }
        }
    }
}
