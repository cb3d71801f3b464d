import Core

/// A model architecture's tensor layout: built from its config, it names every tensor in one ``TensorLayout``.
/// ``GPTLayout`` (MicroLM) and PretrainedLM's `DecoderLayout` are the two.
public protocol ModelLayout: Sendable {
    associatedtype Config: Sendable, Equatable
    init(_ config: Config)
    var tensors: TensorLayout { get }
}

extension ModelLayout {
    public var entries: [TensorLayout.Entry] { tensors.entries }
    public var count: Int { tensors.count }
    public func entry(_ name: String) -> TensorLayout.Entry? { tensors.entry(name) }
    public func offset(_ name: String) -> Int { tensors.offset(name) }
}

/// A model's weights: its config plus one flat Float32 buffer laid out by `Layout` (``GPTWeights``, PretrainedLM's
/// `DecoderWeights`).
public struct ModelWeights<Layout: ModelLayout>: Sendable, Equatable {
    public let config: Layout.Config
    public var values: [Float]

    public var layout: Layout { Layout(config) }

    public init(config: Layout.Config, values: [Float]) {
        precondition(values.count == Layout(config).count, "weights do not match the config's layout")
        (self.config, self.values) = (config, values)
    }

    /// How a tensor starts: every value one constant, or each drawn from N(0, std²).
    public enum Initial {
        case constant(Float)
        case gaussian(std: Double)
    }

    /// Weights drawn tensor by tensor in layout order from `SeededRandom(seed:stream:)`, as `initial` says for each;
    /// a constant tensor draws nothing, so a seed fixes the weights bit for bit.
    public init(config: Layout.Config, seed: UInt64, stream: String, _ initial: (TensorLayout.Entry) -> Initial) {
        let layout = Layout(config)
        var values = [Float](repeating: 0, count: layout.count)
        var random = SeededRandom(seed: seed, stream: stream)
        for entry in layout.entries {
            let range = entry.offset..<(entry.offset + entry.count)
            switch initial(entry) {
            case .constant(let value): for i in range { values[i] = value }
            case .gaussian(let std): for i in range { values[i] = Float(random.gaussian() * std) }
            }
        }
        self.init(config: config, values: values)
    }

    /// A copy of one named tensor's values.
    public func tensor(_ name: String) -> [Float]? {
        guard let e = layout.entry(name) else { return nil }
        return Array(values[e.offset..<(e.offset + e.count)])
    }
}
