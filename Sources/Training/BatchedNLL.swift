import Foundation
import Neural

/// Summed NLL per sequence, computed in length-sorted batches shared out among workers: the loop both response
/// scorers (MicroLM's and the pretrained decoders') run around their engines.
///
/// Sequences are sorted by length before batching so padding stays small; results come back in input order. Each
/// worker makes its own scorer with `makeScorer` (an engine and what it needs) and batches are interleaved among
/// workers; a batch's result does not depend on which worker ran it, so results are the same for every worker count.
enum BatchedNLL {
    typealias Sequence = (tokens: [Int32], targets: [Int32])

    static func sums(_ sequences: [Sequence], batchSize: Int, workers: Int, pad: Int32,
                     makeScorer: () -> (TokenBatch) -> [Float]) -> [(total: Double, count: Int)] {
        var results = [(total: Double, count: Int)](repeating: (0, 0), count: sequences.count)
        guard !sequences.isEmpty else { return results }
        let order = sequences.indices.sorted { (sequences[$0].tokens.count, $0) < (sequences[$1].tokens.count, $1) }
        let starts = Array(stride(from: 0, to: order.count, by: batchSize))
        let workers = min(max(1, workers), starts.count)
        results.withUnsafeMutableBufferPointer { out in
            let resultsPointer = out.baseAddress!
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let score = makeScorer()
                // Batches are sorted by length, so interleaving them balances the workers.
                for start in stride(from: worker, to: starts.count, by: workers).map({ starts[$0] }) {
                    let members = Array(order[start..<min(order.count, start + batchSize)])
                    let batch = TokenBatch(sequences: members.map { sequences[$0] }, pad: pad)
                    let nll = score(batch)
                    for (b, index) in members.enumerated() {
                        var total: Double = 0, count = 0
                        for t in 0..<batch.length where batch.targets[b * batch.length + t] >= 0 {
                            total += Double(nll[b * batch.length + t])
                            count += 1
                        }
                        resultsPointer[index] = (total, count)
                    }
                }
            }
        }
        return results
    }
}
