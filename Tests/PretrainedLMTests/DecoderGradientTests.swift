import Foundation
import Neural
@testable import PretrainedLM
import XCTest

/// The decoders' forward and backward passes against PyTorch autograd (float64 reference from the same float32
/// weights) on tiny random llama and gemma3 models: 2 layers, grouped-query attention, and for gemma3 a sliding
/// window of 4 on a 12-token batch, q/k norms, post norms and an attention scale of 24^-½.
final class DecoderGradientTests: XCTestCase {
    static func lossAndGradient(_ f: TinyDecoderFixture, trainable: TrainableTensors = .all) -> (Double, [Float]) {
        let engine = DecoderEngine(config: f.weights.config, maxBatch: f.batch.batch, maxLength: f.batch.length, headChunk: 5)
        var grad = [Float](repeating: 0, count: f.weights.values.count)
        let loss = f.weights.values.withUnsafeBufferPointer { w in
            grad.withUnsafeMutableBufferPointer { engine.lossAndGradient(w.baseAddress!, $0.baseAddress!, f.batch, trainable: trainable) }
        }
        return (loss, grad)
    }

    /// Every logit of both sequences within 1e-5 of the largest |logit| (relative error as `relativeError`).
    func checkLogits(_ name: String) throws {
        let f = try TinyDecoderFixture.load(name)
        let engine = DecoderEngine(config: f.weights.config, maxBatch: 1, maxLength: f.batch.length)
        let v = f.weights.config.vocabSize, t = f.batch.length
        for b in 0..<f.batch.batch {
            let ours = f.weights.values.withUnsafeBufferPointer {
                engine.logits($0.baseAddress!, tokens: Array(f.batch.tokens[(b * t)..<((b + 1) * t)]))
            }
            let error = TinyDecoderFixture.relativeError(ours, Array(f.logits[(b * t * v)..<((b + 1) * t * v)]))
            XCTAssertLessThan(error, 1e-5, "\(name) sequence \(b)")
        }
    }

    /// Loss within 1e-5 relative; each tensor's gradient within 1e-4 of its largest |entry|.
    func checkGradients(_ name: String) throws {
        let f = try TinyDecoderFixture.load(name)
        let (loss, grad) = Self.lossAndGradient(f)
        XCTAssertEqual(loss, f.loss, accuracy: 1e-5 * f.loss, name)
        var worst: Float = 0
        for entry in f.weights.layout.entries {
            let theirs = f.gradients[entry.name]!
            XCTAssertGreaterThan(theirs.map(abs).max()!, 0, "\(entry.name) has an all-zero reference gradient")
            let error = TinyDecoderFixture.relativeError(grad[entry.offset..<(entry.offset + entry.count)], theirs)
            worst = max(worst, error)
            XCTAssertLessThan(error, 1e-4, "\(name) \(entry.name)")
        }
        print("\(name): loss \(loss) vs \(f.loss); worst gradient relative error \(worst)")
    }

    func testLlamaLogitsMatchTransformers() throws { try checkLogits("llama") }
    func testGemma3LogitsMatchTransformers() throws { try checkLogits("gemma3") }
    func testLlamaGradientsMatchAutograd() throws { try checkGradients("llama") }
    func testGemma3GradientsMatchAutograd() throws { try checkGradients("gemma3") }
}
