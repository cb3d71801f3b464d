import Core
import Foundation
import Yams

/// The pools of a reproduction, as declared in `paper-repro/pools.yaml`.
///
/// ```yaml
/// pools:
///   - name: rule-fit
///     role: training
///     sources: [alpagasus-alpaca-subsets/random_9k, lima/lima]
///   - name: selection
///     role: training
///     sources: [alpagasus-dolly-3k/dolly_3k]
///     drop_overlaps_with: [rule-fit]
/// ```
public struct PoolSpec: Codable, Sendable, Equatable {
    public var pools: [PoolDeclaration]

    public init(pools: [PoolDeclaration]) { self.pools = pools }

    public static func load(path: String) throws -> PoolSpec {
        try parse(try FileReading.text(path, maxBytes: 1024 * 1024), file: path)
    }

    public static func parse(_ yaml: String, file: String) throws -> PoolSpec {
        let spec: PoolSpec
        try YAMLTextLimits.check(yaml, file: file, maxBytes: 1024 * 1024)
        do { spec = try YAMLDecoder().decode(PoolSpec.self, from: yaml) } catch {
            throw InputError(file: file, "not a valid pool spec: \(error)")
        }
        var seen: Set<String> = []
        for (index, pool) in spec.pools.enumerated() {
            let path = "$.pools[\(index)]"
            guard seen.insert(pool.name).inserted else { throw InputError(file: file, path: path, field: "name", "pool '\(pool.name)' is declared twice") }
            guard !pool.sources.isEmpty else { throw InputError(file: file, path: path, field: "sources", "pool '\(pool.name)' has no sources") }
            for source in pool.sources where Catalog.entry(named: source) == nil {
                throw InputError(file: file, path: path, field: "sources", "unknown source '\(source)' (see `imine data list`)")
            }
            for other in pool.dropOverlapsWith ?? [] where !seen.contains(other) || other == pool.name {
                throw InputError(file: file, path: path, field: "drop_overlaps_with", "'\(other)' must be a pool declared before '\(pool.name)'")
            }
        }
        return spec
    }
}

/// What a pool is for; it decides which checks apply (see ``Pools``).
public enum PoolRole: String, Codable, Sendable {
    /// Reference answers the finetuned models are scored on. Nothing in a training pool may share one's instruction.
    case evaluation
    /// Held-out prompts without answers; protected like evaluation sets.
    case prompts
    /// Model answers of known quality to evaluation prompts (they share its instructions by design; never trained on).
    /// Not deduplicated: two models giving the same answer are two probes.
    case probes
    /// Finetuning data. Training pools are disjoint from each other by content hash and by prompt.
    case training
    case pretraining
    case preference
}

public struct PoolDeclaration: Codable, Sendable, Equatable {
    public var name: String
    public var role: PoolRole
    public var description: String?
    /// Catalog dataset names, in order: examples keep this order, then file order.
    public var sources: [String]
    /// Earlier pools whose examples are removed from this one: those with the same content hash, or the same
    /// (instruction, input) as a training pool's example, or the same instruction as an evaluation or prompts pool's.
    public var dropOverlapsWith: [String]?

    enum CodingKeys: String, CodingKey {
        case name, role, description, sources
        case dropOverlapsWith = "drop_overlaps_with"
    }

    public init(name: String, role: PoolRole, description: String? = nil, sources: [String], dropOverlapsWith: [String]? = nil) {
        (self.name, self.role, self.description) = (name, role, description)
        (self.sources, self.dropOverlapsWith) = (sources, dropOverlapsWith)
    }
}
