import Core
import Corpus
import Foundation
import Workbench

/// What the `corpus.pools` cell hands on: which pools exist, what is in them (by content id), the checksums of the
/// files and spec they came from, and the artifact that holds the loaded pools, which later steps read through
/// ``PoolsRef`` (never the data folder again).
struct PoolsPayload: Codable {
    var specPath: String
    var specSHA256: String
    var maxResponseChars: Int
    /// Data file checksums, by source name: a changed file changes this payload and so every cell downstream.
    var fileSHA256: [String: String]
    var pools: [PoolSummary]
    /// The artifact holding every pool as loaded (`[Pool]`, canonical JSON).
    var poolsDigest: String

    struct PoolSummary: Codable {
        var name: String
        var role: String
        var count: Int
        var idsDigest: String
        var bySource: [String: Int]
    }
}

/// Builds the pools declared in `paper-repro/pools.yaml` and checks them for leaks.
enum PoolsStep: Step {
    static let name = "corpus.pools"
    static let version = 2
    static let summary = "Builds the declared pools from the data folder and checks that no training pool leaks into an evaluation set."
    static let inputs = StepInputs.none
    static let parameters = [ParameterSpec("spec", .string, default: "paper-repro/pools.yaml", "the pool declaration file")]
    static let profileKeys = ["data.max_response_chars"]

    /// The pool declaration and the data files (through MANIFEST.tsv, whose checksums set-up verifies): a change
    /// to either makes the cell stale.
    static func externalInputs(_ context: ExternalInputsContext) throws -> [String: String] {
        let spec = try context.parameters.string("spec")
        let manifest = context.dataDirectory.appendingPathComponent("MANIFEST.tsv").path
        return ["spec": FileDigest.of(spec), "manifest": FileDigest.of(manifest)]
    }

    static func run(_ context: StepContext) throws -> StepOutput {
        let specPath = try context.parameters.string("spec")
        guard let specBytes = FileManager.default.contents(atPath: specPath) else {
            throw InputError(file: specPath, "pool declaration file not found (run imine from the repository root)")
        }
        let maxChars = try context.profile.int("data.max_response_chars")
        let spec = try PoolSpec.parse(String(decoding: specBytes, as: UTF8.self), file: specPath)
        let set = try Pools.load(dataDirectory: context.dataDirectory, spec: spec, policy: LoadPolicy(maxResponseChars: maxChars))
        var checksums: [String: String] = [:]
        for name in set.report.files.keys {
            guard let entry = Catalog.entry(named: name) else { continue }
            let url = context.dataDirectory.appendingPathComponent(entry.path)
            guard let bytes = FileManager.default.contents(atPath: url.path) else { throw InputError(file: url.path, "data file vanished") }
            checksums[name] = SHA256.hex(bytes)
        }
        let summaries = set.pools.map { pool in
            PoolsPayload.PoolSummary(
                name: pool.name, role: pool.role.rawValue, count: pool.itemCount,
                idsDigest: SHA256.hex((pool.examples.map(\.id) + pool.preferences.map(\.id) + pool.documents.map(\.id)).joined(separator: "\n")),
                bySource: Dictionary(pool.countsBySource.map { ($0.source, $0.count) }, uniquingKeysWith: +))
        }
        // The pools' examples and memberships go into the store's index tables, so every later value can be traced to
        // them; the pools themselves are this cell's artifact.
        try Ingest.recordPools(set.pools.map { ($0.name, $0.examples) }, in: context.store)
        let poolsDigest = try context.store.putArtifact(try CanonicalJSON.encode(set.pools), kind: "pools")
        let payload = PoolsPayload(specPath: specPath, specSHA256: SHA256.hex(specBytes), maxResponseChars: maxChars, fileSHA256: checksums,
                                   pools: summaries, poolsDigest: poolsDigest)
        let rows = summaries.map { summary in
            [summary.name, summary.role, "\(summary.count)",
             summary.bySource.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "; ")]
        }
        let removals = set.report.removals.map { [$0.pool, $0.source, $0.against, "\($0.count)"] }
        let checks = set.report.checks.map { [$0.pool, $0.against, $0.by, "\($0.shared)"] }
        var output = try StepOutput(payload: payload)
            .table(Table(title: "Pools", columns: ["pool", "role", "items", "by source"], rows: rows))
            .table(Table(title: "Disjointness checks (shared items must be 0)", columns: ["pool", "against", "by", "shared"], rows: checks,
                         note: "A non-zero count fails this cell before anything is trained."))
        if !removals.isEmpty {
            output = output.table(Table(title: "Overlaps removed by declaration", columns: ["pool", "source", "against", "removed"], rows: removals,
                                        note: "AlpaGasus and Cherry subsets are drawn from the same Alpaca data; the spec removes the overlap from one side."))
        }
        return output
    }
}

/// How later steps get the pools: the `corpus.pools` cell's artifact, decoded once per run.
struct PoolsRef {
    let pools: [Pool]
    let payload: PoolsPayload

    init(_ context: StepContext) throws {
        let payload = try context.input(PoolsStep.self, as: PoolsPayload.self)
        self.payload = payload
        pools = try context.loaded.decoded([Pool].self, artifact: payload.poolsDigest, in: context.store, what: "the pools artifact",
                                           step: context.stepName)
    }

    func examples(_ pool: String) throws -> [Example] { try self.pool(pool).examples }

    func pool(_ name: String) throws -> Pool {
        guard let found = pools.first(where: { $0.name == name }) else {
            throw StepError.failed(step: "pools", "no pool named '\(name)' in \(payload.specPath)")
        }
        return found
    }
}
