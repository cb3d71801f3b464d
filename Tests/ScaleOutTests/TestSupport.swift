import Corpus
import Foundation
import ScaleOut
import Store
import Training
import XCTest

/// A scratch folder, a store in it, and a tiny real finetune program (Python, no third-party packages) that reads
/// the job spec and subset like a GPU script would and answers according to the spec's `mode` option.
struct Sandbox {
    let root: URL
    let store: Store
    let script: URL

    init(name: String = #function) throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("scaleout-tests-\(name.filter(\.isLetter))-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        store = try Store(path: root.appendingPathComponent("store.sqlite").path, schemas: [.corpus, .training])
        script = root.appendingPathComponent("fake_finetune.py")
        try Sandbox.program.write(to: script, atomically: true, encoding: .utf8)
    }

    func trainer(name: String = "fake", parallel: Int = 1, timeout: TimeInterval? = 20, retries: Int = 0,
                 options: [String: String] = [:], extraArguments: [String] = []) throws -> CommandTrainer {
        try CommandTrainer(configuration: .init(
            name: name,
            command: CommandTemplate(executable: "python3", arguments: [script.path, "--spec", "{spec}", "--out={output}"] + extraArguments),
            jobsDirectory: root.appendingPathComponent("jobs-root"), options: options, maxParallelJobs: parallel,
            timeout: timeout, retries: retries, killGrace: 1,
            environment: ["FAKE_LEDGER": root.appendingPathComponent("calls.log").path]), store: store)
    }

    /// One line per program start, written by the program itself: how many times anything really ran.
    var calls: [String] {
        ((try? String(contentsOf: root.appendingPathComponent("calls.log"), encoding: .utf8)) ?? "")
            .split(separator: "\n").map(String.init)
    }

    static func examples(_ count: Int, tag: String) -> [Example] {
        (0..<count).map { i in
            Example(instruction: "Write line \(i) about \(tag).", input: i % 2 == 0 ? "" : "context \(i)",
                    response: String(repeating: "word\(i) ", count: i + 1) + "«unicode ✓»", source: "test", licence: "cc0")
        }
    }

    static func settings(seed: UInt64 = 1, epochs: Int = 3) -> FinetuneSettings {
        FinetuneSettings(baseModel: "tiny-test-model", epochs: epochs, learningRate: 2e-5, batchSize: 4, seed: seed,
                         evaluationSets: ["self-instruct", "mt-bench"])
    }

    static let evaluation = ["self-instruct": examples(3, tag: "eval-a"), "mt-bench": examples(2, tag: "eval-b"),
                             "unused": examples(1, tag: "unused")]

    /// The fake finetune: loss of a set = mean response length in words / 100; tokens = words in the subset × epochs.
    /// Modes: ok, fail (exit 3), hang (sleeps with a child), malformed (bad JSON), reported (error field),
    /// flaky (fails on the first attempt of a job), slow (sleeps 0.6 s, logs start/end times).
    static let program = #"""
    import hashlib, json, os, subprocess, sys, time
    args = sys.argv[1:]
    spec_path = args[args.index("--spec") + 1]
    out = [a for a in args if a.startswith("--out=")][0][len("--out="):]
    job = os.path.dirname(spec_path)
    with open(os.environ["FAKE_LEDGER"], "a") as f:
        f.write(json.dumps({"job": os.path.basename(job), "argv": sys.argv[1:], "cwd": os.getcwd()}) + "\n")
    spec = json.load(open(spec_path))
    subset_bytes = open(os.path.join(job, spec["subset"]["path"]), "rb").read()
    assert hashlib.sha256(subset_bytes).hexdigest() == spec["subset"]["sha256"], "subset checksum"
    subset = json.loads(subset_bytes)
    mode = spec["options"].get("mode", "ok")
    if mode == "fail":
        print("loading model...\nCUDA out of memory (simulated)", file=sys.stderr); sys.exit(3)
    if mode == "hang":
        child = subprocess.Popen(["sleep", "300"])
        open(os.path.join(job, "pids"), "w").write(f"{os.getpid()} {child.pid}")
        time.sleep(300)
    if mode == "malformed":
        open(out, "w").write('{"eval_losses": {"self-instruct": 0.5,'); sys.exit(0)
    if mode == "reported":
        json.dump({"error": "loss diverged at step 7"}, open(out, "w")); sys.exit(0)
    if mode == "flaky" and not os.path.exists(os.path.join(job, "tried")):
        open(os.path.join(job, "tried"), "w").write("1"); sys.exit(1)
    if mode == "slow":
        start = time.time(); time.sleep(0.6)
        with open(os.path.join(os.path.dirname(os.environ["FAKE_LEDGER"]), "spans.log"), "a") as f:
            f.write(f"{start} {time.time()}\n")
    losses = {}
    for ev in spec["evaluation_sets"]:
        rows = json.load(open(os.path.join(job, ev["path"])))
        assert len(rows) == ev["count"]
        losses[ev["name"]] = sum(len(r["output"].split()) for r in rows) / len(rows) / 100
    tokens = sum(len((r["instruction"] + " " + r["input"] + " " + r["output"]).split()) for r in subset) * spec["epochs"]
    json.dump({"eval_losses": losses, "tokens": tokens, "wall_seconds": 0.01, "error": None,
               "checkpoint": None, "metrics": {"mode": mode}}, open(out, "w"), allow_nan=False)
    """#
}

/// What the fake program computes, recomputed here from the examples: the expected result.
func expectedLoss(_ examples: [Example]) -> Double {
    Double(examples.map { $0.response.split(separator: " ").count }.reduce(0, +)) / Double(examples.count) / 100
}

extension XCTestCase {
    /// A sandbox removed when the test ends.
    func makeSandbox(name: String = #function) throws -> Sandbox {
        let sandbox = try Sandbox(name: name)
        addTeardownBlock { try? FileManager.default.removeItem(at: sandbox.root) }
        return sandbox
    }
}
