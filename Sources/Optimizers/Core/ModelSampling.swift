import Autodiff
import Models

/// The batch with its labels (or targets) replaced by draws from the model's own predictive
/// distribution, given the model's outputs on it: y ~ softmax(z) per row, y ~ Bernoulli(σ(z))
/// for a single logit, and y = f(x) + N(0, I) for regression. Gradients of the loss on such
/// labels give the *true* Fisher (K-FAC) and Sophia's Gauss–Newton–Bartlett estimator.
func sampledFromModel(_ batch: Dataset, output: Tensor, rng: inout RNG) -> Dataset {
    if batch.targets != nil {
        return Dataset(inputs: batch.inputs, targets: (output + Tensor.randomNormal(output.shape, using: &rng)).detached)
    }
    let n = batch.count, c = output.shape[1]
    if c == 1 {
        return Dataset(inputs: batch.inputs, labels: output.scalars.map { z in rng.uniform() < 1 / (1 + exp(-z)) ? 1 : 0 })
    }
    let p = softmax(output.detached, axis: 1).scalars
    let labels = (0..<n).map { i -> Int in
        let u = rng.uniform()
        var acc = 0.0
        for j in 0..<c {
            acc += p[i * c + j]
            if u < acc { return j }
        }
        return c - 1
    }
    return Dataset(inputs: batch.inputs, labels: labels)
}
