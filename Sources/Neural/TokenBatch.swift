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
        self.batch = batch
        self.length = length
        self.tokens = tokens
        self.targets = targets
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

/// Which parameters a training step updates. A frozen tensor gets no gradient, and the backward pass stops below
/// the lowest block that trains when the embeddings are frozen, so a partial finetune is also cheaper.
public struct GPTTrainable: Sendable, Hashable {
    /// Blocks that train; nil means all.
    public var layers: Set<Int>?
    public var embeddings: Bool
    public var finalNorm: Bool

    public static let all = GPTTrainable(layers: nil, embeddings: true, finalNorm: true)

    /// The workbench's LoRA analogue: only the listed blocks train; embeddings and the final LayerNorm stay frozen.
    public static func blocks(_ layers: [Int]) -> GPTTrainable {
        GPTTrainable(layers: Set(layers), embeddings: false, finalNorm: false)
    }

    public init(layers: Set<Int>?, embeddings: Bool, finalNorm: Bool) {
        self.layers = layers
        self.embeddings = embeddings
        self.finalNorm = finalNorm
    }

    public func trains(layer: Int) -> Bool { layers?.contains(layer) ?? true }

    /// Whether the tensor at `entry` is updated.
    public func trains(_ entry: GPTLayout.Entry) -> Bool {
        if let layer = entry.layer { return trains(layer: layer) }
        return entry.name.hasPrefix("ln_f") ? finalNorm : embeddings
    }
}
