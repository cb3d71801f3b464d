import Core
import Foundation
import PretrainedLM

/// The real GGUF models the workbench knows by name (`scripts/setup.sh` fetches each into `models/` and checks its
/// SHA-256), their files' identities, and the loaded models that one process shares.
enum GGUFModels {
    /// Model name (as profiles write it) → file under the models folder.
    static let files: [String: String] = [
        "smollm2-135m-instruct": "smollm2-135m-instruct/SmolLM2-135M-Instruct.Q4_1.gguf",
        "gemma-3-270m": "gemma-3-270m/gemma-3-270m-q4_k_m.gguf",
    ]

    static var names: String { files.keys.sorted().joined(separator: ", ") }

    /// The file of model `name` under `models`; an unknown name or a missing file is an error naming `field`.
    static func file(_ name: String, models: URL, file: String, field: String) throws -> URL {
        guard let relative = files[name] else {
            throw InputError(file: file, field: field, "unknown GGUF model '\(name)'; known: \(names)")
        }
        let url = models.appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw InputError(file: file, field: field, "the model file \(url.path) is missing; run scripts/setup.sh to fetch it")
        }
        return url
    }

    /// SHA-256 of the file's bytes. Hashing a model costs seconds and cache keys ask for it on every `imine status`,
    /// so the digest is kept beside the file in `<file>.sha256` with the size and modification time it was computed
    /// for; a file that changed in either is hashed again.
    static func sha256(_ url: URL) throws -> String {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let stamp = "\(size) \(modified.bitPattern)"
        let sidecar = url.appendingPathExtension("sha256")
        if let text = try? String(contentsOf: sidecar, encoding: .utf8) {
            let parts = text.split(separator: " ")
            if parts.count == 3, "\(parts[0]) \(parts[1])" == stamp, parts[2].count == 64 { return String(parts[2]) }
        }
        let data = try Data(contentsOf: url, options: .alwaysMapped)
        let digest = SHA256.hex(data)
        // A read-only models folder only costs the hash again next time.
        try? "\(stamp) \(digest)".write(to: sidecar, atomically: true, encoding: .utf8)
        return digest
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var loaded: [String: PretrainedModel] = [:]

    /// The model in `url` whose bytes have `sha256`, read and dequantised once per process.
    static func load(_ url: URL, sha256: String) throws -> PretrainedModel {
        lock.lock()
        if let model = loaded[sha256] { lock.unlock(); return model }
        lock.unlock()
        let model = try PretrainedModel(gguf: url)
        lock.lock(); loaded[sha256] = model; lock.unlock()
        return model
    }
}
