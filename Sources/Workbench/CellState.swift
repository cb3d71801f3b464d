import Core
import Foundation
import GRDB
import Store

/// The presentation half of a cell's output, stored as its own artifact (see ``StepOutput``).
public struct CellReport: Codable, Sendable, Hashable {
    public var tables: [Table]
    public var figures: [FigureSpec]
    public var text: [String]
    public var modelHashes: [String: String]

    public init(_ output: StepOutput) {
        tables = output.tables
        figures = output.figures
        text = output.text
        modelHashes = output.modelHashes
    }
}

/// Whether a cell's stored result matches its current content.
public enum Freshness: String, Sendable, Codable {
    /// A result under the cell's current cache key is stored: running it again would change nothing.
    case fresh
    /// The cell ran before, but its step, parameters, inputs or profile values have changed since.
    case stale
    /// The cell has never finished.
    case missing
}

/// One cell's standing, as `imine status` shows it.
public struct CellState: Sendable {
    /// "<notebook>/<cell id>".
    public let key: String
    public let notebook: String
    public let cellID: String
    public let step: String
    public let freshness: Freshness
    /// Why it is stale or missing ("parameters, inputs or profile changed", "input 'x' is stale").
    public let reason: String
    /// The current cache key; nil when an input is not fresh (the key cannot be known before it runs).
    public let cacheKey: String?
    /// The stored result under the current key (fresh cells only).
    public let record: CellRecord?
}

extension Runner {
    /// Every planned cell's freshness, in plan order. Reads the store; runs nothing.
    public func status(_ plan: Plan) throws -> [CellState] {
        try checkProfile(plan)
        var states: [String: CellState] = [:]
        var result: [CellState] = []
        try store.read { db in
            for node in plan.nodes {
                let state = try Runner.state(of: node, states: states, profile: profile, paths: paths, in: db)
                states[node.key] = state
                result.append(state)
            }
        }
        return result
    }

    static func state(of node: Plan.Node, states: [String: CellState], profile: Profile, paths: WorkbenchPaths,
                      in db: Database) throws -> CellState {
        func make(_ freshness: Freshness, _ reason: String, key: String?, record: CellRecord?) -> CellState {
            CellState(key: node.key, notebook: node.notebook.name, cellID: node.cell.id, step: node.step.name,
                      freshness: freshness, reason: reason, cacheKey: key, record: record)
        }
        let everRan = try CellRecord.exists(notebook: node.notebook.name, cellID: node.cell.id, in: db)
        var digests: [String] = []
        for input in node.inputs {
            guard let record = states[input]?.record else {
                return make(everRan ? .stale : .missing, "input \(input) is not fresh", key: nil, record: nil)
            }
            digests.append(record.outputDigest)
        }
        let key = try CacheKey.digest(of: node, inputDigests: digests, profile: profile, paths: paths)
        if let record = try CellRecord.find(cacheKey: key, notebook: node.notebook.name, cellID: node.cell.id, in: db) {
            return make(.fresh, "", key: key, record: record)
        }
        return make(everRan ? .stale : .missing,
                    everRan ? "step version, parameters, inputs or profile values changed" : "never run",
                    key: key, record: nil)
    }
}
