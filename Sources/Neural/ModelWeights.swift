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

    /// A copy of one named tensor's values.
    public func tensor(_ name: String) -> [Float]? {
        guard let e = layout.entry(name) else { return nil }
        return Array(values[e.offset..<(e.offset + e.count)])
    }
}
