import Corpus
import Foundation
import PretrainedLM
import Training
import XCTest

/// SmolLM2 through the trainer end to end: its own template and tokenizer, one LoRA step, an evaluation loss.
final class RealModelTrainerTests: XCTestCase {
    func testSmolLM2LoRAFinetuneAndScores() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../models/smollm2-135m-instruct/SmolLM2-135M-Instruct.Q4_1.gguf").standardized
        try XCTSkipUnless(FileManager.default.fileExists(atPath: url.path), "run scripts/setup.sh for the models")
        let model = try PretrainedModel(gguf: url)
        let examples = [Example(instruction: "Name a primary colour.", response: "Red.", source: "test", licence: "test"),
                        Example(instruction: "What is 2 + 2?", response: "2 + 2 = 4.", source: "test", licence: "test")]
        let (prompt, response) = model.encode(instruction: examples[0].promptText, response: examples[0].response)
        XCTAssertEqual(prompt.first, 1, "ChatML prompt starts with <|im_start|>")
        XCTAssertTrue(response.contains(2), "response ends its turn with <|im_end|>")
        let trainer = try PretrainedLMTrainer(model: model, mode: .lora(rank: 4, alpha: 8), maxLength: 64)
        let settings = FinetuneSettings(baseModel: trainer.baseDigest, epochs: 1, learningRate: 1e-4, batchSize: 2, seed: 1,
                                        evaluationSets: ["set"])
        let result = try trainer.finetune(subset: examples, settings: settings, evaluationSets: ["set": examples])
        let loss = try XCTUnwrap(result.evalLosses["set"])
        XCTAssertTrue(loss.isFinite && loss > 0 && loss < 10, "eval loss \(loss)")
        print("SmolLM2 LoRA step: eval loss \(loss), checkpoint \(result.checkpoint ?? "-")")
    }
}
