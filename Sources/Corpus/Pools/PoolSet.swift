/// One declared pool, loaded: its items in deterministic order (declared source order, then file order, exact
/// duplicates removed keeping the first).
public struct Pool: Codable, Sendable, Equatable {
    public var name: String
    public var role: PoolRole
    public var examples: [Example] = []
    public var preferences: [PreferencePair] = []
    public var judged: [JudgedExample] = []
    public var documents: [TextDocument] = []

    public init(name: String, role: PoolRole) {
        self.name = name
        self.role = role
    }

    /// Each example's source tag (its dataset name), parallel to `examples`.
    public var sourceTags: [String] { examples.map(\.source) }

    /// Item counts per source, in first-seen order.
    public var countsBySource: [(source: String, count: Int)] {
        var order: [String] = [], counts: [String: Int] = [:]
        let sources = examples.map(\.source) + judged.map(\.example.source) + preferences.map(\.source) + documents.map(\.source)
        for source in sources {
            if counts[source] == nil { order.append(source) }
            counts[source, default: 0] += 1
        }
        return order.map { ($0, counts[$0]!) }
    }

    public var itemCount: Int { examples.count + preferences.count + judged.count + documents.count }

    /// The examples grouped by source, in the pool's source order: for the probes pool, one group per model,
    /// worst first (see ``Catalog/probeModels``).
    public var examplesBySource: [(source: String, examples: [Example])] {
        var order: [String] = [], groups: [String: [Example]] = [:]
        for example in examples {
            if groups[example.source] == nil { order.append(example.source) }
            groups[example.source, default: []].append(example)
        }
        return order.map { ($0, groups[$0]!) }
    }
}

/// Every pool of a spec, plus what building them did.
public struct PoolSet: Sendable {
    public var pools: [Pool]
    public var report: PoolReport

    public subscript(name: String) -> Pool? { pools.first { $0.name == name } }
}

/// What building the pools removed and checked. Serialisable, so steps can store it as an artifact.
public struct PoolReport: Codable, Sendable, Equatable {
    /// Examples removed from `pool` because `against` already has the same content or the same prompt.
    public struct Removal: Codable, Sendable, Equatable {
        public var pool, source, against: String
        public var count: Int
    }

    /// One leak check that ran, and what it found (a non-empty `examples` fails the load).
    public struct Check: Codable, Sendable, Equatable {
        public var pool: String
        public var against: String
        /// `content hash`, `instruction` (against evaluation sets) or `instruction+input` (between training pools).
        public var by: String
        public var shared: Int
        public var examples: [String]
    }

    public var removals: [Removal] = []
    /// Exact duplicates dropped inside each pool (a later source repeating an earlier one).
    public var duplicatesWithinPool: [String: Int] = [:]
    public var checks: [Check] = []
    public var crossSourceDuplicates: [DuplicateCount] = []
    public var files: [String: LoadReport] = [:]

    public var leaks: [Check] { checks.filter { $0.shared > 0 } }
}

/// Thrown when a training pool shares content or an instruction with an evaluation set, or with another training
/// pool; the report says which pools, by what, and shows some of the shared items.
public struct PoolLeakError: Error, CustomStringConvertible, Sendable {
    public var report: PoolReport

    public var description: String {
        var lines = ["pool leak: \(report.leaks.count) check(s) failed"]
        for leak in report.leaks {
            lines.append("  \(leak.pool) shares \(leak.shared) item(s) with \(leak.against) by \(leak.by), e.g. \(leak.examples.prefix(3).map { "\"\($0.prefix(80))\"" }.joined(separator: ", "))")
        }
        return lines.joined(separator: "\n")
    }
}
