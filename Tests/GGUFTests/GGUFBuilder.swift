import Foundation

/// Writes small GGUF files byte by byte, so the reader's tests can build valid files and then break them in one
/// precise place (a count, a length, an offset).
struct GGUFBuilder {
    var magic: [UInt8] = Array("GGUF".utf8)
    var version: UInt32 = 3
    /// Raw metadata pairs: key, value type id, encoded value.
    var metadata: [(key: String, type: UInt32, payload: [UInt8])] = []
    var tensors: [(name: String, shape: [UInt64], type: UInt32, offset: UInt64)] = []
    var data: [UInt8] = []
    var alignment = 32
    /// Overrides the counts written in the header (to lie about them).
    var tensorCountOverride: UInt64?
    var metadataCountOverride: UInt64?

    static func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }

    static func string(_ text: String) -> [UInt8] { le(UInt64(text.utf8.count)) + Array(text.utf8) }

    mutating func add(_ key: String, uint32 value: UInt32) { metadata.append((key, 4, Self.le(value))) }
    mutating func add(_ key: String, string value: String) { metadata.append((key, 8, Self.string(value))) }
    mutating func add(_ key: String, strings values: [String]) {
        metadata.append((key, 9, Self.le(UInt32(8)) + Self.le(UInt64(values.count)) + values.flatMap(Self.string)))
    }

    /// Appends a tensor whose data is `bytes`, placed at the next aligned offset of the data section.
    mutating func addTensor(_ name: String, shape: [UInt64], type: UInt32, bytes: [UInt8]) {
        while data.count % alignment != 0 { data.append(0) }
        tensors.append((name, shape, type, UInt64(data.count)))
        data += bytes
    }

    func bytes() -> [UInt8] {
        var out = magic + Self.le(version)
        out += Self.le(tensorCountOverride ?? UInt64(tensors.count))
        out += Self.le(metadataCountOverride ?? UInt64(metadata.count))
        for pair in metadata { out += Self.string(pair.key) + Self.le(pair.type) + pair.payload }
        for tensor in tensors {
            out += Self.string(tensor.name) + Self.le(UInt32(tensor.shape.count))
            for size in tensor.shape { out += Self.le(size) }
            out += Self.le(tensor.type) + Self.le(tensor.offset)
        }
        while out.count % alignment != 0 { out.append(0) }
        return out + data
    }

    static func floatBytes(_ values: [Float]) -> [UInt8] { values.flatMap { le($0.bitPattern) } }
}
