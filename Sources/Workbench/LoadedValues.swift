import Foundation
import Store

/// Values that several cells of one run decode from the same artifact (the pool set, a checkpoint), decoded once.
///
/// A runner owns one and hands it to every cell's ``StepContext``, so nothing outlives the run and two runners (two
/// stores, two tests) never share what they loaded. Keys must name content (an artifact's digest), never a path or a
/// name, so that a remembered value is always the right one.
public final class LoadedValues: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: Any] = [:]

    public init() {}

    /// The value remembered under `key`, or `load()`'s, remembered. Two cells asking at once may both load; the value
    /// is a function of the key, so either result is the same.
    public func value<T>(_ key: String, as type: T.Type = T.self, load: () throws -> T) rethrows -> T {
        lock.lock()
        if let known = values[key] as? T { lock.unlock(); return known }
        lock.unlock()
        let loaded = try load()
        lock.lock(); values[key] = loaded; lock.unlock()
        return loaded
    }
}

extension LoadedValues {
    /// The JSON artifact `digest` of `store` decoded as `T`, once per run. One that is missing or does not decode
    /// fails `step` with a message naming it (`what`: "the pools artifact").
    public func decoded<T: Decodable>(_ type: T.Type, artifact digest: String, in store: Store, what: String, step: String) throws -> T {
        try value("\(T.self):" + digest) {
            do { return try JSONDecoder().decode(T.self, from: try store.artifact(digest)) } catch {
                throw StepError.failed(step: step, "\(what) \(digest.prefix(12)) does not decode: \(error)")
            }
        }
    }
}
