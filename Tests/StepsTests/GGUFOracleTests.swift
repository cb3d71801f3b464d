import Core
import Foundation
import GRDB
import PretrainedLM
@testable import Steps
import Store
import Workbench
import XCTest

/// The `gguf` oracle: a real model (SmolLM2-135M-Instruct, last block only, 48-token sequences) finetuning the rule-fit
/// subsets of notebooks 01–02, in process, as `imine finetune-job` children and (with `IMINE_SLURM_TESTS=1`) as a job
/// array on a real one-node Slurm, with the same losses bit for bit;
/// switching the oracle (or its mode) makes exactly the finetuning cells stale.
final class GGUFOracleTests: XCTestCase {
    static let smol = ["backend: gguf", "model: smollm2-135m-instruct", "mode: last-n", "blocks: 1", "max_length: 48"]

    /// Tiny with three rule-fit subsets of eight examples, one epoch and 12 examples per evaluation set: seconds per finetune.
    private func profile(_ bench: ScratchWorkbench, named name: String, oracle: [String]?) throws -> String {
        var text = try String(contentsOf: bench.paths.profiles.appendingPathComponent("tiny.yaml"), encoding: .utf8)
        for (from, to) in [("  subsets: 12", "  subsets: 3"), ("  subset_size: 64", "  subset_size: 8"), ("  epochs: 2", "  epochs: 1\n  eval_examples: 12")] {
            XCTAssertTrue(text.contains(from), "tiny.yaml changed: \(from)")
            text = text.replacingOccurrences(of: from, with: to)
        }
        if let oracle { text += "\noracle:\n" + oracle.map { "  " + $0 }.joined(separator: "\n") + "\n" }
        return try bench.notebook("\(name).yaml", text)
    }

    private func stale(_ runner: Runner, _ plan: Plan) throws -> Set<String> {
        Set(try runner.status(plan).filter { $0.freshness != .fresh }.map(\.key))
    }

    func testRuleFitFinetunesOnSmolLM2InProcessAndThroughTheJobProgramAgree() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: ScratchWorkbench.root.appendingPathComponent(
            "models/" + GGUFModels.files["smollm2-135m-instruct"]!).path), "SmolLM2 not fetched: run scripts/setup.sh")
        let bench = try ScratchWorkbench("gguf-oracle", for: self)
        let plan = try Plan(files: [try bench.notebook("rule.md", ScratchWorkbench.ruleFinetunesNotebook)], registry: bench.registry)
        let dependent = Oracle.finetuneDependent(plan)
        XCTAssertEqual(dependent.count, 1, "the finetunes cell")

        let microlm = try bench.runner(profile: try profile(bench, named: "small-microlm", oracle: nil))
        XCTAssertEqual(try microlm.run(plan, render: false).failed.map(\.0), [])

        let gguf = try bench.runner(profile: try profile(bench, named: "small-gguf", oracle: Self.smol))
        XCTAssertEqual(try stale(gguf, plan), dependent, "switching the oracle to gguf makes exactly the finetunes stale")
        let inProcess = try gguf.run(plan, render: false)
        XCTAssertEqual(inProcess.failed.map(\.0), [], "\(inProcess.failed)")
        XCTAssertEqual(Set(inProcess.ran), dependent)
        let losses = try Oracle.payloads(gguf, plan)
        XCTAssertNotEqual(losses, try Oracle.payloads(microlm, plan), "another model, other losses")
        let jobs = try gguf.store.read { db in try String.fetchAll(db, sql: "SELECT job_json FROM finetune WHERE backend = 'pretrained-lm'") }
        XCTAssertEqual(jobs.count, 3)
        XCTAssertTrue(jobs.allSatisfy { $0.contains("gguf:smollm2-135m-instruct@") && $0.contains(":last-1-blocks:len48") },
                      "the model file's digest, the mode and the length are in every job key")
        let row = try XCTUnwrap(try gguf.status(plan).first { dependent.contains($0.key) }?.record)
        let payload = String(decoding: try gguf.store.artifact(row.outputDigest), as: UTF8.self)
        for loss in try JSONDecoder().decode(JSONValue.self, from: Data(payload.utf8)).finetuneLosses {
            XCTAssertTrue(loss.isFinite && loss > 0 && loss < 8, "a pretrained model's response NLL, not a random one: \(loss)")
        }

        let lastTwo = try bench.runner(profile: try profile(bench, named: "small-gguf-2", oracle: Self.smol.map { $0 == "blocks: 1" ? "blocks: 2" : $0 }))
        XCTAssertEqual(try stale(lastTwo, plan), dependent, "another mode: exactly the finetunes are stale")

        // The same finetunes as child processes: `imine finetune-job` run by the command backend, and (opt-in, as in
        // ReproductionTests; `make test` sets it) the same program as a job array on a real one-node Slurm.
        let jobProgram = "command: " + Oracle.list([try Oracle.imine(), "finetune-job", "--backend", "gguf", "--spec", "{spec}"])
        func assertSameLosses(name: String, oracle: [String], via: String) throws {
            let runner = try bench.runner(profile: try profile(bench, named: "small-gguf-\(name)", oracle: oracle + [
                "name: \(name)", "model: \"gguf:smollm2-135m-instruct:last-1-blocks:len48\"", jobProgram,
            ]))
            XCTAssertEqual(try stale(runner, plan), dependent)
            let run = try runner.run(plan, render: false)
            XCTAssertEqual(run.failed.map(\.0), [], "\(run.failed)")
            let count = try runner.store.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM finetune WHERE backend = ?", arguments: ["command:\(name)"]) ?? 0
            }
            XCTAssertEqual(count, 3, "every finetune ran \(via)")
            XCTAssertEqual(try Oracle.payloads(runner, plan), losses, "the same losses in process and \(via), bit for bit")
        }
        try assertSameLosses(name: "smollm2-cli", oracle: ["backend: command", "parallel: 1"], via: "as imine finetune-job")

        guard ProcessInfo.processInfo.environment["IMINE_SLURM_TESTS"] == "1" else { return }
        let stopSlurm = try Oracle.startSlurm(in: bench.folder.appendingPathComponent("cluster"))
        defer { stopSlurm() }
        try assertSameLosses(name: "smollm2-slurm", oracle: ["backend: slurm", "cpus_per_task: 1", "time_limit: 600", "wait: true", "poll_seconds: 0.3"],
                             via: "as a Slurm array task")
    }

    func testTheProfileSchemaNamesABadGGUFOracle() throws {
        func problem(_ fields: [String: JSONValue]) -> String { OracleSpec.problem(with: .object(fields)) ?? "accepted" }
        let smol: [String: JSONValue] = ["backend": .string("gguf"), "model": .string("smollm2-135m-instruct")]
        XCTAssertEqual(problem(smol), "accepted")
        XCTAssertTrue(problem(smol.merging(["model": .string("llama-7b")]) { $1 }).contains("known: gemma-3-270m, smollm2-135m-instruct"))
        XCTAssertTrue(problem(smol.merging(["mode": .string("qlora")]) { $1 }).contains("'oracle.mode'"))
        XCTAssertTrue(problem(smol.merging(["mode": .string("last-n"), "rank": .int(8)]) { $1 }).contains("'oracle.rank'"))
        XCTAssertTrue(problem(smol.merging(["max_length": .int(3)]) { $1 }).contains("'oracle.max_length'"))
        XCTAssertTrue(problem(smol.merging(["partition": .string("gpu")]) { $1 }).contains("'oracle.partition'"))
        XCTAssertTrue(problem(["backend": .string("command"), "name": .string("n"), "model": .string("gguf:smollm2-135m-instruct:lora-r8:len64")])
            .contains("not a GGUF model reference"))
        XCTAssertNil(ScoringLMs.problem(with: .object(["backend": .string("gguf"), "model": .string("gemma-3-270m"), "max_length": .int(128)])))
        XCTAssertTrue((ScoringLMs.problem(with: .object(["backend": .string("gguf"), "model": .string("gemma")])) ?? "").contains("indicators.lm.model"))

        // A missing model file is refused before anything runs, saying how to get it.
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("imine-no-models-\(UUID().uuidString)")
        let profile = Profile(name: "p", file: "p.yaml", values: .object(["oracle": .object(smol)]))
        let context = ExternalInputsContext(parameters: Parameters([:], step: "t"),
                                            profile: ProfileView(profile: profile, allowedKeys: [OracleSpec.key], stepName: "t"),
                                            dataDirectory: empty, modelsDirectory: empty)
        XCTAssertThrowsError(try Oracles.externalInputs(context)) { error in
            XCTAssertEqual((error as? InputError)?.field, "oracle.model")
            XCTAssertTrue("\(error)".contains("scripts/setup.sh"), "\(error)")
        }
    }

    /// The steps that finetune are FinetuningSteps: the runner, which sees `any Step.Type`, gets the protocol's `oracle`
    /// key and the oracle's model file as an external input (a missing one is refused). The verdicts step reads the
    /// key only, to name the oracle.
    func testEveryFinetuningStepReadsTheOracleAndItsModelFile() throws {
        let readers = StepCatalog.all.filter { $0.optionalProfileKeys == [OracleSpec.key] }.map { $0.name }.sorted()
        XCTAssertEqual(readers, ["audit.verdicts", "robustness.ablation", "robustness.variants", "rule.audits", "rule.finetunes",
                                 "search.subset-size", "selection.compare", "sweep.regime", "sweep.sizes"])
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("imine-no-models-\(UUID().uuidString)")
        let oracle: JSONValue = .object(["backend": .string("gguf"), "model": .string("smollm2-135m-instruct"), "mode": .string("lora"), "max_length": .int(64)])
        let profile = Profile(name: "p", file: "p.yaml", values: .object(["oracle": oracle]))
        for step in StepCatalog.all {
            let name = step.name
            guard readers.contains(name), name != "audit.verdicts" else { continue }
            let field = try missingModelField(step, profile: profile, models: empty)
            XCTAssertEqual(field, "oracle.model", name)
        }
    }

    /// The steps that embed and score are ScoringSteps: through `any Step.Type`, as the runner sees them, they get the
    /// protocol's external inputs, so a GGUF `indicators.lm` whose file is missing is refused by exactly these.
    func testEveryScoringStepReadsTheScoringModelFile() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("imine-no-models-\(UUID().uuidString)")
        let lm: JSONValue = .object(["backend": .string("gguf"), "model": .string("gemma-3-270m"), "max_length": .int(128)])
        let profile = Profile(name: "p", file: "p.yaml", values: .object(["indicators": .object(["lm": lm])]))
        var readers: [String] = []
        // Other steps may fail for want of their parameters here; only the scoring model's error counts.
        for step in StepCatalog.all where (try? missingModelField(step, profile: profile, models: empty)) == "indicators.lm.model" {
            readers.append(step.name)
        }
        XCTAssertEqual(readers.sorted(), ["indicators.audit", "indicators.compute", "indicators.reward-model"])
    }

    /// The field of the error a step's external inputs raise under `profile` with an empty models folder.
    private func missingModelField<S: Step>(_ step: S.Type, profile: Profile, models: URL) throws -> String? {
        let context = ExternalInputsContext(parameters: Parameters([:], step: S.name),
                                            profile: ProfileView(profile: profile, allowedKeys: S.readableProfileKeys, stepName: S.name),
                                            dataDirectory: models, modelsDirectory: models)
        do {
            _ = try S.externalInputs(context)
            return nil
        } catch let error as InputError {
            return error.field
        }
    }

    func testAReferenceRoundTripsEveryMode() throws {
        for mode: FinetuneMode in [.full, .lora(rank: 4, alpha: 12), .lastBlocks(3)] {
            let oracle = GGUFOracle(model: "gemma-3-270m", mode: mode, maxLength: 96)
            let text = "gguf:gemma-3-270m@\(String(repeating: "a", count: 64)):\(oracle.mode):len96"
            XCTAssertEqual(try GGUFOracle(reference: text, file: "f", field: "m"), oracle)
            XCTAssertEqual(GGUFOracle.digest(in: text), String(repeating: "a", count: 64))
        }
    }
}

private extension JSONValue {
    /// Every number under a `losses` key.
    var finetuneLosses: [Double] {
        switch self {
        case .object(let fields):
            fields.flatMap { key, value in key == "losses" ? (value.objectValue ?? [:]).values.compactMap(\.doubleValue) : value.finetuneLosses }
        case .array(let items): items.flatMap(\.finetuneLosses)
        default: []
        }
    }
}
