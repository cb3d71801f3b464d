import Corpus
import Foundation
import Training
import XCTest
@testable import Indicators

final class LengthAndPerplexityTests: XCTestCase {
    func testLengthsCountWordsAndTokensOfPromptAndResponse() {
        // A whitespace "tokenizer" stands in for MicroLM's BPE: the closure is all this module needs.
        let lengths = LengthIndicators(tokenizerID: "whitespace") { $0.split(whereSeparator: \.isWhitespace).count }
        let counts = lengths.measure(instruction: "Translate to French:", input: "Good morning, friend.", response: "Bonjour, mon ami !")
        XCTAssertEqual(counts, LengthIndicators.Counts(inputWords: 6, inputTokens: 6, outputWords: 3, outputTokens: 4))
        let noInput = lengths.measure(instruction: "Say hi.", input: "", response: "Hi")
        XCTAssertEqual(noInput.inputWords, 2)
        XCTAssertEqual(noInput.inputTokens, 2)
        let variants = lengths.variants
        XCTAssertEqual(Set([variants.inputWords.key, variants.inputTokens.key, variants.outputWords.key, variants.outputTokens.key]).count, 4)
        XCTAssertEqual(variants.outputTokens.tokenizer, "whitespace")
    }

    static let examples = [Example(instruction: "Translate to French:", input: "Good morning, friend.", response: "Bonjour, mon ami !", source: "t", licence: "t"),
                           Example(instruction: "Say hi.", response: "Hi", source: "t", licence: "t")]

    /// The length indicators of the catalog count the prompt's content and the response under the given tokenizer.
    func testLengthIndicatorsOfTheCatalog() throws {
        var inputs = IndicatorInputs(examples: Self.examples)
        inputs.tokens = .init(id: "whitespace") { $0.split(whereSeparator: \.isWhitespace).count }
        let input = try InputLengthIndicator().compute(inputs), output = try OutputLengthIndicator().compute(inputs)
        XCTAssertEqual(input.values, [6, 2])
        XCTAssertEqual(output.values, [4, 1])
        XCTAssertEqual(input.variant, LengthIndicators(tokenizerID: "whitespace") { _ in 0 }.variants.inputTokens)
        XCTAssertEqual(output.variant.name, "output_length")
    }

    /// Counting is split across cores (interleaved): every count must still land on its own example, and
    /// input_length must count the prompt only, for texts of every length (example k: k+1 prompt words, 2k response words).
    func testLengthsLandOnTheirOwnExamplesWhenCountedOnEveryCore() throws {
        let examples = (0..<101).map { k in
            Example(instruction: Array(repeating: "ask", count: k + 1).joined(separator: " "),
                    response: Array(repeating: "say", count: 2 * k + 1).joined(separator: " "), source: "t", licence: "t")
        }
        var inputs = IndicatorInputs(examples: examples)
        inputs.tokens = .init(id: "whitespace") { $0.split(whereSeparator: \.isWhitespace).count }
        XCTAssertEqual(try InputLengthIndicator().compute(inputs).values, (0..<101).map { Double?(Double($0 + 1)) })
        XCTAssertEqual(try OutputLengthIndicator().compute(inputs).values, (0..<101).map { Double?(Double(2 * $0 + 1)) })
    }

    /// Conditional loss 1.0 nat/token and unconditional 2.0: perplexity e, IFD 0.5 (the ratio of the losses, not of
    /// the perplexities, which would be 1/e); conditional 3.0 and unconditional 1.5: IFD 2.
    func testPerplexityAndIFDFromResponseLosses() throws {
        var inputs = IndicatorInputs(examples: Self.examples)
        inputs.languageModel = .init(scores: [ResponseScore(conditionalNLL: 1, unconditionalNLL: 2, responseTokens: 3),
                                              ResponseScore(conditionalNLL: 3, unconditionalNLL: 1.5, responseTokens: 1)],
                                     modelHash: "m", tokenizer: "bpe:x", template: "alpaca", modelLabel: "base model")
        let ppl = try ResponsePerplexityIndicator().compute(inputs), ifd = try IFDIndicator().compute(inputs)
        XCTAssertEqual(ppl.values[0]!, M_E, accuracy: 1e-12)
        XCTAssertEqual(ppl.values[1]!, exp(3), accuracy: 1e-12)
        XCTAssertEqual(ifd.values, [0.5, 2])
        XCTAssertEqual(ifd.description, "IFD: mean conditional / mean unconditional response loss (base model)")
        // The perplexity's variant is the one stored before the catalog existed; IFD's is new, since its value changed.
        XCTAssertEqual(ppl.variant, IndicatorVariant(name: "ppl_conditional", parameters: ["template": "alpaca"], textField: .instructionInputResponse,
                                                     tokenizer: "bpe:x", modelHash: "m"))
        XCTAssertEqual(ifd.variant.parameters, ["template": "alpaca", "ratio": "mean_loss"])
        XCTAssertEqual(ifd.variant.modelHash, "m")
    }

    /// An indicator whose need was not prepared says which indicator and which need.
    func testAnUnpreparedNeedIsNamed() {
        XCTAssertThrowsError(try IFDIndicator().compute(IndicatorInputs(examples: Self.examples))) {
            XCTAssertEqual($0 as? IndicatorInputsError, IndicatorInputsError(indicator: "ifd", need: .languageModel))
            XCTAssertEqual("\($0)", "indicator ifd needs languageModel, which was not prepared for it")
        }
    }

    /// The paper's catalog: seven indicators in the order of the rule's design, and what they need.
    func testThePaperCatalog() {
        let catalog = IndicatorCatalog.paper(knnI: 6)
        XCTAssertEqual(catalog.names, ["input_length", "output_length", "mtld", "knn6", "ppl", "ifd", "reward"])
        XCTAssertEqual(catalog.needs, Set(IndicatorNeed.allCases).subtracting([.judge, .rewardLM]))
        // With a judge model the three UniEval-style indicators join, with a real LM's reward head reward_lm does,
        // and with both every need is used.
        XCTAssertEqual(IndicatorCatalog.paper(knnI: 6, judge: true).needs, Set(IndicatorNeed.allCases).subtracting([.rewardLM]))
        XCTAssertEqual(IndicatorCatalog.paper(knnI: 6, rewardLM: true).names.last, "reward_lm")
        XCTAssertEqual(IndicatorCatalog.paper(knnI: 6, judge: true, rewardLM: true).needs, Set(IndicatorNeed.allCases))
        XCTAssertEqual(IndicatorCatalog([MTLDIndicator()]).needs, [])
    }
}
