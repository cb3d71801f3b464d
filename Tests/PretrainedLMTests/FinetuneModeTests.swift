import Core
import Foundation
import Neural
@testable import PretrainedLM
import XCTest

/// LoRA and last-N-blocks gradients against PyTorch autograd, the trunk cache, and bit-for-bit reproducible
/// finetunes in every mode and at every BLAS thread count.
final class FinetuneModeTests: XCTestCase {
    static func sequences(_ batch: TokenBatch) -> [DecoderTrainingRun.Sequence] {
        (0..<batch.batch).map { b in
            let span = (b * batch.length)..<((b + 1) * batch.length)
            return (Array(batch.tokens[span]), Array(batch.targets[span]))
        }
    }

    static let schedule = LearningRateSchedule(peak: 1e-3, totalSteps: 10)

    /// The adapters' gradient (PyTorch: W + (α/r)·B·A through torch.func.functional_call) within 1e-4 of each
    /// tensor's largest |entry|; loss within 1e-5 relative.
    func testLoRAGradientsMatchAutograd() throws {
        let f = try TinyDecoderFixture.load("llama")
        let rank = Int(f.file.metadata["lora_rank"]!)!, alpha = Double(f.file.metadata["lora_alpha"]!)!
        let run = try DecoderTrainingRun(base: f.weights, mode: .lora(rank: rank, alpha: alpha), maxBatch: 2,
                                         maxLength: f.batch.length, schedule: Self.schedule)
        var adapters = run.adapters!
        var expected = [Float](repeating: 0, count: adapters.count)
        for t in adapters.targets {
            let name = "lora/" + DecoderWeights.huggingFaceName(t.name, architecture: .llama)
            adapters.values.replaceSubrange(t.a..<(t.a + rank * t.columns), with: try f.file.tensor(name + ".A").values)
            adapters.values.replaceSubrange(t.b..<(t.b + t.rows * rank), with: try f.file.tensor(name + ".B").values)
            expected.replaceSubrange(t.a..<(t.a + rank * t.columns), with: try f.file.tensor("lora_grad/" + name.dropFirst(5) + ".A").values)
            expected.replaceSubrange(t.b..<(t.b + t.rows * rank), with: try f.file.tensor("lora_grad/" + name.dropFirst(5) + ".B").values)
        }
        run.adapters = adapters
        let (loss, grad) = try run.lossAndGradient(Self.sequences(f.batch))
        let reference = Double(f.file.metadata["lora_loss"]!)!
        XCTAssertEqual(loss, reference, accuracy: 1e-5 * reference)
        var worst: Float = 0
        for t in adapters.targets {
            for (offset, count) in [(t.a, rank * t.columns), (t.b, t.rows * rank)] {
                let error = TinyDecoderFixture.relativeError(grad[offset..<(offset + count)], Array(expected[offset..<(offset + count)]))
                worst = max(worst, error)
                XCTAssertLessThan(error, 1e-4, t.name)
            }
        }
        print("LoRA: loss \(loss) vs \(reference); worst adapter gradient relative error \(worst)")
    }

    /// Training the top block only from cached trunk states gives the full model's loss and that block's
    /// gradients (the same fixture as the full check), and each sequence's trunk is computed once.
    func testLastBlockGradientsMatchAutogradAndTrunkIsCachedOnce() throws {
        for name in ["llama", "gemma3"] {
            let f = try TinyDecoderFixture.load(name)
            let cache = try TrunkCache()
            let run = try DecoderTrainingRun(base: f.weights, mode: .lastBlocks(1), maxBatch: 2, maxLength: f.batch.length,
                                             schedule: Self.schedule, trunkCache: cache)
            let (loss, grad) = try run.lossAndGradient(Self.sequences(f.batch))
            XCTAssertEqual(loss, f.loss, accuracy: 1e-5 * f.loss, name)
            var worst: Float = 0
            for entry in f.weights.layout.entries {
                let ours = grad[entry.offset..<(entry.offset + entry.count)]
                if entry.layer == 1 {
                    let error = TinyDecoderFixture.relativeError(ours, f.gradients[entry.name]!)
                    worst = max(worst, error)
                    XCTAssertLessThan(error, 1e-4, "\(name) \(entry.name)")
                } else {
                    XCTAssertTrue(ours.allSatisfy { $0 == 0 }, "\(name) \(entry.name) is frozen but got a gradient")
                }
            }
            XCTAssertEqual(cache.computed, 2)
            _ = try run.lossAndGradient(Self.sequences(f.batch))
            XCTAssertEqual(cache.computed, 2, "the second pass recomputed trunk states")
            print("\(name) last block: worst gradient relative error \(worst)")
        }
    }

    /// A random llama big enough for OpenBLAS to split its products across threads.
    static func randomModel() -> DecoderWeights {
        let config = DecoderConfig(architecture: .llama, vocabSize: 300, dModel: 64, layers: 2, heads: 4, kvHeads: 2,
                                   headDim: 16, ffnWidth: 128, normEpsilon: 1e-5, ropeBase: 10_000, context: 128)
        return DecoderWeights(config: config, seed: 5)
    }

    static func randomSequences(count: Int, vocab: Int) -> [DecoderTrainingRun.Sequence] {
        var random = SeededRandom(seed: 9, stream: "test-sequences")
        return (0..<count).map { i in
            let length = 40 + 7 * i
            let tokens = (0..<length).map { _ in Int32(random.next() % UInt64(vocab)) }
            var targets = Array(tokens.dropFirst()) + [-1]
            for j in 0..<(length / 3) { targets[j] = -1 }
            return (tokens, targets)
        }
    }

    func finetune(_ mode: FinetuneMode, threads: Int) throws -> (losses: [Double], digest: String) {
        BLAS.setThreads(threads)
        let sequences = Self.randomSequences(count: 8, vocab: 300)
        let run = try DecoderTrainingRun(base: Self.randomModel(), mode: mode, maxBatch: 4, maxLength: 128,
                                         schedule: Self.schedule, seed: 3)
        var losses: [Double] = []
        for step in 0..<3 { losses.append(try run.step(Array(sequences[(step % 2 * 4)..<(step % 2 * 4 + 4)]))) }
        return (losses, run.checkpointDigest())
    }

    /// Same data and seed → the same losses and checkpoint digest, bit for bit, on one and on two BLAS threads;
    /// and training does lower the loss.
    func testEveryModeIsReproducibleAtAnyThreadCount() throws {
        let threads = BLAS.threads
        defer { BLAS.setThreads(threads) }
        for mode in [FinetuneMode.full, .lora(rank: 4, alpha: 8), .lastBlocks(1)] {
            let one = try finetune(mode, threads: 1), again = try finetune(mode, threads: 1), two = try finetune(mode, threads: 2)
            XCTAssertEqual(one.losses, again.losses, "\(mode)")
            XCTAssertEqual(one.digest, again.digest, "\(mode)")
            XCTAssertEqual(one.losses, two.losses, "\(mode) differs between 1 and 2 threads")
            XCTAssertEqual(one.digest, two.digest, "\(mode) differs between 1 and 2 threads")
            XCTAssertLessThan(one.losses[2], one.losses[0], "\(mode) did not learn: \(one.losses)")
        }
    }
}
