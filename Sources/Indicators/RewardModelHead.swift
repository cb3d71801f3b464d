import CBLAS
import Core
import Foundation

/// The trainable part of a ``RewardModel``: r(x) = w₂ · ReLU(W₁x + b₁) + b₂ on the pair features x (or w · x + b
/// when `hidden` is 0), fitted by mini-batch Adam on the Bradley–Terry loss −log σ(r(chosen) − r(rejected)).
///
/// Parameters live in one flat array, `[W₁ (hidden × inputs, row-major), b₁, w₂, b₂]` (linear: `[w, b]`), so that
/// the optimiser and the serialised form are simple; b₂ never changes because it cancels in every difference.
public struct RewardHead: Codable, Equatable, Sendable {
    public var inputs: Int
    public var hidden: Int
    public var parameters: [Double]
    /// How raw features are standardised before the head reads them; nil: read as they are (and not stored).
    public var standardization: Standardization?

    /// Per-dimension mean and standard deviation of the training features: x ↦ (x − mean) / sd.
    public struct Standardization: Codable, Equatable, Sendable {
        public var mean: [Double]
        public var standardDeviation: [Double]

        /// The statistics of `rows`; a constant dimension gets sd 1 (it is only shifted).
        init(_ rows: [[Double]]) {
            let n = Double(rows.count), width = rows[0].count
            mean = (0..<width).map { j in rows.reduce(0) { $0 + $1[j] } / n }
            standardDeviation = (0..<width).map { [mean] j in
                let variance = rows.reduce(0) { $0 + ($1[j] - mean[j]) * ($1[j] - mean[j]) } / n
                return variance > 0 ? variance.squareRoot() : 1
            }
        }

        func apply(_ x: [Double]) -> [Double] { x.indices.map { (x[$0] - mean[$0]) / standardDeviation[$0] } }
    }

    /// The head's input for one (prompt, response): [p, r, p ⊙ r].
    public static func features(prompt: ArraySlice<Float>, response: ArraySlice<Float>) -> [Double] {
        let p = prompt.map(Double.init), r = response.map(Double.init)
        return p + r + zip(p, r).map { $0 * $1 }
    }

    init(inputs: Int, hidden: Int, seed: UInt64) {
        self.inputs = inputs
        self.hidden = hidden
        var random = SeededRandom(seed: seed, stream: "reward-head-init")
        if hidden == 0 {
            parameters = [Double](repeating: 0, count: inputs + 1)
        } else {
            // He initialisation for the ReLU layer, a small output layer.
            let w1 = (0..<(hidden * inputs)).map { _ in random.gaussian() * (2 / Double(inputs)).squareRoot() }
            let w2 = (0..<hidden).map { _ in random.gaussian() * (1 / Double(hidden)).squareRoot() }
            parameters = w1 + [Double](repeating: 0, count: hidden) + w2 + [0]
        }
    }

    /// The reward of one feature vector.
    public func reward(_ x: [Double]) -> Double {
        var out = [0.0]
        forward(standardization?.apply(x) ?? x, rows: 1, rewards: &out, activations: nil)
        return out[0]
    }

    /// Share of pairs where the chosen side scores higher; ties count half.
    func accuracy(_ pairs: [(chosen: [Double], rejected: [Double])]) -> Double {
        let wins = pairs.reduce(0.0) { total, pair in
            let d = reward(pair.chosen) - reward(pair.rejected)
            return total + (d > 0 ? 1 : d == 0 ? 0.5 : 0)
        }
        return wins / Double(pairs.count)
    }

    /// rewards[i] = r(row i of x); `activations` (rows × hidden) keeps ReLU(W₁x + b₁) for the backward pass.
    func forward(_ x: [Double], rows: Int, rewards: inout [Double], activations: UnsafeMutablePointer<Double>?) {
        let n = inputs
        if hidden == 0 {
            for i in 0..<rows { rewards[i] = parameters[n] + (0..<n).reduce(0.0) { $0 + parameters[$1] * x[i * n + $1] } }
            return
        }
        let h = hidden, b1 = h * n, w2 = b1 + h
        let a = activations ?? UnsafeMutablePointer<Double>.allocate(capacity: rows * h)
        defer { if activations == nil { a.deallocate() } }
        for i in 0..<rows { for j in 0..<h { a[i * h + j] = parameters[b1 + j] } }
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(h), Int32(n), 1, x, Int32(n),
                    parameters, Int32(n), 1, a, Int32(h))
        for i in 0..<rows {
            var r = parameters[w2 + h]
            for j in 0..<h { a[i * h + j] = max(0, a[i * h + j]); r += parameters[w2 + j] * a[i * h + j] }
            rewards[i] = r
        }
    }

    /// Mean Bradley–Terry loss of a batch (rows 2k: chosen, 2k+1: rejected) plus the L2 penalty, and its gradient.
    func lossAndGradient(_ x: [Double], pairs: Int, weightDecay: Double) -> (loss: Double, gradient: [Double]) {
        let n = inputs, h = hidden, rows = 2 * pairs
        var rewards = [Double](repeating: 0, count: rows)
        var gradient = [Double](repeating: 0, count: parameters.count)
        let a = UnsafeMutablePointer<Double>.allocate(capacity: max(1, rows * h))
        defer { a.deallocate() }
        forward(x, rows: rows, rewards: &rewards, activations: h == 0 ? nil : a)
        // dL/dr for every row: the chosen row gets σ(s) − 1, the rejected row its negative.
        var loss = 0.0
        var dr = [Double](repeating: 0, count: rows)
        for k in 0..<pairs {
            let s = rewards[2 * k] - rewards[2 * k + 1]
            loss += s > 0 ? Foundation.log1p(Foundation.exp(-s)) : -s + Foundation.log1p(Foundation.exp(s))
            let g = (1 / (1 + Foundation.exp(-s)) - 1) / Double(pairs)
            dr[2 * k] = g
            dr[2 * k + 1] = -g
        }
        loss /= Double(pairs)
        if h == 0 {
            for i in 0..<rows { for j in 0..<n { gradient[j] += dr[i] * x[i * n + j] } }
        } else {
            let b1 = h * n, w2 = b1 + h
            var da = [Double](repeating: 0, count: rows * h)
            for i in 0..<rows {
                for j in 0..<h {
                    gradient[w2 + j] += dr[i] * a[i * h + j]
                    if a[i * h + j] > 0 { da[i * h + j] = dr[i] * parameters[w2 + j]; gradient[b1 + j] += da[i * h + j] }
                }
            }
            // dW₁ = daᵀ · x
            gradient.withUnsafeMutableBufferPointer { g in
                cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(h), Int32(n), Int32(rows), 1, da, Int32(h),
                            x, Int32(n), 0, g.baseAddress!, Int32(n))
            }
        }
        let penalised = h == 0 ? [0..<n] : [0..<(h * n), (h * n + h)..<(h * n + 2 * h)]  // weights, not biases
        for range in penalised {
            for j in range {
                loss += weightDecay * parameters[j] * parameters[j]
                gradient[j] += 2 * weightDecay * parameters[j]
            }
        }
        return (loss, gradient)
    }

    /// Mini-batch Adam over seeded shuffles of the training pairs.
    static func fit(_ pairs: [(chosen: [Double], rejected: [Double])], settings: RewardModelSettings) -> RewardHead {
        var head = RewardHead(inputs: pairs[0].chosen.count, hidden: settings.hidden, seed: settings.seed)
        var random = SeededRandom(seed: settings.seed, stream: "reward-head-batches")
        var m = [Double](repeating: 0, count: head.parameters.count), v = m
        let beta1 = 0.9, beta2 = 0.999
        var step = 0
        var order = Array(pairs.indices)
        KNNSearch.withSingleThreadedBLAS {
            for _ in 0..<settings.epochs {
                random.shuffle(&order)
                for start in stride(from: 0, to: order.count, by: settings.batchSize) {
                    let batch = order[start..<min(order.count, start + settings.batchSize)]
                    let x = batch.flatMap { pairs[$0].chosen + pairs[$0].rejected }
                    let g = head.lossAndGradient(x, pairs: batch.count, weightDecay: settings.weightDecay).gradient
                    step += 1
                    let c1 = 1 - Foundation.pow(beta1, Double(step)), c2 = 1 - Foundation.pow(beta2, Double(step))
                    for j in head.parameters.indices {
                        m[j] = beta1 * m[j] + (1 - beta1) * g[j]
                        v[j] = beta2 * v[j] + (1 - beta2) * g[j] * g[j]
                        head.parameters[j] -= settings.learningRate * (m[j] / c1) / ((v[j] / c2).squareRoot() + 1e-8)
                    }
                }
            }
        }
        return head
    }
}
