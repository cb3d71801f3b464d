/// Which parameters a training step updates (MicroLM's and PretrainedLM's decoders alike). A frozen tensor gets no
/// gradient, and the backward pass stops below the lowest block that trains when the embeddings are frozen, so a
/// partial finetune is also cheaper.
public struct TrainableTensors: Sendable, Hashable {
    /// Blocks that train; nil means all.
    public var layers: Set<Int>?
    /// The token (and position) embeddings, and with them a tied output head.
    public var embeddings: Bool
    public var finalNorm: Bool

    public static let all = TrainableTensors(layers: nil, embeddings: true, finalNorm: true)

    /// The workbench's LoRA analogue: only the listed blocks train; the embeddings and the final norm stay frozen.
    public static func blocks(_ layers: some Sequence<Int>) -> TrainableTensors {
        TrainableTensors(layers: Set(layers), embeddings: false, finalNorm: false)
    }

    public init(layers: Set<Int>?, embeddings: Bool, finalNorm: Bool) {
        (self.layers, self.embeddings, self.finalNorm) = (layers, embeddings, finalNorm)
    }

    public func trains(layer: Int) -> Bool { layers?.contains(layer) ?? true }

    /// Whether the tensor at `entry` is updated.
    public func trains(_ entry: TensorLayout.Entry) -> Bool {
        if let layer = entry.layer { return trains(layer: layer) }
        return entry.isFinalNorm ? finalNorm : embeddings
    }
}
