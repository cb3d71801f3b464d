import Foundation

/// Data-parallel gradients with a fixed shard count: each shard computes the gradient of its own mean loss into
/// its own buffer, side by side, and the buffers are added in shard order weighted by their loss positions, which
/// gives the whole batch's mean-loss gradient up to float rounding. The result depends on the shard count and
/// never on how many cores ran the shards.
public enum ShardedGradient {
    /// Runs `shard(s, weights, gradient)` for every shard with loss positions (`counts[s]` > 0) on a zeroed buffer
    /// of `buffers`, then overwrites `gradient` with their weighted sum. Returns the batch's mean loss (0 when no
    /// position carries one).
    public static func compute(counts: [Int], weights: [Float], buffers: inout [[Float]], into gradient: inout [Float],
                               shard: @Sendable (Int, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Double) -> Double {
        precondition(buffers.count >= counts.count, "one gradient buffer per shard")
        let total = counts.reduce(0, +)
        var losses = [Double](repeating: 0, count: counts.count)
        weights.withUnsafeBufferPointer { w in
            let weightsPointer = w.baseAddress!
            buffers.withUnsafeMutableBufferPointer { gradients in
                let gradientBuffers = gradients.baseAddress!
                losses.withUnsafeMutableBufferPointer { lossBuffer in
                    let lossPointer = lossBuffer.baseAddress!
                    DispatchQueue.concurrentPerform(iterations: counts.count) { s in
                        gradientBuffers[s].withUnsafeMutableBufferPointer { g in
                            g.update(repeating: 0)
                            guard counts[s] > 0 else { return }
                            lossPointer[s] = shard(s, weightsPointer, g.baseAddress!)
                        }
                    }
                }
            }
        }
        gradient.withUnsafeMutableBufferPointer { g in
            g.update(repeating: 0)
            guard total > 0 else { return }
            for s in counts.indices where counts[s] > 0 {
                let weight = Float(counts[s]) / Float(total)
                buffers[s].withUnsafeBufferPointer { part in
                    for i in 0..<g.count { g[i] += weight * part[i] }
                }
            }
        }
        guard total > 0 else { return 0 }
        return zip(losses, counts).reduce(0) { $0 + $1.0 * Double($1.1) } / Double(total)
    }
}
