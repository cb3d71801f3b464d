import Core
import Foundation

/// Builds the pools of a ``PoolSpec`` straight from the data folder, without a store.
///
/// ```swift
/// let spec = try PoolSpec.load(path: "paper-repro/pools.yaml")
/// let pools = try Pools.load(dataDirectory: URL(fileURLWithPath: "data"), spec: spec)
/// let ruleFit = pools["rule-fit"]!.examples
/// ```
/// Checks, all by content hash and by normalised text (case-folded, white space collapsed):
/// - a training pool shares no example and no instruction with any evaluation or prompts pool, and no example with
///   a probes pool; a preference pool shares no instruction with an evaluation or prompts pool;
/// - training pools share no example and no (instruction, input) prompt with each other.
/// Overlaps that are expected by construction (AlpaGasus and Cherry subsets are drawn from Alpaca) are removed
/// first, explicitly, by `drop_overlaps_with`, and counted: against a training pool by content hash or prompt,
/// against an evaluation or prompts pool by instruction. Anything left is a leak and throws ``PoolLeakError``.
public enum Pools {
    /// - Parameter policy: applied to training, pretraining and preference pools; evaluation, prompts and probes
    ///   pools keep over-long answers (an evaluation set is not trimmed by a training profile).
    public static func load(dataDirectory: URL, spec: PoolSpec, policy: LoadPolicy = .standard) throws -> PoolSet {
        let folder = DataFolder(url: dataDirectory)
        var report = PoolReport()
        var files: [String: LoadedFile] = [:]
        var pools: [Pool] = []
        for declaration in spec.pools {
            var filePolicy = policy
            if [.evaluation, .prompts, .probes].contains(declaration.role) { filePolicy.maxResponseChars = nil }
            var pool = Pool(name: declaration.name, role: declaration.role)
            let earlier = (declaration.dropOverlapsWith ?? []).compactMap { name in pools.first { $0.name == name } }
            let earlierIDs = earlier.map { Set($0.examples.map(\.id)) }
            // Against a training pool an overlap is the same prompt; against evaluation or prompts, the same instruction.
            let earlierPrompts = earlier.map { pool in Set(pool.examples.map(pool.role == .training ? promptKey : instructionKey)) }
            let keyFor = earlier.map { pool in pool.role == .training ? promptKey : instructionKey }
            var seen: Set<String> = []
            for source in declaration.sources {
                guard let entry = Catalog.entry(named: source) else { throw InputError(file: source, "unknown source in pool '\(declaration.name)'") }
                let key = entry.name + (filePolicy == policy ? "" : "#eval")
                let file = try files[key] ?? folder.load(entry, policy: filePolicy)
                files[key] = file
                report.files[entry.name] = file.report
                var removed = Array(repeating: 0, count: earlier.count)
                var duplicates = 0
                func admit(_ id: String) -> Bool {
                    // Two models giving the same answer are two probes: probes are not deduplicated.
                    if declaration.role != .probes, !seen.insert(id).inserted { duplicates += 1; return false }
                    return true
                }
                for example in file.examples {
                    if let hit = earlier.indices.first(where: { earlierIDs[$0].contains(example.id) || earlierPrompts[$0].contains(keyFor[$0](example)) }) {
                        removed[hit] += 1
                        continue
                    }
                    if admit(example.id) { pool.examples.append(example) }
                }
                for judged in file.judged where admit(judged.example.id) { pool.judged.append(judged) }
                for pair in file.preferences where admit(pair.id) { pool.preferences.append(pair) }
                for document in file.documents where admit(document.id) { pool.documents.append(document) }
                for (index, count) in removed.enumerated() where count > 0 {
                    report.removals.append(.init(pool: pool.name, source: entry.name, against: earlier[index].name, count: count))
                }
                if duplicates > 0 { report.duplicatesWithinPool[pool.name, default: 0] += duplicates }
            }
            pools.append(pool)
        }
        report.crossSourceDuplicates = Duplicates.across(Array(files.filter { !$0.key.hasSuffix("#eval") }.values))
        report.checks = checks(pools)
        let set = PoolSet(pools: pools, report: report)
        if !report.leaks.isEmpty { throw PoolLeakError(report: report) }
        return set
    }

    /// Runs every disjointness check between the pools (see the type's documentation).
    public static func checks(_ pools: [Pool]) -> [PoolReport.Check] {
        var checks: [PoolReport.Check] = []
        let protected = pools.filter { $0.role == .evaluation || $0.role == .prompts }
        let training = pools.filter { $0.role == .training }
        for pool in training {
            for other in protected + pools.filter({ $0.role == .probes }) {
                checks.append(check(pool, other, by: "content hash", key: \.id))
            }
            for other in protected {
                checks.append(check(pool, other, by: "instruction", key: instructionKey))
            }
        }
        for (i, pool) in training.enumerated() {
            for other in training[(i + 1)...] {
                checks.append(check(pool, other, by: "content hash", key: \.id))
                checks.append(check(pool, other, by: "instruction+input", key: promptKey))
            }
        }
        for pool in pools where pool.role == .preference {
            let pairPrompts = pool.preferences.compactMap { $0.prompt.last(where: { $0.role == "user" }).map { normalise($0.text) } }
            let keys = Set(pool.judged.map { instructionKey($0.example) } + pairPrompts)
            for other in protected {
                let shared = other.examples.filter { keys.contains(instructionKey($0)) }
                checks.append(.init(pool: pool.name, against: other.name, by: "instruction", shared: shared.count, examples: shared.prefix(5).map(\.instruction)))
            }
        }
        return checks
    }

    private static func check(_ pool: Pool, _ other: Pool, by: String, key: (Example) -> String) -> PoolReport.Check {
        let keys = Set(other.examples.map(key))
        let shared = pool.examples.filter { keys.contains(key($0)) }
        return .init(pool: pool.name, against: other.name, by: by, shared: shared.count, examples: shared.prefix(5).map(\.instruction))
    }

    /// Case-folded with runs of white space collapsed: "Give three tips" and "give  three tips\n" are one instruction.
    public static func normalise(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    static func instructionKey(_ example: Example) -> String { normalise(example.instruction) }
    static func promptKey(_ example: Example) -> String { normalise(example.instruction) + "\u{1F}" + normalise(example.input) }
}
