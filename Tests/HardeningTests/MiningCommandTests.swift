import Core
import Foundation
import GRDB
import XCTest

/// `imine score`, `imine mine`, `imine rule export` and `imine indicators import` run as a user runs them, on real
/// files of the data folder, under the tiny profile. One store is shared by the tests of this class so that the
/// profile's notebooks (01, and 02 for the fitted rule) are computed once.
final class MiningCommandTests: XCTestCase {
    static let folder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("imine-mining-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()
    var store: String { Self.folder.appendingPathComponent("store.sqlite").path }
    var demo: String { CLI.root.appendingPathComponent("data/llama-factory-demo/alpaca_en_demo.json").path }
    var identity: String { CLI.root.appendingPathComponent("data/llama-factory-demo/identity.json").path }

    func imine(_ arguments: [String], limit: TimeInterval = 900) throws -> CLI.Outcome {
        let outcome = try CLI.run(arguments + ["--profile", CLI.tinyProfile.path, "--store", store], in: CLI.root, limit: limit)
        XCTAssertFalse(outcome.hung, "imine \(arguments.joined(separator: " ")) hung:\n\(outcome.output)")
        return outcome
    }

    func path(_ name: String) -> String { Self.folder.appendingPathComponent(name).path }
    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// "mtld: 12 cached, 3 to compute" lines of a run's stderr, as (cached, computed) per group.
    func counts(_ outcome: CLI.Outcome) -> [String: (Int, Int)] {
        var result: [String: (Int, Int)] = [:]
        for line in outcome.stderr.split(separator: "\n") where line.hasSuffix("to compute") {
            let parts = line.split(separator: ":")
            let numbers = parts.last!.split(separator: " ").compactMap { Int($0) }
            result[String(parts[0])] = (numbers[0], numbers[1])
        }
        return result
    }

    func testScoreCachesByContentAndGivesTheSameBytes() throws {
        let first = try imine(["score", demo, "-o", path("a.jsonl")])
        XCTAssertEqual(first.status, 0, first.output)
        let again = try imine(["score", demo, "-o", path("b.jsonl")])
        XCTAssertEqual(again.status, 0, again.output)
        XCTAssertEqual(try bytes(path("a.jsonl")), try bytes(path("b.jsonl")))
        XCTAssertFalse(counts(again).isEmpty, again.stderr)
        for (group, (_, computed)) in counts(again) { XCTAssertEqual(computed, 0, "\(group) was computed again") }

        // An overlapping file: 50 records of the demo and the 91 of identity.json; only identity's are new.
        let records = try JSONSerialization.jsonObject(with: bytes(demo)) as! [Any]
        let overlap = path("overlap.json")
        try JSONSerialization.data(withJSONObject: Array(records.prefix(50))).write(to: URL(fileURLWithPath: overlap))
        let mixed = try imine(["score", overlap, identity, "--indicators", "mtld,reward", "-o", path("mixed.csv")])
        XCTAssertEqual(mixed.status, 0, mixed.output)
        let mtld = try XCTUnwrap(counts(mixed)["mtld"], mixed.stderr)
        let written = try XCTUnwrap(mixed.stdout.split(separator: " ").dropFirst().first.flatMap { Int($0) }, mixed.stdout)
        XCTAssertEqual(mtld.0 + mtld.1, written)
        XCTAssertGreaterThanOrEqual(mtld.0, 50, "the 50 shared examples must come from the cache")
        XCTAssertGreaterThan(mtld.1, 0, "identity.json's examples are new")
        let csv = try String(contentsOfFile: path("mixed.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.first, "id,source,mtld,reward")
        // The CSV's values for the 50 shared examples are the JSONL's.
        let jsonl = try String(contentsOfFile: path("a.jsonl"), encoding: .utf8).split(separator: "\n").prefix(50)
        for (row, line) in zip(jsonl, csv.dropFirst()) {
            let fields = line.split(separator: ",")
            XCTAssertTrue(row.hasPrefix("{\"id\":\"\(fields[0])\","), String(row))
            XCTAssertTrue(row.contains("\"mtld\":\(fields[2]),"), "\(row) vs \(line)")
        }
    }

    func testAnInterruptedScoreResumes() throws {
        let file = CLI.root.appendingPathComponent("data/alpagasus-dolly-3k/dolly_3k.json").path
        let warm = try imine(["score", demo, "--indicators", "mtld", "-o", path("warm.jsonl")])  // the notebooks run here
        XCTAssertEqual(warm.status, 0, warm.output)
        func values() -> Int { (try? DatabaseQueue(path: store).read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM indicator_value") ?? 0 }) ?? 0 }
        let before = values()
        let running = try CLI.start(["score", file, "--indicators", "mtld,knn6", "--batch", "100", "-o", path("dolly.jsonl"),
                                     "--profile", CLI.tinyProfile.path, "--store", store], in: CLI.root)
        // Wait until some batches are committed, then kill it without warning.
        let deadline = Date().addingTimeInterval(900)
        var stored = 0
        while running.0.isRunning, Date() < deadline {
            usleep(200_000)
            stored = values() - before
            if stored >= 300 { kill(running.0.processIdentifier, SIGKILL); break }
        }
        _ = CLI.finish(running, limit: 60)
        XCTAssertGreaterThanOrEqual(stored, 300, "no batch was committed before the run ended")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("dolly.jsonl")), "a killed run must not leave an output file")
        let resumed = try imine(["score", file, "--indicators", "mtld,knn6", "-o", path("dolly.jsonl")])
        XCTAssertEqual(resumed.status, 0, resumed.output)
        let cached = counts(resumed).values.map(\.0).reduce(0, +)
        XCTAssertGreaterThan(cached, 0, "the resumed run computed everything again:\n\(resumed.stderr)")
        let lines = try String(contentsOfFile: path("dolly.jsonl"), encoding: .utf8).split(separator: "\n")
        XCTAssertGreaterThan(lines.count, 2_900)
    }

    func testMineWritesTheSameSubsetAndAReport() throws {
        let first = try imine(["mine", demo, "--rule", "paper-v1", "--top", "100", "--format", "sharegpt", "-o", path("top.json")])
        XCTAssertEqual(first.status, 0, first.output)
        let second = try imine(["mine", demo, "--rule", "paper-v1", "--top", "100", "--format", "sharegpt", "-o", path("top2.json")])
        XCTAssertEqual(second.status, 0, second.output)
        XCTAssertEqual(try bytes(path("top.json")), try bytes(path("top2.json")))
        let subset = try JSONSerialization.jsonObject(with: bytes(path("top.json"))) as! [[String: Any]]
        XCTAssertEqual(subset.count, 100)
        XCTAssertNotNil(subset[0]["conversations"])
        let report = try String(contentsOfFile: path("top.json.report.md"), encoding: .utf8)
        for expected in ["# Mining report", "knn6", "reward", "output_length", "## Best and worst examples", "no fit range"] {
            XCTAssertTrue(report.contains(expected), "report lacks '\(expected)'")
        }
        let html = try String(contentsOfFile: path("top.json.report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("data:image/svg+xml;base64,"), "the HTML report must embed its figures")
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("top.json.report-figures/predicted-log-loss.png")))
    }

    /// `--search` chooses k by the profile's subset-size search (tiny: BlendSearch, MicroLM finetunes) with the
    /// user's own evaluation file as objective; a rerun whose finetunes are all computed again (the ledger emptied)
    /// writes the same subset and report, byte for byte.
    func testSearchChoosesKAndARerunIsIdentical() throws {
        let out = path("searched.json")
        let arguments = ["mine", demo, "--rule", "paper-v1", "--search", "--eval", identity, "--format", "jsonl", "-o", out]
        let first = try imine(arguments)
        XCTAssertEqual(first.status, 0, first.output)
        let trialLines = first.stderr.split(separator: "\n").filter { $0.hasPrefix("trial ") && $0.contains(": k = ") }
        XCTAssertFalse(trialLines.isEmpty, "no progress line per trial:\n\(first.stderr)")
        let chosen = try XCTUnwrap(first.stdout.split(separator: "\n").first { $0.contains("chosen k = ") }
            .flatMap { Int($0.split(separator: " ").last!) }, first.stdout)
        let subset = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(subset.count, chosen)
        let report = try String(contentsOfFile: out + ".report.md", encoding: .utf8)
        XCTAssertTrue(report.contains("## Subset-size search"), report)
        XCTAssertTrue(report.contains("your evaluation file \(identity)"), report)
        XCTAssertTrue(report.contains("**Chosen k: \(chosen)**"), report)
        let tableRows = report.split(separator: "\n").filter { $0.range(of: #"^\| \d+ \| \d+ \|"#, options: .regularExpression) != nil }
        XCTAssertEqual(tableRows.count, trialLines.count, report)
        XCTAssertTrue(tableRows.contains { $0.split(separator: "|")[1].trimmingCharacters(in: .whitespaces) == "\(chosen)" }, "the chosen k is a trial's k")
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + ".report-figures/search-loss.svg"))

        let firstSubset = try bytes(out), firstReport = try bytes(out + ".report.md")
        let jobs = try DatabaseQueue(path: store).write { db -> Int in
            try db.execute(sql: "DELETE FROM finetune")
            return db.changesCount
        }
        XCTAssertGreaterThanOrEqual(jobs, trialLines.count, "each trial's finetune is in the ledger")
        let second = try imine(arguments)
        XCTAssertEqual(second.status, 0, second.output)
        XCTAssertEqual(try bytes(out), firstSubset)
        XCTAssertEqual(try bytes(out + ".report.md"), firstReport)

        let mixed = try imine(["mine", demo, "--rule", "paper-v1", "--search", "--top", "5", "-o", path("mixed.json")])
        XCTAssertNotEqual(mixed.status, 0)
        XCTAssertTrue(mixed.stderr.contains("--search"), mixed.stderr)
    }

    func testFittedRuleExportsAndRanksTheSameAsItsFile() throws {
        let export = try imine(["rule", "export", "-o", path("rule.yaml")])
        XCTAssertEqual(export.status, 0, export.output)
        let yaml = try String(contentsOfFile: path("rule.yaml"), encoding: .utf8)
        for expected in ["format: imine-rule-1", "variant:", "coefficient:", "fit_range:", "provenance:"] {
            XCTAssertTrue(yaml.contains(expected), "rule.yaml lacks '\(expected)':\n\(yaml)")
        }
        let fitted = try imine(["mine", demo, "--rule", "fitted", "--fraction", "0.1", "--format", "jsonl", "-o", path("fitted.jsonl")])
        XCTAssertEqual(fitted.status, 0, fitted.output)
        let fromFile = try imine(["mine", demo, "--rule", path("rule.yaml"), "--fraction", "0.1", "--format", "jsonl", "-o", path("file.jsonl")])
        XCTAssertEqual(fromFile.status, 0, fromFile.output)
        XCTAssertEqual(try bytes(path("fitted.jsonl")), try bytes(path("file.jsonl")))
        XCTAssertEqual(try String(contentsOfFile: path("file.jsonl"), encoding: .utf8).split(separator: "\n").count, 99)  // ⌈0.1 × 985 distinct⌉
        let report = try String(contentsOfFile: path("file.jsonl.report.md"), encoding: .utf8)
        XCTAssertTrue(report.contains("fit range"))

        // A rule naming a variant nobody can compute is refused, naming the indicator.
        try yaml.replacingOccurrences(of: "variant: \"", with: "variant: \"0000").write(toFile: path("alien.yaml"), atomically: true, encoding: .utf8)
        let alien = try imine(["mine", demo, "--rule", path("alien.yaml"), "--top", "5", "-o", path("alien.json")])
        XCTAssertEqual(alien.status, 2, alien.output)
        XCTAssertTrue(alien.stderr.contains("cannot compute"), alien.stderr)
    }

    func testBadInputIsNamedOrSkippedAndUnknownIndicatorsAreNamed() throws {
        let records = try JSONSerialization.jsonObject(with: bytes(demo)) as! [[String: Any]]
        var lines = try records.prefix(40).map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
        lines[6] = "{\"instruction\": \"cut off"
        lines[9] = lines[9].replacingOccurrences(of: "\"output\"", with: "\"answer\"")
        let bad = path("bad.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(toFile: bad, atomically: true, encoding: .utf8)

        let refused = try imine(["score", bad, "--indicators", "mtld", "-o", path("bad-scores.jsonl")])
        XCTAssertEqual(refused.status, 2, refused.output)
        XCTAssertTrue(refused.stderr.contains("\(bad):7"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("bad-scores.jsonl")))

        let skipped = try imine(["score", bad, "--indicators", "mtld", "--skip-bad", "-o", path("bad-scores.jsonl")])
        XCTAssertEqual(skipped.status, 0, skipped.output)
        XCTAssertTrue(skipped.stderr.contains("skipped 2 bad record(s)"), skipped.stderr)
        XCTAssertTrue(skipped.stderr.contains("\(bad):10"), skipped.stderr)
        XCTAssertTrue(skipped.stderr.contains("'output'"), skipped.stderr)
        XCTAssertEqual(try String(contentsOfFile: path("bad-scores.jsonl"), encoding: .utf8).split(separator: "\n").count, 38)

        let v2 = try imine(["mine", demo, "--rule", "paper-v2", "--top", "5", "-o", path("v2.json")])
        XCTAssertEqual(v2.status, 2, v2.output)
        for name in ["unieval_coherence", "unieval_naturalness", "unieval_understandability"] { XCTAssertTrue(v2.stderr.contains(name), v2.stderr) }
    }

    func testImportedScoresFeedARule() throws {
        // Scores "computed elsewhere": the demo's examples by id with a made-up coherence, imported, then used by a rule.
        let scored = try imine(["score", demo, "--indicators", "mtld", "-o", path("ids.jsonl")])
        XCTAssertEqual(scored.status, 0, scored.output)
        let rows = try String(contentsOfFile: path("ids.jsonl"), encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        let csv = "id,coherence\n" + rows.enumerated().map { "\($1["id"]!),\(Double($0 % 7) / 7)" }.joined(separator: "\n") + "\n"
        try csv.write(toFile: path("coherence.csv"), atomically: true, encoding: .utf8)
        let imported = try CLI.run(["indicators", "import", path("coherence.csv"), "--name", "unieval_coherence", "--source", "test run",
                                    "--value-field", "coherence", "--id-field", "id", "--store", store], in: CLI.root, limit: 60)
        XCTAssertEqual(imported.status, 0, imported.output)
        let variant = try DatabaseQueue(path: store).read { db in
            try String.fetchOne(db, sql: "SELECT key FROM indicator_variant WHERE indicator = 'unieval_coherence'")
        }
        XCTAssertTrue(imported.stdout.contains("variant \(variant!.prefix(12))"), imported.stdout)
        try """
            format: imine-rule-1
            intercept: 0
            indicators:
              - name: unieval_coherence
                variant: "\(variant!)"
                coefficient: -1
            """.write(toFile: path("coherence.yaml"), atomically: true, encoding: .utf8)
        let mined = try imine(["mine", demo, "--rule", path("coherence.yaml"), "--top", "10", "--format", "jsonl", "-o", path("coherent.jsonl")])
        XCTAssertEqual(mined.status, 0, mined.output)
        // Coefficient −1: the most coherent first, i.e. the ids given 6/7.
        let best = Set(rows.enumerated().filter { $0.offset % 7 == 6 }.map { $0.element["id"] as! String })
        let picked = try String(contentsOfFile: path("coherent.jsonl"), encoding: .utf8).split(separator: "\n").map {
            (try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any])["id"] as! String
        }
        XCTAssertEqual(picked.count, 10)
        XCTAssertTrue(picked.allSatisfy(best.contains), "\(picked)")
        let bad = try CLI.run(["indicators", "import", path("coherence.csv"), "--name", "x", "--source", "s", "--value-field", "nope",
                               "--id-field", "id", "--store", store], in: CLI.root, limit: 60)
        XCTAssertEqual(bad.status, 2, bad.output)
        XCTAssertTrue(bad.stderr.contains("coherence.csv"), bad.stderr)
    }
}
