import Core
import Foundation

/// The frozen trunk's hidden states of each sequence, kept by content, for last-N-blocks finetuning.
///
/// When only the top N blocks train, the states entering block L−N depend on the sequence's tokens and the
/// frozen weights alone, so they are computed once per sequence and reused by every finetune whose subset contains
/// it. The key is SHA-256 of the model digest, the trunk's block count and the tokens: never a path, a subset or a
/// time. Each sequence is computed alone (batch of one, its own length), so the stored states do not depend on
/// what else was in a batch. Entries live as files `<key>.f32` in `directory` when one is given (then other
/// processes and later runs reuse them, and memory stays flat), else in memory. Thread safe.
public final class TrunkCache: @unchecked Sendable {
    public let directory: URL?
    private var memory: [String: [Float]] = [:]
    private let lock = NSLock()
    /// How many states were computed rather than found (for tests and logs).
    public private(set) var computed = 0

    public init(directory: URL? = nil) throws {
        self.directory = directory
        if let directory { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
    }

    public static func key(modelDigest: String, trunkBlocks: Int, tokens: [Int32]) -> String {
        var hasher = SHA256()
        hasher.update("pretrained-lm-trunk-v1|\(modelDigest)|\(trunkBlocks)|")
        tokens.withUnsafeBytes { raw in
            hasher.update(UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: raw.count))
        }
        return hasher.hexDigest()
    }

    /// The states for `key` (tokens × dModel), computing them with `compute` when neither memory nor the directory
    /// has them.
    public func states(key: String, count: Int, compute: () -> [Float]) throws -> [Float] {
        lock.lock()
        if let found = memory[key] { lock.unlock(); return found }
        lock.unlock()
        if let directory {
            let file = directory.appendingPathComponent(key + ".f32")
            if let data = try? Data(contentsOf: file) {
                guard data.count == count * 4 else {
                    throw InputError(file: file.path, "holds \(data.count) bytes, expected \(count * 4) for \(count) states")
                }
                return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
            }
        }
        let values = compute()
        precondition(values.count == count, "trunk produced \(values.count) values, expected \(count)")
        if let directory {
            let data = values.withUnsafeBytes { Data($0) }
            try data.write(to: directory.appendingPathComponent(key + ".f32"), options: .atomic)
        }
        lock.lock()
        computed += 1
        lock.unlock()
        remember(key, values)
        return values
    }

    private func remember(_ key: String, _ values: [Float]) {
        guard directory == nil else { return }
        lock.lock()
        memory[key] = values
        lock.unlock()
    }
}
