import Core
import Foundation
import Neural
@testable import PretrainedLM
import XCTest

/// A last-N run scores sequences from its cached trunk states: the same per-sequence NLL as a full forward pass of
/// the same weights, without recomputing the trunk.
final class TrunkEvaluationTests: XCTestCase {
    func testLastBlockSumsMatchTheFullForwardPassAndReuseTheTrunk() throws {
        for name in ["llama", "gemma3"] {
            let f = try TinyDecoderFixture.load(name)
            let cache = try TrunkCache()
            let run = try DecoderTrainingRun(base: f.weights, mode: .lastBlocks(1), maxBatch: 2, maxLength: f.batch.length,
                                             schedule: FinetuneModeTests.schedule, trunkCache: cache)
            let sequences = FinetuneModeTests.sequences(f.batch)
            _ = try run.step(sequences)  // trained weights, not the base's: the sums must use the run's
            let computed = cache.computed
            let sums = try run.sums(sequences)
            XCTAssertEqual(cache.computed, computed, "\(name): scoring recomputed trunk states the step had cached")

            let engine = DecoderEngine(config: f.weights.config, maxBatch: f.batch.batch, maxLength: f.batch.length)
            let nll = run.weights.values.withUnsafeBufferPointer { engine.tokenNLL($0.baseAddress!, f.batch) }
            for (b, sum) in sums.enumerated() {
                let span = (b * f.batch.length)..<((b + 1) * f.batch.length)
                let counted = span.filter { f.batch.targets[$0] >= 0 }
                let full = counted.reduce(0.0) { $0 + Double(nll[$1]) }
                XCTAssertEqual(sum.count, counted.count, name)
                XCTAssertEqual(sum.total, full, accuracy: 1e-5 * abs(full), "\(name) sequence \(b)")
            }
        }
    }
}
