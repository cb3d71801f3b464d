import Core
import Neural

/// Low-rank adapters (Hu et al., 2021) on every attention and MLP projection of a decoder: W′ = W + (α/r)·B·A with
/// A [r × in] and B [out × r] trained and W frozen.
///
/// The engine runs on the merged weights W′ and produces ∂loss/∂W′ like a full finetune; the adapters' gradients
/// follow by the chain rule, ∂A = (α/r)·Bᵀ·∂W′ and ∂B = (α/r)·∂W′·Aᵀ. Merging costs out·in·r multiply-adds per
/// matrix and step, small beside the batch's own products, and keeps one forward/backward path for every mode.
/// A starts N(0, 1/in) and B at zero (so W′ = W at step 0), from `SeededRandom(seed, stream: "lora-init")`.
public struct LoRAAdapters: Sendable {
    public struct Target: Sendable {
        /// The projection's tensor name (`blk.3.attn_q.weight`) and offset in the decoder's layout.
        public var name: String
        public var weightOffset: Int
        public var rows: Int, columns: Int
        /// Offsets of A and B in the adapters' flat buffer.
        public var a: Int, b: Int
    }

    /// The projections that get adapters.
    public static let projections = ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"]

    public let rank: Int
    public let alpha: Float
    public let targets: [Target]
    public let count: Int
    public var values: [Float]
    public var scale: Float { alpha / Float(rank) }

    public init(layout: DecoderLayout, rank: Int, alpha: Float, seed: UInt64) {
        precondition(rank > 0, "LoRA rank must be positive")
        self.rank = rank
        self.alpha = alpha
        var targets: [Target] = [], offset = 0
        for l in 0..<layout.config.layers {
            for projection in Self.projections {
                let entry = layout.entry("blk.\(l).\(projection).weight")!
                let rows = entry.shape[0], columns = entry.shape[1]
                targets.append(Target(name: entry.name, weightOffset: entry.offset, rows: rows, columns: columns,
                                      a: offset, b: offset + rank * columns))
                offset += rank * (rows + columns)
            }
        }
        self.targets = targets
        count = offset
        var values = [Float](repeating: 0, count: offset)
        var random = SeededRandom(seed: seed, stream: "lora-init")
        for target in targets {
            let std = 1 / Double(target.columns).squareRoot()
            for i in 0..<(rank * target.columns) { values[target.a + i] = Float(random.gaussian() * std) }
        }
        self.values = values
    }

    /// Every adapter tensor decays (they are matrices), as MicroLM's matrices do.
    public var optimizerRanges: [(offset: Int, count: Int, decays: Bool)] {
        targets.flatMap { [($0.a, rank * $0.columns, true), ($0.b, $0.rows * rank, true)] }
    }

    /// merged ← base, then W′ = W + scale·B·A for every target.
    public func merge(base: UnsafePointer<Float>, into merged: UnsafeMutablePointer<Float>, count total: Int) {
        merged.update(from: base, count: total)
        values.withUnsafeBufferPointer { p in
            let v = p.baseAddress!
            for t in targets {
                BLAS.gemm(false, false, t.rows, t.columns, rank, scale, v + t.b, rank, v + t.a, t.columns, 1,
                          merged + t.weightOffset, t.columns)
            }
        }
    }

    /// The adapters' gradient from the merged weights' gradient `dW` (overwrites `grad`).
    public func gradient(from dW: UnsafePointer<Float>, into grad: UnsafeMutablePointer<Float>) {
        values.withUnsafeBufferPointer { p in
            let v = p.baseAddress!
            for t in targets {
                let g = dW + t.weightOffset
                // dA [r × in] = scale · Bᵀ [r × out] · dW [out × in]; dB [out × r] = scale · dW · Aᵀ.
                BLAS.gemm(true, false, rank, t.columns, t.rows, scale, v + t.b, rank, g, t.columns, 0, grad + t.a, t.columns)
                BLAS.gemm(false, true, t.rows, rank, t.columns, scale, g, t.columns, v + t.a, t.columns, 0, grad + t.b, rank)
            }
        }
    }
}
