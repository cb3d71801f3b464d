import Foundation
@testable import PretrainedLM
import XCTest

/// The language-model reward head's features against transformers (bench/pretrained-lm/make_exchange_state_fixture.py):
/// SmolLM2-135M-Instruct dequantised from the same GGUF, both responses of 4 real preference pairs (two hh-rlhf, two
/// dpo_en_demo), exchanges cut to 128 tokens (four of the eight are cut).
///
/// Measure: the exchange's token ids equal transformers' exactly; each element of the final-norm hidden state at the
/// last token within 1e-4 × the largest |element| of transformers' state (the logits tests' relative limit).
final class ExchangeHiddenStateTests: XCTestCase {
    struct Fixture: Decodable {
        struct Exchange: Decodable {
            var prompt: String, response: String
            var tokens: [Int32]
            var cut: Bool
            var state: [Double]
        }
        var max_length: Int
        var exchanges: [Exchange]
    }

    func testLastTokenStatesMatchTransformers() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: ModelFiles.smolLM2.path), "\(ModelFiles.smolLM2.path) missing: run scripts/setup.sh")
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/exchange_states_smollm2.json")
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        XCTAssertEqual(fixture.exchanges.count, 8)
        XCTAssertEqual(fixture.exchanges.filter(\.cut).count, 4, "the fixture exercises the cut")
        let reader = ExchangeHiddenState(model: try PretrainedModel(gguf: ModelFiles.smolLM2), maxLength: fixture.max_length, workers: 2)
        for exchange in fixture.exchanges {
            XCTAssertEqual(reader.tokens(prompt: exchange.prompt, response: exchange.response), exchange.tokens, "tokens of \(exchange.prompt.prefix(40))")
        }
        let states = reader.states(prompts: fixture.exchanges.map(\.prompt), responses: fixture.exchanges.map(\.response))
        var worst = 0.0
        for (state, exchange) in zip(states, fixture.exchanges) {
            XCTAssertEqual(state.count, exchange.state.count)
            let scale = exchange.state.map(abs).max()!
            for (ours, theirs) in zip(state, exchange.state) {
                let error = abs(Double(ours) - theirs) / scale
                worst = max(worst, error)
                XCTAssertLessThan(error, 1e-4, "\(exchange.prompt.prefix(40)): \(ours) vs \(theirs)")
            }
        }
        print("exchange states: worst |ours − transformers| / max |state| = \(worst)")
    }

    /// A response longer than the limit keeps its end (and the template's closing), never the prompt.
    func testTheResponseEndAlwaysFits() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: ModelFiles.smolLM2.path), "\(ModelFiles.smolLM2.path) missing: run scripts/setup.sh")
        let model = try PretrainedModel(gguf: ModelFiles.smolLM2)
        let reader = ExchangeHiddenState(model: model, maxLength: 64)
        let response = (1...200).map { "word\($0)" }.joined(separator: " ")
        let ids = reader.tokens(prompt: "Count for me, please.", response: response)
        XCTAssertEqual(ids.count, 64)
        XCTAssertTrue(model.tokenizer.decode(ids).contains("word200"))
        XCTAssertFalse(model.tokenizer.decode(ids).contains("Count for me"))
        let whole = reader.tokens(prompt: "Hi.", response: "Hello!")
        XCTAssertEqual(model.tokenizer.decode(whole, includeSpecial: true), model.template.userTurn.before + "Hi." + model.template.userTurn.after + "Hello!<|im_end|>\n")
    }
}
