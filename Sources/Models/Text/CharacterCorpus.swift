import Autodiff

/// A text as a sequence of character tokens, for the tiny transformer: the alphabet is the
/// sorted set of characters in the text, a token is a character's index in it.
///
///     let corpus = CharacterCorpus(chapterText)
///     var rng = RNG(seed: 0)
///     let batch = corpus.windows(count: 8, length: 32, using: &rng)   // 8 × 33 tokens
public struct CharacterCorpus: Sendable {
    public let text: String
    /// The distinct characters, sorted; token i is `alphabet[i]`.
    public let alphabet: [Character]
    /// The text as tokens.
    public let tokens: [Int]

    public init(_ text: String) {
        precondition(!text.isEmpty, "CharacterCorpus: the text is empty")
        self.text = text
        alphabet = Array(Set(text)).sorted()
        let index = Dictionary(uniqueKeysWithValues: alphabet.enumerated().map { ($1, $0) })
        tokens = text.map { index[$0]! }
    }

    public var vocabularySize: Int { alphabet.count }

    /// Tokens of a string made of the corpus's characters.
    public func encode(_ s: String) -> [Int] {
        let index = Dictionary(uniqueKeysWithValues: alphabet.enumerated().map { ($1, $0) })
        return s.map { c in
            guard let i = index[c] else { preconditionFailure("CharacterCorpus.encode: '\(c)' is not in the alphabet") }
            return i
        }
    }

    /// The string of tokens.
    public func decode(_ tokens: [Int]) -> String { String(tokens.map { alphabet[$0] }) }

    /// `count` windows of `length + 1` consecutive tokens at uniformly random offsets: inputs
    /// are the first `length`, next-token targets the last `length`.
    public func windows(count: Int, length: Int, using rng: inout RNG) -> [[Int]] {
        precondition(tokens.count > length + 1, "CharacterCorpus.windows: the text is shorter than a window")
        return (0..<count).map { _ in
            let start = rng.int(below: tokens.count - length)
            return Array(tokens[start..<(start + length + 1)])
        }
    }
}
