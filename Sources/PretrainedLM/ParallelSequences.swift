import Core
import Foundation
import Neural

extension DecoderWeights {
    /// `read(engine, weights, sequence)` for every sequence, in input order, each on one of `workers` threads with
    /// its own engine (sized for the longest sequence). OpenBLAS runs on one thread meanwhile (restored after), so
    /// the results do not depend on the core count; `progress` advances by one per sequence.
    func eachSequence<T>(_ sequences: [[Int32]], workers: Int, progress: Core.Progress? = nil,
                         _ read: (DecoderEngine, UnsafePointer<Float>, [Int32]) -> T) -> [T] {
        var results = [T?](repeating: nil, count: sequences.count)
        guard !sequences.isEmpty else { return [] }
        let threads = BLAS.threads
        BLAS.setThreads(1)
        defer { BLAS.setThreads(threads) }
        let workers = min(max(1, workers), sequences.count), longest = sequences.map(\.count).max()!
        results.withUnsafeMutableBufferPointer { out in
            let out = out
            values.withUnsafeBufferPointer { w in
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    let engine = DecoderEngine(config: config, maxBatch: 1, maxLength: longest)
                    for index in stride(from: worker, to: sequences.count, by: workers) {
                        out[index] = read(engine, w.baseAddress!, sequences[index])
                        progress?.advance()
                    }
                }
            }
        }
        return results.map { $0! }
    }
}
