import Foundation

/// JSON with sorted keys and no insignificant whitespace: equal values give equal bytes, so their digests can be
/// cache keys.
public enum CanonicalJSON {
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    public static func string<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encode(value), as: UTF8.self)
    }

    public static func digest<T: Encodable>(_ value: T) throws -> String { SHA256.hex(try encode(value)) }
}
