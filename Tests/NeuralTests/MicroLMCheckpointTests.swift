import Core
import Foundation
@testable import Neural
import XCTest

final class MicroLMCheckpointTests: XCTestCase {
    func testRoundTripDigestAndErrors() throws {
        let tokenizer = BytePairTokenizer.train(on: ["the cat sat on the mat, the end"], vocabularySize: 270)
        let config = GPTConfig(vocabSize: tokenizer.vocabularySize, context: 16, layers: 2, dModel: 16, heads: 2)
        let checkpoint = MicroLMCheckpoint(weights: GPTWeights(config: config, seed: 3), tokenizer: tokenizer, info: ["note": "test"])
        let bytes = try checkpoint.serialized()
        XCTAssertEqual(try checkpoint.digest(), SHA256.hex(bytes))
        XCTAssertEqual(try checkpoint.serialized(), bytes, "serialisation is deterministic")
        let back = try MicroLMCheckpoint(data: bytes)
        XCTAssertEqual(back.weights, checkpoint.weights)
        XCTAssertEqual(back.tokenizer, tokenizer)
        XCTAssertEqual(back.info, ["note": "test"])

        var plain = try Safetensors(data: bytes)
        plain.metadata["microlm.config"] = nil
        XCTAssertThrowsError(try MicroLMCheckpoint(data: try plain.serialized(), name: "base.safetensors")) { error in
            XCTAssertEqual((error as? InputError)?.field, "microlm.config")
            XCTAssertEqual((error as? InputError)?.file, "base.safetensors")
        }
    }

    /// Same seed, same batches, same thread count: the same weights bit for bit; another seed differs.
    func testTrainingIsDeterministic() throws {
        BLAS.setThreads(1)
        let config = GPTConfig(vocabSize: 50, context: 12, layers: 2, dModel: 16, heads: 2)
        func train(seed: UInt64) -> GPTWeights {
            let run = GPTTrainingRun(weights: GPTWeights(config: config, seed: seed), maxBatch: 4,
                                     schedule: LearningRateSchedule(peak: 1e-2, totalSteps: 10))
            var random = SeededRandom(seed: 9)
            for _ in 0..<10 {
                let tokens = (0..<48).map { _ in Int32(random.below(50)) }
                run.step(TokenBatch(batch: 4, length: 12, tokens: tokens, targets: tokens.map { ($0 + 1) % 50 }))
            }
            return run.weights
        }
        let a = train(seed: 1), b = train(seed: 1), c = train(seed: 2)
        XCTAssertEqual(a.values.map(\.bitPattern), b.values.map(\.bitPattern))
        XCTAssertNotEqual(a.values, c.values)
    }

    /// Sharded steps: the same update as one pass over the whole batch up to float rounding (targets of -1 make the
    /// shards' loss counts unequal, so the weighting matters), and the same weights bit for bit run to run.
    func testShardedStepsEqualTheWholeBatchAndAreDeterministic() throws {
        BLAS.setThreads(1)
        let config = GPTConfig(vocabSize: 50, context: 12, layers: 2, dModel: 16, heads: 2)
        func train(shards: Int) -> (GPTWeights, [Double]) {
            let run = GPTTrainingRun(weights: GPTWeights(config: config, seed: 4), maxBatch: 5,
                                     schedule: LearningRateSchedule(peak: 1e-2, totalSteps: 6), shards: shards)
            var random = SeededRandom(seed: 11)
            var losses: [Double] = []
            for _ in 0..<6 {
                let tokens = (0..<60).map { _ in Int32(random.below(50)) }
                let targets = tokens.indices.map { $0 < 30 && $0 % 3 == 0 ? Int32(-1) : (tokens[$0] + 1) % 50 }
                losses.append(run.step(TokenBatch(batch: 5, length: 12, tokens: tokens, targets: targets)))
            }
            return (run.weights, losses)
        }
        let (whole, wholeLosses) = train(shards: 1)
        let (sharded, shardedLosses) = train(shards: 2), (again, _) = train(shards: 2)
        XCTAssertEqual(sharded.values.map(\.bitPattern), again.values.map(\.bitPattern))
        for (a, b) in zip(wholeLosses, shardedLosses) { XCTAssertEqual(a, b, accuracy: 1e-5 * abs(a)) }
        let largest = zip(whole.values, sharded.values).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThan(largest, 1e-5, "sharded and whole-batch weights differ by more than rounding")
        XCTAssertNotEqual(whole.values, GPTWeights(config: config, seed: 4).values, "training changed the weights")
    }

    func testScheduleWarmsUpThenDecaysToTheFloor() {
        let s = LearningRateSchedule(peak: 1, totalSteps: 100, warmupSteps: 10)
        XCTAssertEqual(s.rate(at: 0), 0.1, accuracy: 1e-12)
        XCTAssertEqual(s.rate(at: 9), 1, accuracy: 1e-12)
        XCTAssertEqual(s.rate(at: 55), 0.55, accuracy: 1e-12)
        XCTAssertEqual(s.rate(at: 100), 0.1, accuracy: 1e-12)
    }
}
