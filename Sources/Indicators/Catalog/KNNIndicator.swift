/// KNN-i: the cosine distance, in all-MiniLM-L6-v2 space, from an example to its i-th nearest neighbour in the
/// reference pool (exact search; a reference example's neighbours are the other reference examples).
public struct KNNIndicator: Indicator {
    /// Which neighbour (InstructMining: 6).
    public let i: Int
    public var name: String { "knn\(i)" }
    public let needs: Set<IndicatorNeed> = [.embeddings]
    public init(i: Int) { self.i = i }

    public func compute(_ inputs: IndicatorInputs) throws -> IndicatorColumn {
        let embeddings = try inputs.required(inputs.embeddings, .embeddings, by: name)
        let count = embeddings.matrix.count, referenceCount = embeddings.referenceCount
        let reference = embeddings.matrix.rows(Array(0..<referenceCount))
        var distances = try KNNSearch.ithNeighbours(of: reference, i: i).distances
        if referenceCount < count {
            let queries = embeddings.matrix.rows(Array(referenceCount..<count))
            distances += try KNNSearch.ithNeighbours(queries: queries, pool: reference, i: i).distances
        }
        let variant = IndicatorVariant(name: "knn", parameters: ["i": "\(i)", "metric": "cosine", "max_tokens": "\(embeddings.maxTokens)"],
                                       textField: .instructionInputResponse, tokenizer: "wordpiece:all-minilm-l6-v2",
                                       modelHash: embeddings.encoderDigest, referencePool: embeddings.referencePool)
        return IndicatorColumn(variant: variant, description: "cosine distance to the \(i)th nearest \(embeddings.referenceLabel) example (MiniLM)",
                               values: distances.map(Double.init))
    }
}
