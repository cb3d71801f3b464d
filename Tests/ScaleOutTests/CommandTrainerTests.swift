import Core
import Corpus
import Foundation
import ScaleOut
import Store
import Training
import XCTest

final class CommandTrainerTests: XCTestCase {
    func testRunsTheProgramAndNeverRecomputesAFinishedJob() throws {
        let sandbox = try makeSandbox()
        let trainer = try sandbox.trainer()
        let subset = Sandbox.examples(5, tag: "train")
        let result = try trainer.finetune(subset: subset, settings: Sandbox.settings(), evaluationSets: Sandbox.evaluation)
        XCTAssertEqual(result.evalLosses["self-instruct"]!, expectedLoss(Sandbox.evaluation["self-instruct"]!), accuracy: 1e-12)
        XCTAssertEqual(result.evalLosses["mt-bench"]!, expectedLoss(Sandbox.evaluation["mt-bench"]!), accuracy: 1e-12)
        XCTAssertEqual(Set(result.evalLosses.keys), ["self-instruct", "mt-bench"], "only the sets the settings name")
        let words = subset.map { ($0.instruction + " " + $0.input + " " + $0.response).split(separator: " ").count }.reduce(0, +)
        XCTAssertEqual(result.tokensProcessed, words * 3)

        let job = try trainer.job(subset: subset, settings: Sandbox.settings(), evaluationSets: Sandbox.evaluation)
        let entry = try XCTUnwrap(trainer.ledger.entry(job.key))
        XCTAssertEqual(entry.status, .finished)
        XCTAssertEqual(entry.attempts, 1)
        XCTAssertEqual(entry.result, result)
        XCTAssertEqual(entry.backend, "command:fake")

        // Same job again, even from a new trainer on the same store: answered from the store, nothing runs.
        let again = try sandbox.trainer().finetune(subset: subset, settings: Sandbox.settings(), evaluationSets: Sandbox.evaluation)
        XCTAssertEqual(again, result)
        XCTAssertEqual(sandbox.calls.count, 1)
        // A different seed is a different job.
        _ = try trainer.finetune(subset: subset, settings: Sandbox.settings(seed: 2), evaluationSets: Sandbox.evaluation)
        XCTAssertEqual(sandbox.calls.count, 2)
    }

    func testCommandLineCarriesOnlyPaths() throws {
        let sandbox = try makeSandbox()
        let trainer = try sandbox.trainer(extraArguments: ["--key", "{key}", "{job}/x {subset}", "{not a placeholder}"])
        let subset = Sandbox.examples(3, tag: "secret-text")
        let job = try trainer.job(subset: subset, settings: Sandbox.settings(), evaluationSets: Sandbox.evaluation)
        _ = try trainer.run(job)
        let call = try JSONSerialization.jsonObject(with: Data(sandbox.calls[0].utf8)) as! [String: Any]
        let argv = call["argv"] as! [String]
        let folder = JobFolder(root: trainer.configuration.jobsDirectory, key: job.key)
        XCTAssertEqual(argv, ["--spec", folder.spec.path, "--out=\(folder.result.path)", "--key", job.key,
                              "\(folder.directory.path)/x \(folder.subset.path)", "{not a placeholder}"])
        XCTAssertFalse(argv.joined(separator: " ").contains("secret-text"), "no dataset text on the command line")
        XCTAssertEqual(call["cwd"] as? String, FileManager.default.currentDirectoryPath, "runs where the caller runs")
    }

    func testUnknownPlaceholderIsRejectedUpFront() {
        XCTAssertThrowsError(try CommandTemplate(executable: "python3", arguments: ["--data", "{dataset}"])) { error in
            XCTAssertTrue("\(error)".contains("{dataset}"), "\(error)")
        }
    }

    func testRunsJobsInParallelUpToTheLimit() throws {
        let sandbox = try makeSandbox()
        let trainer = try sandbox.trainer(parallel: 2, options: ["mode": "slow"])
        let requests = (0..<4).map { i in
            CommandTrainer.Request(subset: Sandbox.examples(2 + i, tag: "p\(i)"), settings: Sandbox.settings(), evaluationSets: Sandbox.evaluation)
        }
        let results = trainer.finetuneAll(requests + [requests[0]])  // a duplicate runs once
        XCTAssertEqual(results.count, 5)
        for result in results { XCTAssertNoThrow(try result.get()) }
        XCTAssertEqual(try results[0].get(), try results[4].get())
        XCTAssertEqual(sandbox.calls.count, 4)
        let spans = try String(contentsOf: sandbox.root.appendingPathComponent("spans.log"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: " ").map { Double($0)! } }
        XCTAssertEqual(spans.count, 4)
        let overlaps = spans.map { span in spans.filter { $0[0] < span[1] && span[0] < $0[1] }.count }
        XCTAssertEqual(overlaps.max(), 2, "two at a time, never more: \(spans)")
    }

    func testFailureIsRecordedAndTheJobResumesOnTheNextCall() throws {
        let sandbox = try makeSandbox()
        let subset = Sandbox.examples(3, tag: "f")
        XCTAssertThrowsError(try sandbox.trainer(options: ["mode": "fail"]).finetune(
            subset: subset, settings: Sandbox.settings(), evaluationSets: Sandbox.evaluation)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("exited with status 3"), text)
            XCTAssertTrue(text.contains("CUDA out of memory (simulated)"), "the log's tail is in the message: \(text)")
            XCTAssertTrue(text.contains("attempt-1.log"), text)
        }
        let failing = try sandbox.trainer(options: ["mode": "fail"])
        let job = try failing.job(subset: subset, settings: Sandbox.settings(), evaluationSets: Sandbox.evaluation)
        var entry = try XCTUnwrap(failing.ledger.entry(job.key))
        XCTAssertEqual(entry.status, .failed)
        XCTAssertEqual(entry.attempts, 1)
        XCTAssertTrue(entry.error!.contains("status 3"))
        XCTAssertEqual(try failing.ledger.entries(status: .failed).map(\.key), [job.key])

        // A flaky program: the first attempt fails, the retry within the same call succeeds.
        let flaky = try sandbox.trainer(retries: 1, options: ["mode": "flaky"])
        let flakyJob = try flaky.job(subset: subset, settings: Sandbox.settings(), evaluationSets: Sandbox.evaluation)
        XCTAssertNoThrow(try flaky.run(flakyJob))
        entry = try XCTUnwrap(flaky.ledger.entry(flakyJob.key))
        XCTAssertEqual(entry.status, .finished)
        XCTAssertEqual(entry.attempts, 2)
        XCTAssertNil(entry.error)
        // Without retries, the failed job is run again on the next call and its attempts add up.
        let once = try sandbox.trainer(options: ["mode": "flaky"])
        let onceJob = try once.job(subset: Sandbox.examples(4, tag: "g"), settings: Sandbox.settings(), evaluationSets: Sandbox.evaluation)
        XCTAssertThrowsError(try once.run(onceJob))
        XCTAssertEqual(try once.ledger.entry(onceJob.key)?.status, .failed)
        XCTAssertNoThrow(try once.run(onceJob))
        XCTAssertEqual(try once.ledger.entry(onceJob.key)?.status, .finished)
        XCTAssertEqual(try once.ledger.entry(onceJob.key)?.attempts, 2)
    }

    func testTimeoutKillsTheWholeProcessGroup() throws {
        let sandbox = try makeSandbox()
        let trainer = try sandbox.trainer(timeout: 1.5, options: ["mode": "hang"])
        let job = try trainer.job(subset: Sandbox.examples(2, tag: "h"), settings: Sandbox.settings(), evaluationSets: Sandbox.evaluation)
        let start = Date()
        XCTAssertThrowsError(try trainer.run(job)) { error in
            XCTAssertTrue("\(error)".contains("no result within 1.5 s"), "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 15)
        let pids = try String(contentsOf: JobFolder(root: trainer.configuration.jobsDirectory, key: job.key)
            .directory.appendingPathComponent("pids"), encoding: .utf8).split(separator: " ").map { Int32($0)! }
        XCTAssertEqual(pids.count, 2)
        Thread.sleep(forTimeInterval: 0.3)
        for pid in pids { XCTAssertFalse(isRunning(pid), "process \(pid) of the job's group survived the timeout") }
        XCTAssertEqual(try trainer.ledger.entry(job.key)?.status, .failed)
    }

    func testMalformedAndReportedResultsAreErrorsNamingTheFile() throws {
        let sandbox = try makeSandbox()
        let malformed = try sandbox.trainer(options: ["mode": "malformed"])
        let job = try malformed.job(subset: Sandbox.examples(2, tag: "m"), settings: Sandbox.settings(), evaluationSets: Sandbox.evaluation)
        XCTAssertThrowsError(try malformed.run(job)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("jobs/\(job.key)/result.json at $: not valid JSON"), text)
        }
        let reported = try sandbox.trainer(options: ["mode": "reported"])
        XCTAssertThrowsError(try reported.finetune(subset: Sandbox.examples(2, tag: "m"), settings: Sandbox.settings(),
                                                   evaluationSets: Sandbox.evaluation)) { error in
            XCTAssertTrue("\(error)".contains("the program reported an error: loss diverged at step 7"), "\(error)")
        }
    }

    func testMissingEvaluationSetIsAnError() throws {
        let sandbox = try makeSandbox()
        XCTAssertThrowsError(try sandbox.trainer().finetune(subset: Sandbox.examples(2, tag: "e"), settings: Sandbox.settings(),
                                                            evaluationSets: ["self-instruct": Sandbox.examples(1, tag: "x")])) { error in
            XCTAssertEqual(error as? TrainerError, .missingEvaluationSet("mt-bench"))
        }
    }

    private func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        // A zombie has ended; it only waits for its (re)parent to collect it.
        let state = stat.split(separator: ")").last?.split(separator: " ").first
        return state != "Z" && state != "X"
    }
}
