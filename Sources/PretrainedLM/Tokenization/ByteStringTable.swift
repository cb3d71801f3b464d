/// A hash table from byte strings to token ids that is looked up with a pointer range (no String or Array made per
/// look-up): the tokenizers ask "is this slice of the text a token?" millions of times.
struct ByteStringTable: Sendable {
    private var storage: [UInt8] = []
    /// Per slot: start in `storage`, length, value; length −1 marks an empty slot.
    private var starts: [Int32]
    private var lengths: [Int32]
    private var values: [Int32]
    private let mask: Int

    init(capacity: Int) {
        var size = 16
        while size < 2 * capacity { size *= 2 }
        starts = [Int32](repeating: 0, count: size)
        lengths = [Int32](repeating: -1, count: size)
        values = [Int32](repeating: 0, count: size)
        mask = size - 1
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// Adds or replaces the value of `key`.
    mutating func insert(_ key: [UInt8], value: Int32) {
        key.withUnsafeBufferPointer { bytes in
            var slot = Self.hash(bytes) & mask
            while lengths[slot] >= 0 {
                if matches(slot, bytes) { values[slot] = value; return }
                slot = (slot + 1) & mask
            }
            starts[slot] = Int32(storage.count)
            lengths[slot] = Int32(bytes.count)
            values[slot] = value
            storage.append(contentsOf: bytes)
        }
    }

    @inline(__always)
    private func matches(_ slot: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let length = Int(lengths[slot])
        guard length == bytes.count else { return false }
        let start = Int(starts[slot])
        return storage.withUnsafeBufferPointer { stored in
            for i in 0..<length where stored[start + i] != bytes[i] { return false }
            return true
        }
    }

    func value(of bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        var slot = Self.hash(bytes) & mask
        while lengths[slot] >= 0 {
            if matches(slot, bytes) { return values[slot] }
            slot = (slot + 1) & mask
        }
        return nil
    }
}
