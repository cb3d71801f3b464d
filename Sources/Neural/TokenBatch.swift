/// A batch of equal-length token sequences with their next-token targets, the unit MicroLM trains and scores on.
///
/// `tokens` and `targets` are row-major [batch × length]. A target of -1 marks a position without a loss (a prompt
/// token, padding), like PyTorch's `ignore_index`; the loss is the mean NLL over the other positions. Padding at
/// the end of a sequence never changes earlier positions, because attention is causal.
public struct TokenBatch: Sendable, Equatable {
    public let batch: Int
    public let length: Int
    public var tokens: [Int32]
    public var targets: [Int32]

    public init(batch: Int, length: Int, tokens: [Int32], targets: [Int32]) {
        precondition(tokens.count == batch * length && targets.count == batch * length, "batch shape mismatch")
        (self.batch, self.length, self.tokens, self.targets) = (batch, length, tokens, targets)
    }

    /// Packs sequences (each with its own per-token targets) into one batch padded to the longest.
    public init(sequences: [(tokens: [Int32], targets: [Int32])], pad: Int32) {
        let length = max(1, sequences.map(\.tokens.count).max() ?? 1)
        var tokens = [Int32](repeating: pad, count: sequences.count * length)
        var targets = [Int32](repeating: -1, count: sequences.count * length)
        for (b, sequence) in sequences.enumerated() {
            precondition(sequence.tokens.count == sequence.targets.count, "tokens and targets differ in length")
            for (t, token) in sequence.tokens.enumerated() {
                tokens[b * length + t] = token
                targets[b * length + t] = sequence.targets[t]
            }
        }
        self.init(batch: sequences.count, length: length, tokens: tokens, targets: targets)
    }

    /// Positions that carry a loss.
    public var lossCount: Int { targets.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) } }

    /// The row-major positions that carry a loss and their targets, checked against `vocabSize`.
    public func lossPositions(vocabSize: Int) -> (rows: [Int], targets: [Int32]) {
        var rows: [Int] = [], kept: [Int32] = []
        for (i, target) in targets.enumerated() where target >= 0 {
            precondition(Int(target) < vocabSize, "target \(target) outside the vocabulary")
            rows.append(i)
            kept.append(target)
        }
        return (rows, kept)
    }
}
