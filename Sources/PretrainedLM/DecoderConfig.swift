/// The shape of a pretrained decoder-only transformer: the two architectures the workbench runs, `llama`
/// (SmolLM2) and `gemma3` (Gemma 3), which share one engine and differ only where this config says so.
///
/// Both are pre-norm stacks of `layers` blocks over a residual stream of width `dModel`, with RMSNorm, rotary
/// position embeddings (rotate-half form, applied to HF-ordered Q/K rows: see `DecoderWeights+GGUF`), grouped-query
/// attention (`heads` query heads share `kvHeads` key/value heads), a gated MLP of width `ffnWidth`, and an output
/// head tied to the token embedding. Gemma 3 adds: embeddings × √dModel, RMSNorm of every query and key head
/// before RoPE, a norm on the attention and MLP outputs before each residual add, GELU-tanh instead of SiLU as the
/// gate, local layers that see only the last `slidingWindow` positions with their own RoPE base, and an attention
/// scale that need not be 1/√headDim. Neither model soft-caps its logits (Gemma 2 did; Gemma 3 does not).
public struct DecoderConfig: Codable, Hashable, Sendable {
    public enum Architecture: String, Codable, Sendable {
        case llama
        case gemma3
    }

    public var architecture: Architecture
    public var vocabSize: Int
    public var dModel: Int
    public var layers: Int
    public var heads: Int
    public var kvHeads: Int
    public var headDim: Int
    public var ffnWidth: Int
    public var normEpsilon: Float
    /// RoPE base of global layers (every llama layer).
    public var ropeBase: Double
    /// RoPE base of sliding-window layers (Gemma 3: 10,000, not stored in the GGUF file).
    public var localRopeBase: Double
    /// How many positions (the query's own included) a sliding-window layer sees; nil: no sliding layers.
    public var slidingWindow: Int?
    /// Every `slidingPattern`-th layer (1-based) is global, the others slide (Gemma 3: 6); nil: all global.
    public var slidingPattern: Int?
    /// Multiplies QKᵀ before the softmax (Gemma 3: query_pre_attn_scalar^-½; llama: headDim^-½).
    public var attentionScale: Float
    /// The longest sequence the model was trained for.
    public var context: Int

    public init(architecture: Architecture, vocabSize: Int, dModel: Int, layers: Int, heads: Int, kvHeads: Int,
                headDim: Int, ffnWidth: Int, normEpsilon: Float, ropeBase: Double, localRopeBase: Double = 10_000,
                slidingWindow: Int? = nil, slidingPattern: Int? = nil, attentionScale: Float? = nil, context: Int) {
        precondition(vocabSize > 0 && dModel > 0 && layers > 0 && heads > 0 && kvHeads > 0 && ffnWidth > 0,
                     "DecoderConfig sizes must be positive")
        precondition(heads % kvHeads == 0, "heads \(heads) must be a multiple of kvHeads \(kvHeads)")
        precondition(headDim > 0 && headDim % 2 == 0, "headDim \(headDim) must be even for RoPE")
        (self.architecture, self.vocabSize, self.dModel) = (architecture, vocabSize, dModel)
        (self.layers, self.heads, self.kvHeads) = (layers, heads, kvHeads)
        (self.headDim, self.ffnWidth, self.normEpsilon) = (headDim, ffnWidth, normEpsilon)
        (self.ropeBase, self.localRopeBase, self.slidingWindow) = (ropeBase, localRopeBase, slidingWindow)
        (self.slidingPattern) = (slidingPattern)
        self.attentionScale = attentionScale ?? 1 / Float(headDim).squareRoot()
        self.context = context
    }

    /// Width of all query heads together, and of all key (or value) heads together.
    public var queryWidth: Int { heads * headDim }
    public var kvWidth: Int { kvHeads * headDim }

    /// Gemma 3's extras, each one switch.
    public var normalizesQueryKey: Bool { architecture == .gemma3 }
    public var normalizesSublayerOutputs: Bool { architecture == .gemma3 }
    public var gatesWithGELU: Bool { architecture == .gemma3 }
    /// √dModel rounded to Float32 first, as transformers does (its embed_scale buffer is a float32 tensor).
    public var embeddingScale: Float { architecture == .gemma3 ? Float(Double(dModel).squareRoot()) : 1 }

    /// The window of `layer`: nil when it attends to every earlier position.
    public func window(layer: Int) -> Int? {
        guard let slidingWindow, let slidingPattern else { return nil }
        return (layer + 1) % slidingPattern == 0 ? nil : slidingWindow
    }

    public func ropeBase(layer: Int) -> Double { window(layer: layer) == nil ? ropeBase : localRopeBase }

    /// Multiply-adds per token of one forward pass over a sequence of `length`, matrix products only (attention
    /// counted as full T×T products), with or without the output head.
    public func forwardMultiplyAdds(perTokenAt length: Int, headRows: Bool = true) -> Double {
        let d = Double(dModel), q = Double(queryWidth), kv = Double(kvWidth), f = Double(ffnWidth)
        let block = d * (q + 2 * kv) + q * d + 3 * d * f + 2 * Double(length) * q
        return Double(layers) * block + (headRows ? d * Double(vocabSize) : 0)
    }
}
