import Foundation
import XCTest

/// `imine lm info|perplexity|generate` run as processes on the real models set-up installs; the perplexity of a
/// real text must be within 0.5% of llama.cpp's (fixture: bench/gguf/make_perplexity_fixture.py).
final class LMCommandTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let text = fixtures.appendingPathComponent("perplexity_text.txt")
    static let models = ["smollm2-135m-instruct": "models/smollm2-135m-instruct/SmolLM2-135M-Instruct.Q4_1.gguf",
                         "gemma-3-270m": "models/gemma-3-270m/gemma-3-270m-q4_k_m.gguf"]

    func modelPath(_ name: String) throws -> String {
        let path = CLI.root.appendingPathComponent(Self.models[name]!).path
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("\(path) missing: run scripts/setup.sh") }
        return path
    }

    func testInfoByNameReadsTheMetadata() throws {
        _ = try modelPath("smollm2-135m-instruct")
        let smol = try CLI.run(["lm", "info", "--model", "smollm2-135m-instruct"], in: CLI.root)
        XCTAssertEqual(smol.status, 0, smol.output)
        for expected in ["architecture: llama", "blocks: 30, d_model 576, FFN 1536, heads 9 query / 3 key-value, head dim 64",
                         "49152 tokens", "template: ChatML", "tensors: 272: Q4_1 210", "F32 61", "Q8_0 1"] {
            XCTAssertTrue(smol.stdout.contains(expected), "missing '\(expected)' in:\n\(smol.stdout)")
        }
        let gemma = try CLI.run(["lm", "info", "--model", try modelPath("gemma-3-270m")], in: CLI.root)
        XCTAssertEqual(gemma.status, 0, gemma.output)
        for expected in ["architecture: gemma3", "blocks: 18, d_model 640, FFN 2048, heads 4 query / 1 key-value, head dim 256",
                         "262144 tokens", "BOS <bos> (2) added", "Gemma turns", "F32 109", "Q5_0 81", "Q4_K 27", "Q8_0 10", "Q6_K 9"] {
            XCTAssertTrue(gemma.stdout.contains(expected), "missing '\(expected)' in:\n\(gemma.stdout)")
        }
    }

    func testPerplexityMatchesLlamaCpp() throws {
        let reference = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.fixtures.appendingPathComponent("perplexity_llamacpp.json"))) as! [String: Any]
        let context = reference["context"] as! Int
        for (name, value) in reference["models"] as! [String: [String: Any]] {
            let outcome = try CLI.run(["lm", "perplexity", "--model", try modelPath(name), "--context", "\(context)", Self.text.path],
                                      in: CLI.root, limit: 300)
            XCTAssertEqual(outcome.status, 0, outcome.output)
            let tokens = try XCTUnwrap(number(after: "tokens: ", in: outcome.stdout))
            XCTAssertEqual(Int(tokens), value["tokens"] as? Int, "\(name): token count differs from llama.cpp's")
            let mean = try XCTUnwrap(number(after: "mean NLL: ", in: outcome.stdout))
            let expected = value["mean_nll"] as! Double
            XCTAssertLessThan(abs(mean - expected) / expected, 0.005, "\(name): imine \(mean) vs llama.cpp \(expected) nats/token")
            let bits = try XCTUnwrap(number(after: "bits/byte: ", in: outcome.stdout))
            XCTAssertLessThan(abs(bits - (value["bits_per_byte"] as! Double)) / bits, 0.005, "\(name): bits/byte")
            print("\(name): imine \(mean) nats/token, llama.cpp \(expected), relative difference \(abs(mean - expected) / expected)")
        }
    }

    func testGenerateContinuesAPrompt() throws {
        let folder = try scratchFolder()
        let prompt = folder.appendingPathComponent("prompt.txt")
        try "What is the capital of France?".write(to: prompt, atomically: true, encoding: .utf8)
        let outcome = try CLI.run(["lm", "generate", "--model", try modelPath("smollm2-135m-instruct"), "--chat", "--tokens", "12", prompt.path],
                                  in: folder, limit: 120)
        XCTAssertEqual(outcome.status, 0, outcome.output)
        XCTAssertTrue(outcome.stdout.contains("generated"), outcome.stdout)
        let generated = try XCTUnwrap(number(after: "prompt tokens, ", in: outcome.stdout))
        XCTAssertGreaterThan(generated, 0)
        XCTAssertTrue(outcome.stdout.contains("Paris"), "an instruction model should know this:\n\(outcome.stdout)")
    }

    func testErrorsNameTheFile() throws {
        let folder = try scratchFolder()
        let missing = try CLI.run(["lm", "info", "--model", "nowhere.gguf"], in: folder)
        XCTAssertEqual(missing.status, 2, missing.output)
        XCTAssertTrue(missing.stderr.contains("nowhere.gguf") && missing.stderr.contains("does not exist"), missing.stderr)
        let notGGUF = folder.appendingPathComponent("model.gguf")
        try "not a model".write(to: notGGUF, atomically: true, encoding: .utf8)
        let bad = try CLI.run(["lm", "info", "--model", notGGUF.path], in: folder)
        XCTAssertEqual(bad.status, 2, bad.output)
        XCTAssertTrue(bad.stderr.contains(notGGUF.path), bad.stderr)
        let noText = try CLI.run(["lm", "perplexity", "--model", try modelPath("smollm2-135m-instruct"), "absent.txt"], in: folder)
        XCTAssertEqual(noText.status, 2, noText.output)
        XCTAssertTrue(noText.stderr.contains("absent.txt") && noText.stderr.contains("does not exist"), noText.stderr)
    }

    /// The number right after `label` on the first line that has it.
    private func number(after label: String, in text: String) -> Double? {
        guard let range = text.range(of: label) else { return nil }
        let rest = text[range.upperBound...].prefix { "0123456789.-e".contains($0) }
        return Double(rest)
    }
}
