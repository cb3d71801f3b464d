import Core
import Foundation
import GRDB
import Store
import Workbench
import XCTest

/// What the oracle tests share: profiles that add an `oracle:` section to tiny, the built `imine` (the job program
/// of the command and Slurm backends), a local Slurm, and comparisons of cell payloads across backends.
enum Oracle {
    /// The `imine` built beside this test binary (`swift build --build-tests` builds every product).
    static func imine() throws -> String {
        let products = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for folder in [products, products.deletingLastPathComponent()] {
            let candidate = folder.appendingPathComponent("imine").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: products.appendingPathComponent("imine").path,
            NSLocalizedDescriptionKey: "imine is not built next to the tests: swift build --build-tests builds it"])
    }

    /// The tiny profile plus `oracle` (YAML lines indented under `oracle:`), written into the workbench's folder.
    static func tinyProfile(_ bench: ScratchWorkbench, named name: String, oracle: [String]) throws -> String {
        let tiny = try String(contentsOf: bench.paths.profiles.appendingPathComponent("tiny.yaml"), encoding: .utf8)
        return try bench.notebook("\(name).yaml", tiny + "\noracle:\n" + oracle.map { "  " + $0 }.joined(separator: "\n") + "\n")
    }

    /// A YAML flow list of double-quoted strings (escaped, so a multi-line script keeps its lines).
    static func list(_ items: [String]) -> String {
        "[" + items.map { item in
            "\"" + item.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n") + "\""
        }.joined(separator: ", ") + "]"
    }

    /// Each cell's payload under `runner`'s profile (cells must be fresh), with every `jobKey` taken out: what is
    /// left is a function of the losses alone, so equal payloads mean the same losses bit for bit.
    static func payloads(_ runner: Runner, _ plan: Plan) throws -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for state in try runner.status(plan) {
            guard let record = state.record else { throw CocoaError(.coderValueNotFound, userInfo: [NSLocalizedDescriptionKey: "\(state.key) is \(state.freshness)"]) }
            out[state.key] = withoutJobKeys(try JSONDecoder().decode(JSONValue.self, from: runner.store.artifact(record.outputDigest)))
        }
        return out
    }

    static func withoutJobKeys(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let fields): .object(fields.filter { $0.key != "jobKey" }.mapValues(withoutJobKeys))
        case .array(let items): .array(items.map(withoutJobKeys))
        default: value
        }
    }

    /// Cells whose step finetunes (declares `oracle`) and every cell that uses one of them, directly or not.
    static func finetuneDependent(_ plan: Plan) -> Set<String> {
        var dependent: Set<String> = []
        for node in plan.nodes where node.step.optionalProfileKeys.contains("oracle") || node.inputs.contains(where: dependent.contains) {
            dependent.insert(node.key)
        }
        return dependent
    }

    /// Ledger rows: job key → (status, attempts).
    static func ledger(_ store: Store) throws -> [String: (String, Int)] {
        let rows = try store.read { db in try Row.fetchAll(db, sql: "SELECT job_key, status, attempts FROM finetune") }
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["job_key"] as String, ($0["status"] as String, $0["attempts"] as Int)) })
    }

    /// Starts a one-node Slurm in `folder` (paper-repro/slurm/local-cluster.sh) and points this process (and so
    /// sbatch, squeue and every task) at it; the returned closure stops it.
    static func startSlurm(in folder: URL, cpus: Int = 2) throws -> () -> Void {
        let script = ScratchWorkbench.root.appendingPathComponent("paper-repro/slurm/local-cluster.sh").path
        try run(script, "start", folder.path, "\(cpus)")
        setenv("SLURM_CONF", folder.appendingPathComponent("slurm.conf").path, 1)
        return {
            unsetenv("SLURM_CONF")
            try? run(script, "stop", folder.path)
        }
    }

    static func run(_ arguments: String...) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "\(arguments.joined(separator: " ")) exited \(process.terminationStatus)"])
        }
    }
}
