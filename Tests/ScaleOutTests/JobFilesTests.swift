import Core
import Corpus
import Foundation
import ScaleOut
import Training
import XCTest

final class JobFilesTests: XCTestCase {
    func testJobKeyDependsOnContentOnly() throws {
        let subset = Sandbox.examples(4, tag: "k")
        func key(_ settings: FinetuneSettings = Sandbox.settings(), options: [String: String] = [:], subset: [Example] = subset,
                 backend: String = "command:a", evaluation: [String: [Example]] = Sandbox.evaluation) throws -> String {
            try FinetuneJob(backend: backend, settings: settings, options: options, subset: subset, evaluationSets: evaluation).key
        }
        let base = try key()
        XCTAssertEqual(base, try key(), "deterministic")
        XCTAssertEqual(base.count, 64)
        var other = Sandbox.evaluation
        other["unused"] = Sandbox.examples(3, tag: "other")
        XCTAssertEqual(base, try key(evaluation: other), "a set the settings do not name is not part of the job")
        XCTAssertNotEqual(base, try key(Sandbox.settings(epochs: 2)))
        XCTAssertNotEqual(base, try key(options: ["lora": "true"]))
        XCTAssertNotEqual(base, try key(subset: Array(subset.reversed())), "training order is part of the data")
        XCTAssertNotEqual(base, try key(backend: "command:b"))
        other["mt-bench"] = Sandbox.examples(3, tag: "changed")
        XCTAssertNotEqual(base, try key(evaluation: other))
    }

    func testFolderHoldsAlpacaSubsetAndARelocatableSpec() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("scaleout-folder-\(UUID().uuidString.prefix(8))")
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        let turns = [Example.Turn(role: "user", text: "hi"), Example.Turn(role: "assistant", text: "hello")]
        let subset = [Example(instruction: "Say \"x\"", input: "in", response: "x\nline", turns: turns, source: "s", licence: "l")]
            + Sandbox.examples(2, tag: "f")
        let job = try FinetuneJob(backend: "command:t", settings: Sandbox.settings(), options: ["lora": "true"], subset: subset,
                                  evaluationSets: Sandbox.evaluation)
        let folder = JobFolder(root: root, key: job.key)
        let spec = try folder.prepare(job)
        XCTAssertEqual(try JSONDecoder().decode(JobSpec.self, from: Data(contentsOf: folder.spec)), spec)

        let records = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.subset)) as! [[String: Any]]
        XCTAssertEqual(records.count, 3)
        XCTAssertEqual(records[0]["instruction"] as? String, "Say \"x\"")
        XCTAssertEqual(records[0]["input"] as? String, "in")
        XCTAssertEqual(records[0]["output"] as? String, "x\nline")
        XCTAssertEqual(records[0]["id"] as? String, subset[0].id)
        XCTAssertEqual((records[0]["turns"] as? [[String: String]])?.first?["text"], "hi")
        XCTAssertNil(records[1]["turns"], "single-turn examples carry no turns")

        let raw = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.spec)) as! [String: Any]
        XCTAssertEqual(raw["format"] as? String, "imine-finetune-job/1")
        XCTAssertEqual(raw["job_key"] as? String, job.key)
        XCTAssertTrue(raw["trainable_layers"] is NSNull, "an explicit null means all layers")
        XCTAssertEqual(spec.subset.sha256, SHA256.hex(try Data(contentsOf: folder.subset)))
        XCTAssertEqual(spec.evaluationSets.map(\.name), ["self-instruct", "mt-bench"], "in the settings' order")
        for evaluation in spec.evaluationSets {
            XCTAssertFalse(evaluation.path.hasPrefix("/"), "paths are relative to the job folder")
            let bytes = try Data(contentsOf: folder.directory.appendingPathComponent(evaluation.path))
            XCTAssertEqual(SHA256.hex(bytes), evaluation.sha256)
        }
        // Writing the same job again gives the same bytes.
        let before = try Data(contentsOf: folder.spec)
        try folder.prepare(job)
        XCTAssertEqual(try Data(contentsOf: folder.spec), before)
    }

    func testExampleIDMatchesThePythonScripts() throws {
        // paper-repro/gpu/imine_jobs.py recomputes ids for files without them; its tests pin the same value.
        let example = Example(instruction: "Name a colour.", input: "", response: "Blue.",
                              turns: [.init(role: "user", text: "Hi"), .init(role: "assistant", text: "Hello!")],
                              source: "x", licence: "y")
        XCTAssertEqual(example.id, "aced5d87b499525d3bd9bed4448a2a4b8a5fea26445fb64b432b5ffb3a81480e")
    }
}
