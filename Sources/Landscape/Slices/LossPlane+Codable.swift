/// Planes store with `memo`, so a chapter can keep an expensive 41×41 evaluation across builds.
extension LossPlane: Codable {
    enum CodingKeys: String, CodingKey { case alphas, betas, values, center, firstDirection, secondDirection }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        alphas = try c.decode([Double].self, forKey: .alphas)
        betas = try c.decode([Double].self, forKey: .betas)
        values = try c.decode([Double].self, forKey: .values)
        center = try c.decode([Double].self, forKey: .center)
        directions = (try c.decode([Double].self, forKey: .firstDirection), try c.decode([Double].self, forKey: .secondDirection))
        guard values.count == alphas.count * betas.count else {
            throw DecodingError.dataCorruptedError(forKey: .values, in: c,
                                                   debugDescription: "\(values.count) values for a \(alphas.count)×\(betas.count) grid")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(alphas, forKey: .alphas)
        try c.encode(betas, forKey: .betas)
        try c.encode(values, forKey: .values)
        try c.encode(center, forKey: .center)
        try c.encode(directions.first, forKey: .firstDirection)
        try c.encode(directions.second, forKey: .secondDirection)
    }
}
