import Corpus
import Foundation
import Indicators
import PretrainedLM
import XCTest

/// The UniEval-style judge indicators against transformers (bench/pretrained-lm/make_judge_fixture.py): SmolLM2-135M-
/// Instruct dequantised from the same GGUF, 5 real examples (four AlpaGasus random_9k, one LIMA) × UniEval's three
/// dialogue questions, prompts cut to 128 tokens (four of the five are cut).
///
/// Measure: the prompt's token ids equal transformers' exactly; each indicator's value, P(Yes) / (P(Yes) + P(No)),
/// within 1e-3 of transformers' (absolute).
final class JudgeIndicatorTests: XCTestCase {
    struct Fixture: Decodable {
        struct Prompt: Decodable {
            var instruction: String, input: String, response: String, dimension: String
            var tokens: [Int32]
            var yes_share: Double
        }
        var max_length: Int
        var prompts: [Prompt]
    }

    static let smolLM2 = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../models/smollm2-135m-instruct/SmolLM2-135M-Instruct.Q4_1.gguf").standardized

    func testJudgeScoresMatchTransformers() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: Self.smolLM2.path), "\(Self.smolLM2.path) missing: run scripts/setup.sh")
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/judge_smollm2.json")
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        XCTAssertEqual(fixture.prompts.count, 15)
        let judge = try BooleanJudge(model: try PretrainedModel(gguf: Self.smolLM2), maxLength: fixture.max_length, workers: 2)
        var worst = 0.0
        for indicator in JudgeIndicator.all {
            let prompts = fixture.prompts.filter { $0.dimension == indicator.dimension.rawValue }
            XCTAssertEqual(prompts.count, 5, indicator.name)
            var inputs = IndicatorInputs(examples: prompts.map { Example(instruction: $0.instruction, input: $0.input, response: $0.response, source: "t", licence: "t") })
            inputs.judge = .init(model: "smollm2-135m-instruct", modelHash: "test", yesShare: { try judge.yesShare($0) })
            for (example, prompt) in zip(inputs.examples, prompts) {
                XCTAssertEqual(try judge.prompt(indicator.dimension.question(about: example)), prompt.tokens, "\(indicator.name): prompt tokens")
            }
            let column = try indicator.compute(inputs)
            XCTAssertEqual(column.variant.name, indicator.name)
            XCTAssertTrue(column.description.contains("judge: smollm2-135m-instruct, UniEval-style"), column.description)
            for (value, prompt) in zip(column.values, prompts) {
                let ours = try XCTUnwrap(value)
                worst = max(worst, abs(ours - prompt.yes_share))
                XCTAssertEqual(ours, prompt.yes_share, accuracy: 1e-3, "\(indicator.name): \(prompt.instruction.prefix(40))")
            }
        }
        print("judge indicators: worst |ours − transformers| = \(worst)")
    }

    /// The judge indicators are in the paper's catalog only when asked for (a caller with a real model), and one
    /// computed without a judge says which input is missing instead of inventing values.
    func testJudgeIndicatorsJoinTheCatalogOnlyWithAJudge() throws {
        XCTAssertEqual(IndicatorCatalog.paper(knnI: 6, judge: true).names.suffix(3),
                       ["judge_naturalness", "judge_coherence", "judge_understandability"])
        XCTAssertTrue(IndicatorCatalog.paper(knnI: 6, judge: true).needs.contains(.judge))
        XCTAssertFalse(IndicatorCatalog.paper(knnI: 6).names.contains { $0.hasPrefix("judge_") })
        XCTAssertFalse(IndicatorCatalog.paper(knnI: 6).needs.contains(.judge))
        let inputs = IndicatorInputs(examples: [Example(instruction: "Say hi.", response: "Hi", source: "t", licence: "t")])
        XCTAssertThrowsError(try JudgeIndicator(.coherence).compute(inputs)) { error in
            let missing = error as? IndicatorInputsError
            XCTAssertEqual(missing?.indicator, "judge_coherence")
            XCTAssertEqual(missing?.need, .judge)
        }
    }

    /// Coherence reads the history (instruction and input), the other two only the response, as in UniEval.
    func testQuestionsFollowUniEvalsDialogueInputs() {
        let example = Example(instruction: "Add.", input: "2 + 2", response: "4", source: "t", licence: "t")
        XCTAssertEqual(UniEvalDimension.coherence.question(about: example),
                       BooleanQuestion("Is this a coherent response given the dialogue history?",
                                       sections: [.init("Response", "4"), .init("Dialogue history", "Add.\n\n2 + 2")]))
        XCTAssertEqual(UniEvalDimension.naturalness.question(about: example).sections, [.init("Response", "4")])
        XCTAssertEqual(UniEvalDimension.understandability.question(about: example).question, "Is this an understandable response in the dialogue?")
    }
}
