/// A hash table from byte strings to token ids that is looked up with a pointer range (no String or Array made per
/// look-up): the tokenizers ask "is this slice of the text a token?" millions of times, mostly getting "no".
///
/// Open addressing with linear probing; each slot keeps 32 bits of the key's hash beside its location, so a probe
/// that meets another key is settled from the slot alone (one cache line) without reading the stored bytes.
struct ByteStringTable: Sendable {
    private struct Slot {
        var tag: UInt32 = 0
        var length: Int32 = -1  // −1: empty
        var start: Int32 = 0
        var value: Int32 = 0
    }

    private var storage: [UInt8] = []
    private var slots: [Slot]
    private let mask: Int

    init(capacity: Int) {
        var size = 16
        while size < 2 * capacity { size *= 2 }
        slots = [Slot](repeating: Slot(), count: size)
        mask = size - 1
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a, then a final mix so the low bits depend on every byte
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        h ^= h >> 32
        h = h &* 0xd6e8_feb8_6659_fd93
        return h ^ (h >> 32)
    }

    /// Adds or replaces the value of `key`.
    mutating func insert(_ key: [UInt8], value: Int32) {
        key.withUnsafeBufferPointer { bytes in
            let h = Self.hash(bytes), tag = UInt32(truncatingIfNeeded: h >> 32)
            var index = Int(truncatingIfNeeded: h) & mask
            while slots[index].length >= 0 {
                if matches(slots[index], tag, bytes) { slots[index].value = value; return }
                index = (index + 1) & mask
            }
            slots[index] = Slot(tag: tag, length: Int32(bytes.count), start: Int32(storage.count), value: value)
            storage.append(contentsOf: bytes)
        }
    }

    @inline(__always)
    private func matches(_ slot: Slot, _ tag: UInt32, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard slot.tag == tag, Int(slot.length) == bytes.count else { return false }
        return storage.withUnsafeBufferPointer { stored in
            for i in 0..<bytes.count where stored[Int(slot.start) + i] != bytes[i] { return false }
            return true
        }
    }

    func value(of bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        let h = Self.hash(bytes), tag = UInt32(truncatingIfNeeded: h >> 32)
        var index = Int(truncatingIfNeeded: h) & mask
        return slots.withUnsafeBufferPointer { slots in
            while slots[index].length >= 0 {
                if matches(slots[index], tag, bytes) { return slots[index].value }
                index = (index + 1) & mask
            }
            return nil
        }
    }
}
