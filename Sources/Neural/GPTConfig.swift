/// The shape of a MicroLM: a GPT-2-style decoder-only transformer.
///
/// Token and position embeddings feed `layers` pre-norm blocks (LayerNorm → causal multi-head self-attention →
/// residual, LayerNorm → GELU MLP of width 4·dModel → residual), then a final LayerNorm. The output head is tied
/// to the token embedding (logits = h · wteᵀ), which halves the parameters a small vocabulary model spends on
/// embeddings. GELU is the tanh approximation (PyTorch's `approximate="tanh"`), LayerNorm's epsilon is 1e-5.
public struct GPTConfig: Codable, Hashable, Sendable {
    public var vocabSize: Int
    /// The longest sequence (and the number of learned positions).
    public var context: Int
    public var layers: Int
    public var dModel: Int
    public var heads: Int

    public init(vocabSize: Int, context: Int, layers: Int, dModel: Int, heads: Int) {
        precondition(vocabSize > 0 && context > 0 && layers > 0 && heads > 0, "GPTConfig sizes must be positive")
        precondition(dModel % heads == 0, "dModel \(dModel) must be a multiple of heads \(heads)")
        (self.vocabSize, self.context, self.layers) = (vocabSize, context, layers)
        (self.dModel, self.heads) = (dModel, heads)
    }

    public var headDim: Int { dModel / heads }
    public var mlpWidth: Int { 4 * dModel }
    public static let layerNormEpsilon: Float = 1e-5

    /// Multiply-adds per token for one forward pass over a sequence of `length`, counting the matrix products
    /// only (the usual model-FLOP convention: training ≈ 3 × forward, FLOPs = 2 × multiply-adds). Attention counts
    /// the full T×T products, the usual convention (the kernels skip about a quarter of them, see attention).
    public func forwardMultiplyAdds(perTokenAt length: Int, headRows: Bool = true) -> Double {
        let d = Double(dModel), f = Double(mlpWidth), t = Double(length)
        let block = d * 3 * d + d * d + 2 * d * f + 2 * t * d
        return Double(layers) * block + (headRows ? d * Double(vocabSize) : 0)
    }
}
