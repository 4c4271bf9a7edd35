import Autodiff

/// The uniform model soup (Wortsman et al. 2022, "Model soups"): the average of the
/// parameters of several fine-tuned models, θ = (1/k) Σᵢ θᵢ. It works when the models lie in
/// one basin (no barrier between them), which is what a `barrier` check tells.
public func uniformSoup(_ models: [[Tensor]]) -> [Tensor] {
    precondition(!models.isEmpty, "uniformSoup: no models")
    let shapes = models[0].map(\.shape)
    precondition(models.allSatisfy { $0.map(\.shape) == shapes }, "uniformSoup: the models have different shapes")
    var sum = Vectors.flatten(models[0])
    for m in models.dropFirst() { Vectors.addScaled(&sum, 1, Vectors.flatten(m)) }
    return Vectors.split(Vectors.scaled(sum, 1 / Double(models.count)), shapes: shapes)
}

/// The greedy soup (mlfoundations/model-soups): sort the models by `score` (held-out
/// accuracy in the paper; higher is better), start from the best, and add each next model
/// to the running average only if the averaged model's score strictly improves. Returns the
/// soup and the indices (into `models`) of its ingredients, in the order they were added.
public func greedySoup(_ models: [[Tensor]], score: ([Tensor]) -> Double) -> (parameters: [Tensor], ingredients: [Int]) {
    precondition(!models.isEmpty, "greedySoup: no models")
    let scores = models.map(score)
    let order = models.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
    var ingredients = [order[0]]
    var soup = models[order[0]].map(\.detached)
    var best = scores[order[0]]
    for i in order.dropFirst() {
        let k = Double(ingredients.count)
        var candidate = Vectors.scaled(Vectors.flatten(soup), k / (k + 1))
        Vectors.addScaled(&candidate, 1 / (k + 1), Vectors.flatten(models[i]))
        let tensors = Vectors.split(candidate, shapes: soup.map(\.shape))
        let s = score(tensors)
        if s > best {
            best = s
            soup = tensors
            ingredients.append(i)
        }
    }
    return (soup, ingredients)
}
