import Foundation

extension IndicatorInputs.Tokens {
    /// The token count of every text, in order, split across the machine's cores: counting is independent per text,
    /// and a byte-pair tokenizer's merges are the slowest part of the length indicators.
    func counts(_ texts: [String]) -> [Int] {
        var out = [Int](repeating: 0, count: texts.count)
        let workers = min(texts.count, ProcessInfo.processInfo.activeProcessorCount)
        guard workers > 1 else { return texts.map(count) }
        out.withUnsafeMutableBufferPointer { buffer in
            let buffer = buffer
            // Interleaved, so long and short texts spread evenly over the workers.
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for i in stride(from: worker, to: texts.count, by: workers) { buffer[i] = count(texts[i]) }
            }
        }
        return out
    }
}
