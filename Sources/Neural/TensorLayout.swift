/// Named tensors laid end to end in one flat Float buffer, in the order they are appended. One flat buffer keeps the
/// optimiser a single loop and lets gradients share the layout; ``GPTLayout`` and PretrainedLM's `DecoderLayout`
/// each name their model's tensors in one.
public struct TensorLayout: Sendable {
    public struct Entry: Sendable {
        public var name: String
        public var shape: [Int]
        public var offset: Int
        /// The block this tensor belongs to, or nil for embeddings and the final norm.
        public var layer: Int?
        /// Whether it is (part of) the final norm, which ``TrainableTensors`` trains apart from the embeddings.
        public var isFinalNorm: Bool
        public var count: Int { shape.reduce(1, *) }
        /// Matrices and embeddings get weight decay; biases and norm gains do not.
        public var decays: Bool { shape.count == 2 }
    }

    public private(set) var entries: [Entry] = []
    /// Values in the whole buffer.
    public private(set) var count = 0
    private var index: [String: Int] = [:]

    public init() {}

    /// Lays `name` out after the tensors already there; a name may be used once.
    public mutating func append(_ name: String, _ shape: [Int], layer: Int?, finalNorm: Bool = false) {
        precondition(index[name] == nil, "tensor \(name) laid out twice")
        index[name] = entries.count
        entries.append(Entry(name: name, shape: shape, offset: count, layer: layer, isFinalNorm: finalNorm))
        count += shape.reduce(1, *)
    }

    public func entry(_ name: String) -> Entry? { index[name].map { entries[$0] } }
    public func offset(_ name: String) -> Int { entries[index[name]!].offset }
}
