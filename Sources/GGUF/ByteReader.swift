import Core

/// A cursor over a GGUF file's bytes that checks every read against the end of the file, so a truncated or hostile
/// file gives an `InputError` naming the file, the item being read and the byte offset, never a trap.
struct ByteReader {
    let bytes: MappedBytes
    let file: String
    private(set) var offset = 0

    init(bytes: MappedBytes, file: String) {
        self.bytes = bytes
        self.file = file
    }

    var remaining: Int { bytes.count - offset }

    /// Fails unless `count` more bytes exist; `item` says what they would hold (e.g. "metadata key 'x' value").
    func require(_ count: Int, for item: @autoclosure () -> String) throws {
        guard count >= 0, count <= remaining else {
            throw InputError(file: file, path: item(), "truncated: needs \(count) bytes at byte offset \(offset), the file has \(remaining) left")
        }
    }

    mutating func integer<T: FixedWidthInteger>(_: T.Type, for item: @autoclosure () -> String) throws -> T {
        try require(MemoryLayout<T>.size, for: item())
        let value = T(littleEndian: bytes.base.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += MemoryLayout<T>.size
        return value
    }

    /// A GGUF string: a UInt64 byte length, then that many bytes of UTF-8 (no terminator).
    mutating func string(for item: @autoclosure () -> String) throws -> String {
        let length = try integer(UInt64.self, for: item())
        guard length <= UInt64(remaining) else {
            throw InputError(file: file, path: item(), "string length \(length) at byte offset \(offset - 8) exceeds the \(remaining) bytes left in the file")
        }
        let raw = UnsafeRawBufferPointer(start: bytes.base + offset, count: Int(length))
        guard let text = String(validating: raw, as: UTF8.self) else {
            throw InputError(file: file, path: item(), "string at byte offset \(offset) is not valid UTF-8")
        }
        offset += Int(length)
        return text
    }

    /// Moves to the next multiple of `alignment` (a power of two).
    mutating func align(to alignment: Int) {
        offset = (offset + alignment - 1) / alignment * alignment
    }
}
