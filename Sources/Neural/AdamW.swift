/// AdamW (Loshchilov & Hutter) over a flat parameter buffer, with global-norm gradient clipping.
///
/// Decoupled weight decay applies to matrices and embeddings only (`GPTLayout.Entry.decays`), never to biases or
/// LayerNorm parameters. Frozen tensors (see `TrainableTensors`) are skipped entirely, moments included.
public struct AdamWSettings: Codable, Hashable, Sendable {
    public var beta1: Float = 0.9
    public var beta2: Float = 0.95
    public var epsilon: Float = 1e-8
    public var weightDecay: Float = 0.1
    /// Gradients are rescaled so their global L2 norm is at most this (nil: no clipping).
    public var clipNorm: Float? = 1.0

    public init() {}
}

public struct AdamW {
    public let settings: AdamWSettings
    private var m: [Float]
    private var v: [Float]
    public private(set) var steps = 0
    /// (offset, count, decays) of each tensor that trains.
    private let ranges: [(offset: Int, count: Int, decays: Bool)]

    public init(layout: GPTLayout, trainable: TrainableTensors, settings: AdamWSettings = AdamWSettings()) {
        self.init(count: layout.count, ranges: layout.entries.filter { trainable.trains($0) }.map { ($0.offset, $0.count, $0.decays) },
                  settings: settings)
    }

    /// An optimiser over a flat buffer of `count` values of which only `ranges` train, for models laid out by
    /// something other than `GPTLayout` (the pretrained decoders, LoRA adapters).
    public init(count: Int, ranges: [(offset: Int, count: Int, decays: Bool)], settings: AdamWSettings = AdamWSettings()) {
        self.settings = settings
        m = [Float](repeating: 0, count: count)
        v = [Float](repeating: 0, count: count)
        self.ranges = ranges
    }

    /// One update at learning rate `rate`. Returns the gradient's global norm before clipping.
    @discardableResult
    public mutating func update(_ weights: UnsafeMutablePointer<Float>, _ grad: UnsafePointer<Float>, rate: Float) -> Float {
        var sumSquares: Double = 0
        for range in ranges {
            var partial: Float = 0
            for i in range.offset..<(range.offset + range.count) { partial += grad[i] * grad[i] }
            sumSquares += Double(partial)
        }
        let norm = Float(sumSquares.squareRoot())
        var clip: Float = 1
        if let limit = settings.clipNorm, norm > limit { clip = limit / norm }
        steps += 1
        let b1 = settings.beta1, b2 = settings.beta2
        let correction1 = 1 - powf(b1, Float(steps)), correction2 = 1 - powf(b2, Float(steps))
        let stepSize = rate / correction1, invSqrtCorrection2 = 1 / correction2.squareRoot()
        let eps = settings.epsilon
        m.withUnsafeMutableBufferPointer { mb in
            v.withUnsafeMutableBufferPointer { vb in
                let m = mb.baseAddress!, v = vb.baseAddress!
                for range in ranges {
                    let decay = range.decays ? 1 - rate * settings.weightDecay : 1
                    for i in range.offset..<(range.offset + range.count) {
                        let g = grad[i] * clip
                        m[i] = b1 * m[i] + (1 - b1) * g
                        v[i] = b2 * v[i] + (1 - b2) * g * g
                        weights[i] = weights[i] * decay - stepSize * m[i] / ((v[i]).squareRoot() * invSqrtCorrection2 + eps)
                    }
                }
            }
        }
        return norm
    }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
