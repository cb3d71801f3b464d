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

    func testPerplexityAndIFDFromLosses() throws {
        // Conditional loss 1.0 nat/token, unconditional 2.0: PPL e and e², IFD 0.5.
        let ppl = ResponsePerplexity(modelHash: "m") { prompt, response in
            let tokens = response.split(separator: " ").count
            return .init(sum: Double(tokens) * (prompt.isEmpty ? 2.0 : 1.0), tokens: tokens)
        }
        let scores = try ppl.measure(prompt: "### Instruction: say three words\n### Response:", response: "one two three")
        XCTAssertEqual(scores.conditionalLoss, 1.0)
        XCTAssertEqual(scores.unconditionalLoss, 2.0)
        XCTAssertEqual(scores.conditionalPerplexity, M_E, accuracy: 1e-12)
        XCTAssertEqual(scores.unconditionalPerplexity, M_E * M_E, accuracy: 1e-12)
        XCTAssertEqual(scores.ifd, 0.5)
        XCTAssertEqual(scores.responseTokens, 3)
        XCTAssertEqual(ppl.variants(template: "alpaca", tokenizer: "bpe:x").ifd.modelHash, "m")
    }

    func testPerplexityRefusesInconsistentScorers() {
        let empty = ResponsePerplexity(modelHash: "m") { _, _ in .init(sum: 0, tokens: 0) }
        XCTAssertThrowsError(try empty.measure(prompt: "p", response: "")) {
            XCTAssertEqual($0 as? ResponsePerplexity.ScoringError, .noResponseTokens)
        }
        let mismatched = ResponsePerplexity(modelHash: "m", conditional: { _, _ in .init(sum: 3, tokens: 3) },
                                            unconditional: { _, _ in .init(sum: 4, tokens: 4) })
        XCTAssertThrowsError(try mismatched.measure(prompt: "p", response: "r")) {
            XCTAssertEqual($0 as? ResponsePerplexity.ScoringError, .tokenCountsDiffer(conditional: 3, unconditional: 4))
        }
        let infinite = ResponsePerplexity(modelHash: "m") { _, _ in .init(sum: .infinity, tokens: 2) }
        XCTAssertThrowsError(try infinite.measure(prompt: "p", response: "r"))
    }
}
