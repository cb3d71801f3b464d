import Core
import Foundation

/// SHA-256 of a file's bytes for cache keys, or a marker naming the missing file (the step itself then reports the
/// missing file with a proper error when it runs).
enum FileDigest {
    static func of(_ path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "missing:\(path)" }
        return SHA256.hex(data)
    }
}
