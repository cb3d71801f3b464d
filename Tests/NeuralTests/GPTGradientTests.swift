import Core
import Foundation
@testable import Neural
import XCTest

/// Gradients of the hand-written backward pass, checked two ways: against PyTorch autograd on the same weights and
/// batch (fixture from bench/microlm/make_fixture.py), and against central finite differences for every tensor.
final class GPTGradientTests: XCTestCase {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/gpt_gradients.safetensors")

    struct Fixture {
        var weights: GPTWeights
        var batch: TokenBatch
        var loss: Double
        var gradients: [String: [Float]]
    }

    static func loadFixture() throws -> Fixture {
        let file = try Safetensors(contentsOf: fixture)
        let raw = try JSONSerialization.jsonObject(with: Data(file.metadata["config"]!.utf8)) as! [String: Int]
        let config = GPTConfig(vocabSize: raw["vocab_size"]!, context: raw["context"]!, layers: raw["layers"]!,
                               dModel: raw["d_model"]!, heads: raw["heads"]!)
        let layout = GPTLayout(config)
        var values = [Float](repeating: 0, count: layout.count)
        var gradients: [String: [Float]] = [:]
        for entry in layout.entries {
            let w = try file.tensor("weight/" + entry.name)
            XCTAssertEqual(w.shape, entry.shape, entry.name)
            values.replaceSubrange(entry.offset..<(entry.offset + entry.count), with: w.values)
            gradients[entry.name] = try file.tensor("grad/" + entry.name).values
        }
        let tokens = try file.tensor("batch/tokens"), targets = try file.tensor("batch/targets")
        let batch = TokenBatch(batch: tokens.shape[0], length: tokens.shape[1],
                               tokens: tokens.values.map { Int32($0) }, targets: targets.values.map { Int32($0) })
        return Fixture(weights: GPTWeights(config: config, values: values), batch: batch,
                       loss: Double(file.metadata["loss"]!)!, gradients: gradients)
    }

    static func lossAndGradient(_ weights: GPTWeights, _ batch: TokenBatch, trainable: TrainableTensors = .all) -> (Double, [Float]) {
        let engine = GPTEngine(config: weights.config, maxBatch: batch.batch)
        var grad = [Float](repeating: 0, count: weights.values.count)
        let loss = weights.values.withUnsafeBufferPointer { w in
            let loss = engine.forwardLoss(w.baseAddress!, batch)
            grad.withUnsafeMutableBufferPointer { engine.backward(w.baseAddress!, $0.baseAddress!, trainable: trainable) }
            return loss
        }
        return (loss, grad)
    }

    static func loss(_ weights: GPTWeights, _ batch: TokenBatch) -> Double {
        let engine = GPTEngine(config: weights.config, maxBatch: batch.batch)
        return weights.values.withUnsafeBufferPointer { engine.forwardLoss($0.baseAddress!, batch) }
    }

    /// Float32 tolerance: every gradient entry within 1e-9 + 1e-4 · (largest |entry| of that tensor) of PyTorch's
    /// float64 value; the loss within 1e-5 relative.
    func testLossAndEveryGradientMatchPyTorch() throws {
        let f = try Self.loadFixture()
        let (loss, grad) = Self.lossAndGradient(f.weights, f.batch)
        XCTAssertEqual(loss, f.loss, accuracy: 1e-5 * f.loss)
        for entry in f.weights.layout.entries {
            let ours = grad[entry.offset..<(entry.offset + entry.count)]
            let theirs = f.gradients[entry.name]!
            let scale = theirs.map(abs).max()!
            XCTAssertGreaterThan(scale, 0, "\(entry.name) has an all-zero reference gradient")
            let worst = zip(ours, theirs).map { abs($0 - $1) }.max()!
            XCTAssertLessThanOrEqual(worst, 1e-9 + 1e-4 * scale, "\(entry.name): max error \(worst), scale \(scale)")
        }
    }

    /// Central differences along a random unit direction inside each tensor (every layer's every tensor), on the
    /// fixture's model: |FD − g·v| ≤ 2e-3 · |g|₂ + 2e-5 with ε = 1e-2. Float32 forward passes; the direction
    /// spreads the perturbation so the loss difference stays far above float rounding.
    func testFiniteDifferencesForEveryTensor() throws {
        let f = try Self.loadFixture()
        let (_, grad) = Self.lossAndGradient(f.weights, f.batch)
        var random = SeededRandom(seed: 11)
        let epsilon: Float = 1e-2
        for entry in f.weights.layout.entries {
            var direction = (0..<entry.count).map { _ in Float(random.gaussian()) }
            let norm = direction.reduce(0) { $0 + $1 * $1 }.squareRoot()
            direction = direction.map { $0 / norm }
            var plus = f.weights, minus = f.weights
            for i in 0..<entry.count {
                plus.values[entry.offset + i] += epsilon * direction[i]
                minus.values[entry.offset + i] -= epsilon * direction[i]
            }
            let numeric = (Self.loss(plus, f.batch) - Self.loss(minus, f.batch)) / Double(2 * epsilon)
            var analytic: Double = 0, gradNorm: Double = 0
            for i in 0..<entry.count {
                let g = Double(grad[entry.offset + i])
                analytic += g * Double(direction[i])
                gradNorm += g * g
            }
            XCTAssertEqual(numeric, analytic, accuracy: 2e-3 * gradNorm.squareRoot() + 2e-5,
                           "\(entry.name): finite difference \(numeric) vs analytic \(analytic)")
        }
    }

    /// A partial finetune's gradient equals the full one on the blocks it trains and is exactly zero elsewhere.
    func testPartialBackwardMatchesFullOnTrainedBlocksOnly() throws {
        let f = try Self.loadFixture()
        let (_, full) = Self.lossAndGradient(f.weights, f.batch)
        let (_, partial) = Self.lossAndGradient(f.weights, f.batch, trainable: .blocks([1]))
        for entry in f.weights.layout.entries {
            let range = entry.offset..<(entry.offset + entry.count)
            if entry.layer == 1 {
                XCTAssertEqual(Array(partial[range]), Array(full[range]), entry.name)
            } else {
                XCTAssertTrue(partial[range].allSatisfy { $0 == 0 }, "\(entry.name) is frozen but got a gradient")
            }
        }
    }

    /// Per-token NLL from the inference path equals the training loss's terms.
    func testTokenNLLAveragesToTheLoss() throws {
        let f = try Self.loadFixture()
        let engine = GPTEngine(config: f.weights.config, maxBatch: f.batch.batch)
        let nll = f.weights.values.withUnsafeBufferPointer { engine.tokenNLL($0.baseAddress!, f.batch) }
        let kept = nll.filter { !$0.isNaN }
        XCTAssertEqual(kept.count, f.batch.lossCount)
        XCTAssertEqual(kept.reduce(0) { $0 + Double($1) } / Double(kept.count), f.loss, accuracy: 1e-5 * f.loss)
    }
}
