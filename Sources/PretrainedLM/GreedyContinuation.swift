import Neural

extension PretrainedModel {
    /// The `count` most likely next tokens of `prompt`, one at a time (greedy decoding), stopping early after the
    /// end-of-sequence token or a control token such as `<end_of_turn>` (which is included). Each step reruns the
    /// whole sequence (no key/value cache): meant for a short look at what a model says, not for serving.
    public func greedyContinuation(of prompt: [Int32], count: Int) -> [Int32] {
        precondition(!prompt.isEmpty, "greedy decoding needs at least one prompt token")
        let length = min(weights.config.context, prompt.count + count)
        let engine = DecoderEngine(config: weights.config, maxBatch: 1, maxLength: length)
        var sequence = prompt, produced: [Int32] = []
        let vocabulary = tokenizer.vocabulary
        weights.values.withUnsafeBufferPointer { w in
            while produced.count < count && sequence.count < length {
                let logits = engine.lastLogits(w.baseAddress!, tokens: sequence)
                var best = 0
                for i in 1..<logits.count where logits[i] > logits[best] { best = i }
                let token = Int32(best)
                sequence.append(token)
                produced.append(token)
                if token == vocabulary.eos || vocabulary.kinds[best] == .control { break }
            }
        }
        return produced
    }
}
