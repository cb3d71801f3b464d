import Core
import Corpus
import Foundation
import Neural
import Store
import Workbench

/// Loads that several steps of one `imine run` share: the pools (parsed once from the data folder) and checkpoints
/// (decoded once from their artifacts). Keyed by content digest only, so a memoised value is always the right one.
final class SharedLoads: @unchecked Sendable {
    static let shared = SharedLoads()
    private let lock = NSLock()
    private var pools: [String: PoolSet] = [:]
    private var checkpoints: [String: MicroLMCheckpoint] = [:]

    /// The pool set for a spec file's bytes, built from the data folder on first use.
    func poolSet(specBytes: Data, specPath: String, dataDirectory: URL, maxResponseChars: Int?) throws -> PoolSet {
        let key = SHA256.hex(specBytes) + "|" + dataDirectory.standardizedFileURL.path + "|\(maxResponseChars ?? -1)"
        lock.lock(); defer { lock.unlock() }
        if let cached = pools[key] { return cached }
        let spec = try PoolSpec.parse(String(decoding: specBytes, as: UTF8.self), file: specPath)
        let set = try Pools.load(dataDirectory: dataDirectory, spec: spec, policy: LoadPolicy(maxResponseChars: maxResponseChars))
        pools[key] = set
        return set
    }

    /// The checkpoint stored under `digest`.
    func checkpoint(_ digest: String, store: Store) throws -> MicroLMCheckpoint {
        lock.lock()
        if let cached = checkpoints[digest] { lock.unlock(); return cached }
        lock.unlock()
        let checkpoint = try MicroLMCheckpoint(data: try store.artifact(digest), name: "checkpoint \(digest.prefix(12))")
        lock.lock(); checkpoints[digest] = checkpoint; lock.unlock()
        return checkpoint
    }

    /// OpenBLAS sums in an order that depends on its thread count, so every step that trains or scores with the
    /// GPT pins it to one thread: the same data and seed then give the same weights, byte for byte, on any machine.
    /// Parallelism comes from running independent jobs side by side instead (see ``Finetunes``).
    static func pinBLASThreads() { BLAS.setThreads(1) }
}
