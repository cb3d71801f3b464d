import Corpus
import Foundation
import ScaleOut
import Store
import Training
import XCTest

/// paper-repro/gpu/finetune.py driven through the CommandTrainer, on a tiny random LLaMA and real Alpaca examples:
/// the workbench-written spec and the script-written result meet. Opt-in (needs the torch venv with transformers,
/// peft and accelerate, about a minute on 2 cores): IMINE_GPU_SCRIPT_TESTS=1, python from IMINE_TORCH_PYTHON or
/// .venv-torch/bin/python.
final class GPUScriptTests: XCTestCase {
    private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testFinetuneScriptThroughTheCommandTrainer() throws {
        let environment = ProcessInfo.processInfo.environment
        guard environment["IMINE_GPU_SCRIPT_TESTS"] == "1" else {
            throw XCTSkip("set IMINE_GPU_SCRIPT_TESTS=1 to run paper-repro/gpu/finetune.py on a tiny model (needs .venv-torch)")
        }
        let python = environment["IMINE_TORCH_PYTHON"] ?? repository.appendingPathComponent(".venv-torch/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            return XCTFail("no Python at \(python): create .venv-torch (torch, transformers, peft, accelerate) or set IMINE_TORCH_PYTHON")
        }
        let sandbox = try makeSandbox()
        let models = sandbox.root.appendingPathComponent("tiny")
        let build = Process()
        build.executableURL = URL(fileURLWithPath: python)
        build.arguments = [repository.appendingPathComponent("paper-repro/gpu/tests/tiny_models.py").path, models.path]
        build.standardOutput = FileHandle.nullDevice
        try build.run()
        build.waitUntilExit()
        XCTAssertEqual(build.terminationStatus, 0, "building the tiny models failed")

        let data = URL(fileURLWithPath: environment["IMINE_DATA"] ?? repository.appendingPathComponent("data").path)
        let records = try JSONSerialization.jsonObject(with: Data(contentsOf: data.appendingPathComponent("llama-factory-demo/alpaca_en_demo.json"))) as! [[String: String]]
        let examples = records.prefix(12).map {
            Example(instruction: $0["instruction"]!, input: $0["input"] ?? "", response: $0["output"]!, source: "alpaca_en_demo", licence: "apache-2.0")
        }
        let trainer = try CommandTrainer(configuration: .init(
            name: "hf-finetune-test",
            command: CommandTemplate(executable: python,
                                     arguments: [repository.appendingPathComponent("paper-repro/gpu/finetune.py").path, "--spec", "{spec}"]),
            jobsDirectory: sandbox.root.appendingPathComponent("jobs"),
            options: ["max_length": "128", "micro_batch_size": "2"], timeout: 600), store: sandbox.store)
        let settings = FinetuneSettings(baseModel: models.appendingPathComponent("llama").path, epochs: 2, learningRate: 5e-3,
                                        batchSize: 4, seed: 3, evaluationSets: ["train", "held-out"])
        let evaluation = ["train": Array(examples.prefix(8)), "held-out": Array(examples.suffix(4))]
        let result = try trainer.finetune(subset: Array(examples.prefix(8)), settings: settings, evaluationSets: evaluation)
        XCTAssertEqual(Set(result.evalLosses.keys), ["train", "held-out"])
        for loss in result.evalLosses.values { XCTAssertTrue(loss > 0 && loss < 8, "\(result)") }  // ln(400 tokens) ≈ 6
        XCTAssertGreaterThan(result.tokensProcessed, 2 * 8 * 10)
        let job = try trainer.job(subset: Array(examples.prefix(8)), settings: settings, evaluationSets: evaluation)
        XCTAssertEqual(try trainer.ledger.entry(job.key)?.status, .finished)
    }
}
