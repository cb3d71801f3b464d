import Core
import Foundation

/// The all-MiniLM-L6-v2 sentence encoder (Sentence-BERT): WordPiece ids → BERT encoder → mean of the real tokens'
/// final hidden states → L2 normalisation, as sentence-transformers computes it, on the CPU through OpenBLAS.
///
/// ```swift
/// let encoder = try MiniLMEncoder(modelDirectory: URL(fileURLWithPath: "models/all-minilm-l6-v2"))
/// let embeddings = encoder.embed(["How do I start running?", "Name three primary colours."])
/// // embeddings.count == 2, embeddings.dimension == 384, each row has unit length
/// ```
///
/// Speed comes from three choices: texts are sorted by length and packed into batches without padding (each
/// sequence attends only to itself), every linear layer is one large `sgemm` over all tokens of a batch, and the
/// element-wise work (GELU, LayerNorm, softmax) is vectorised and split across cores.
public final class MiniLMEncoder: @unchecked Sendable {
    /// The published model these weights are (recorded with every embedding-based indicator).
    public static let modelName = "sentence-transformers/all-MiniLM-L6-v2"
    public let config: MiniLMConfig
    public let tokenizer: WordPieceTokenizer
    /// Sequences are cut to this many tokens, [CLS] and [SEP] included (sentence-transformers' `max_seq_length`).
    public let maxSequenceLength: Int
    /// SHA-256 of `model.safetensors`: the model part of every embedding-based indicator's provenance.
    /// Computed on first use (hashing 90 MB takes seconds) and then kept.
    public var weightsDigest: String {
        get throws {
            digestLock.lock()
            defer { digestLock.unlock() }
            if let digest = cachedDigest { return digest }
            let digest = try Self.fileDigest(weightsFile)
            cachedDigest = digest
            return digest
        }
    }
    private let weightsFile: URL
    private let digestLock = NSLock()
    private var cachedDigest: String?
    /// Upper bound on the tokens of one packed batch (bounds memory: about 40 KB per token).
    public var batchTokens = 8192
    let weights: MiniLMWeights

    /// Loads `config.json`, `vocab.txt` and `model.safetensors` from a sentence-transformers model folder.
    public init(modelDirectory: URL, maxSequenceLength: Int = 256) throws {
        config = try MiniLMConfig(contentsOf: modelDirectory.appendingPathComponent("config.json"))
        tokenizer = try WordPieceTokenizer(vocabularyFile: modelDirectory.appendingPathComponent("vocab.txt"))
        guard tokenizer.tokens.count == config.vocabulary else {
            throw InputError(file: modelDirectory.appendingPathComponent("vocab.txt").path,
                             "\(tokenizer.tokens.count) tokens, but config.json says vocab_size \(config.vocabulary)")
        }
        precondition(maxSequenceLength >= 2 && maxSequenceLength <= config.maxPositions)
        self.maxSequenceLength = maxSequenceLength
        weightsFile = modelDirectory.appendingPathComponent("model.safetensors")
        weights = try MiniLMWeights(file: weightsFile, config: config)
    }

    /// The embedding of every text, in input order; rows have unit L2 norm. `progress` advances by one per text
    /// (the caller finishes it, so one bar can span several calls).
    public func embed(_ texts: [String], progress: Core.Progress? = nil) -> EmbeddingMatrix {
        var ids = [[Int]](repeating: [], count: texts.count)
        ids.withUnsafeMutableBufferPointer { out in
            let out = out
            MiniLMParallel.forEach(texts.count) { i in out[i] = tokenizer.encode(texts[i], maxLength: maxSequenceLength) }
        }
        return embed(tokenIDs: ids, progress: progress)
    }

    /// The embedding of every token-id sequence (each already `[CLS] … [SEP]` and at most `maxSequenceLength` long).
    public func embed(tokenIDs: [[Int]], progress: Core.Progress? = nil) -> EmbeddingMatrix {
        for ids in tokenIDs {
            precondition(!ids.isEmpty && ids.count <= maxSequenceLength, "a sequence needs 1...\(maxSequenceLength) ids")
            precondition(ids.allSatisfy { $0 >= 0 && $0 < config.vocabulary }, "token id outside the vocabulary")
        }
        let h = config.hidden
        // The encoder splits work across cores itself; OpenBLAS's own threads would only contend with it on the
        // many small attention products. Restored afterwards (other BLAS users in the process are slowed, not wrong).
        let blasThreads = BLAS.threads
        BLAS.setThreads(1)
        defer { BLAS.setThreads(blasThreads) }
        var out = [Float](repeating: 0, count: tokenIDs.count * h)
        // Longest first (ties by index, so batches are deterministic): similar lengths share a batch.
        let order = tokenIDs.indices.sorted { (tokenIDs[$0].count, $1) > (tokenIDs[$1].count, $0) }
        var start = 0
        while start < order.count {
            var end = start, tokens = 0
            while end < order.count, end == start || tokens + tokenIDs[order[end]].count <= batchTokens {
                tokens += tokenIDs[order[end]].count
                end += 1
            }
            let batch = order[start..<end].map { tokenIDs[$0] }
            let pooled = forward(batch)
            for (row, index) in order[start..<end].enumerated() {
                out.replaceSubrange((index * h)..<((index + 1) * h), with: pooled[(row * h)..<((row + 1) * h)])
            }
            progress?.advance(by: end - start)
            start = end
        }
        return EmbeddingMatrix(count: tokenIDs.count, dimension: h, values: out)
    }

    /// SHA-256 of a file, fed in 1 MiB array chunks (much faster than iterating `Data` byte by byte).
    static func fileDigest(_ url: URL) throws -> String {
        let data = try Data(contentsOf: url, options: .alwaysMapped)
        var hasher = SHA256()
        var offset = 0
        while offset < data.count {
            let end = min(offset + (1 << 20), data.count)
            hasher.update([UInt8](data[offset..<end]))
            offset = end
        }
        return hasher.hexDigest()
    }
}

/// Splits independent work across the machine's cores.
enum MiniLMParallel {
    static let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Calls `body(i)` for every i in 0..<count, in contiguous chunks, one per worker.
    static func forEach(_ count: Int, _ body: (Int) -> Void) {
        forChunks(count, minimumChunk: 1) { range in for i in range { body(i) } }
    }

    /// Worker w gets indices w, w + workers, w + 2·workers, …
    static func forInterleaved(_ count: Int, _ body: (StrideTo<Int>) -> Void) {
        let n = min(workers, count)
        if n <= 1 { body(stride(from: 0, to: count, by: 1)); return }
        DispatchQueue.concurrentPerform(iterations: n) { w in body(stride(from: w, to: count, by: n)) }
    }

    static func forChunks(_ count: Int, minimumChunk: Int, _ body: (Range<Int>) -> Void) {
        let chunks = min(workers, max(1, count / max(1, minimumChunk)))
        if chunks <= 1 { body(0..<count); return }
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            body((c * count / chunks)..<((c + 1) * count / chunks))
        }
    }
}
