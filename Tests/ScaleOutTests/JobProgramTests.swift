import Core
import Corpus
import Foundation
import ScaleOut
import Training
import XCTest

/// The job program's side of the protocol: it reads back exactly the job that was written, refuses files that
/// changed, and answers with a result file the command trainer accepts.
final class JobProgramTests: XCTestCase {
    /// Stands in for an in-process trainer: losses from the data it was given, so a misread shows.
    struct Counting: Trainer {
        var backend: String { "counting" }
        func finetune(subset: [Example], settings: FinetuneSettings, evaluationSets: [String: [Example]]) throws -> FinetuneResult {
            if settings.seed == 13 { throw TrainerError.wrongBaseModel(expected: "a", got: "b") }
            return FinetuneResult(evalLosses: evaluationSets.mapValues { Double($0.count) / 3 }, tokensProcessed: subset.count * settings.epochs,
                                  wallSeconds: 0.5, checkpoint: "ck")
        }
    }

    func testReadsTheJobBackAndWritesAResultTheTrainerAccepts() throws {
        let sandbox = try makeSandbox()
        let subset = Sandbox.examples(5, tag: "program")
        let job = try FinetuneJob(backend: "command:p", settings: Sandbox.settings(), subset: subset, evaluationSets: Sandbox.evaluation)
        let folder = JobFolder(root: sandbox.root, key: job.key)
        try folder.prepare(job)
        let loaded = try JobProgram.load(spec: folder.spec)
        XCTAssertEqual(loaded.subset, subset.map { Example(instruction: $0.instruction, input: $0.input, response: $0.response, turns: $0.turns,
                                                            source: "job-file", licence: "as in the workbench's store") })
        XCTAssertEqual(loaded.subset.map(\.id), subset.map(\.id))
        XCTAssertEqual(loaded.settings, job.settings)
        XCTAssertEqual(loaded.evaluationSets.mapValues { $0.map(\.id) }, job.evaluationSets.mapValues { $0.map(\.id) })

        let result = try JobProgram.run(loaded, trainer: Counting())
        XCTAssertEqual(try ResultFile.read(folder.result, evaluationSets: job.settings.evaluationSets), .finished(result),
                       "the result file reads back exactly, numbers included")

        var failing = loaded
        failing.settings.seed = 13
        XCTAssertThrowsError(try JobProgram.run(failing, trainer: Counting()))
        guard case .failed(let message)? = try? ResultFile.read(folder.result, evaluationSets: job.settings.evaluationSets) else {
            return XCTFail("a failed finetune writes its error into the result file")
        }
        XCTAssertTrue(message.contains("base model"), message)
    }

    func testAChangedOrIncompleteSpecIsNamedByFileAndField() throws {
        let sandbox = try makeSandbox()
        let job = try FinetuneJob(backend: "command:p", settings: Sandbox.settings(), subset: Sandbox.examples(3, tag: "t"),
                                  evaluationSets: Sandbox.evaluation)
        let folder = JobFolder(root: sandbox.root, key: job.key)
        try folder.prepare(job)
        try AlpacaFile.encode(Sandbox.examples(3, tag: "other")).write(to: folder.subset)
        XCTAssertThrowsError(try JobProgram.load(spec: folder.spec)) { error in
            XCTAssertEqual((error as? InputError)?.path, "$.subset.sha256", "\(error)")
        }
        try Data(#"{"format": "imine-finetune-job/1"}"#.utf8).write(to: folder.spec)
        XCTAssertThrowsError(try JobProgram.load(spec: folder.spec)) { error in
            XCTAssertEqual((error as? InputError)?.field, "job_key", "\(error)")
        }
    }
}
