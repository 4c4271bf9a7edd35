import Autodiff
import Models
import Optimizers
@testable import Landscape

/// Small problems whose Hessians are cheap to form densely, the oracles for the iterative methods.
enum Fixtures {
    /// A tanh MLP 2→4→2 on 24 two-moons points, a little trained so the point is not special:
    /// 22 parameters, an indefinite Hessian with distinct eigenvalues.
    static func tinyNetwork() -> (net: MLP, data: Dataset, parameters: [Tensor]) {
        let net = MLP(sizes: [2, 4, 2], activation: .tanh)
        let data = Datasets.twoMoons(count: 24, seed: 3)
        let (parameters, _) = SGD(lr: 0.1).fit(net, to: data, steps: 20, seed: 1)
        return (net, data, parameters)
    }

    /// A 2→6→6→2 tanh MLP on 40 points: 74 parameters, more than Lanczos needs for the top few.
    static func smallNetwork() -> (net: MLP, data: Dataset, parameters: [Tensor]) {
        let net = MLP(sizes: [2, 6, 6, 2], activation: .tanh)
        let data = Datasets.twoMoons(count: 40, seed: 5)
        return (net, data, net.initialParameters(seed: 2))
    }

    /// Q·diag(λ)·Qᵀ for a seeded random orthogonal Q (from the eigenvectors of a random
    /// symmetric matrix): a symmetric matrix with exactly these eigenvalues.
    static func matrix(eigenvalues: [Double], seed: UInt64) -> Tensor {
        let n = eigenvalues.count
        var rng = RNG(seed: seed)
        let g = Tensor.randomNormal([n, n], using: &rng)
        let q = symmetricEigen(g + g.transposed()).vectors
        return matmul(matmul(q, Tensor.diagonal(Tensor(eigenvalues))), q.transposed()).detached
    }

    /// Var(zᵀHz) for a Rademacher z: 2 Σ_{i≠j} Hᵢⱼ², the exact variance of one Hutchinson sample.
    static func rademacherVariance(_ h: Tensor) -> Double {
        let n = h.shape[0]
        var s = 0.0
        for i in 0..<n { for j in 0..<n where i != j { s += h.scalars[i * n + j] * h.scalars[i * n + j] } }
        return 2 * s
    }
}
