import Foundation
import Neural
@testable import PretrainedLM
import XCTest

/// The real GGUF models' logits against transformers dequantising the same files to float32
/// (bench/pretrained-lm/make_logits_fixture.py): three real prompts each (two Vicuna questions, one LIMA example).
///
/// Measure: at the first, middle and last position, each of transformers' top-20 logits; at every position the
/// max logit, the log-sum-exp and the mean logit; each |ours − theirs| divided by max(|max logit|, |mean logit|)
/// of that position (transformers'). Limit 1e-4. The prompt's mean next-token NLL within 1e-4 relative.
final class RealModelLogitsTests: XCTestCase {
    struct Fixture: Decodable {
        struct Prompt: Decodable {
            var tokens: [Int32]
            var top20: [String: [[Double]]]
            var max: [Double]
            var logsumexp: [Double]
            var mean: [Double]
            var mean_nll: Double
        }
        var prompts: [Prompt]
    }

    func check(_ model: URL, fixture name: String) throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: model.path), "\(model.path) missing: run scripts/setup.sh")
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/logits_\(name).json")
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        let weights = try DecoderWeights(gguf: model)
        let v = weights.config.vocabSize
        let engine = DecoderEngine(config: weights.config, maxBatch: 1, maxLength: fixture.prompts.map(\.tokens.count).max()!)
        var worst = 0.0
        for (index, prompt) in fixture.prompts.enumerated() {
            let t = prompt.tokens.count
            let logits = weights.values.withUnsafeBufferPointer { engine.logits($0.baseAddress!, tokens: prompt.tokens) }
            func error(_ ours: Double, _ theirs: Double, position p: Int) -> Double {
                abs(ours - theirs) / Swift.max(abs(prompt.max[p]), abs(prompt.mean[p]))
            }
            for p in 0..<t {
                let row = logits[(p * v)..<((p + 1) * v)].map(Double.init)
                let top = row.max()!
                let lse = top + log(row.reduce(0) { $0 + exp($1 - top) })
                let mean = row.reduce(0, +) / Double(v)
                for (ours, theirs) in [(top, prompt.max[p]), (lse, prompt.logsumexp[p]), (mean, prompt.mean[p])] {
                    let e = error(ours, theirs, position: p)
                    worst = Swift.max(worst, e)
                    XCTAssertLessThan(e, 1e-4, "\(name) prompt \(index) position \(p): \(ours) vs \(theirs)")
                }
                for pair in prompt.top20[String(p)] ?? [] {
                    let e = error(row[Int(pair[0])], pair[1], position: p)
                    worst = Swift.max(worst, e)
                    XCTAssertLessThan(e, 1e-4, "\(name) prompt \(index) position \(p) token \(Int(pair[0]))")
                }
            }
            let batch = TokenBatch(batch: 1, length: t - 1, tokens: Array(prompt.tokens.dropLast()), targets: Array(prompt.tokens.dropFirst()))
            let nll = weights.values.withUnsafeBufferPointer { engine.loss($0.baseAddress!, batch) }
            XCTAssertEqual(nll, prompt.mean_nll, accuracy: 1e-4 * prompt.mean_nll, "\(name) prompt \(index) mean NLL")
        }
        print("\(name): worst logit error relative to the position's logit scale: \(worst)")
    }

    func testSmolLM2LogitsMatchTransformers() throws { try check(ModelFiles.smolLM2, fixture: "smollm2") }
    func testGemma3LogitsMatchTransformers() throws { try check(ModelFiles.gemma3, fixture: "gemma3") }
}
