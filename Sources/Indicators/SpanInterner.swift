/// Gives each distinct token of one text a small integer id, in order of first occurrence, comparing tokens by their
/// bytes (as Python compares strings by code points): MTLD's type counting then needs no strings at all.
///
/// A token of up to 15 bytes is its own key: its bytes, zero-padded into two words, with the length in the top byte
/// (which a 15-byte token leaves free), so finding it costs one multiply, a slot load, a key load and two compares,
/// and a new and a repeated token take the same branch-free path. Longer tokens (rare) key on a hash and are checked
/// byte by byte after the text; a text where that check fails is interned again the plain way. The open-addressing
/// table holds just a generation and an id per slot (8 bytes, keys live by id in a dense array), and each text uses
/// only its first `4 · tokens` slots (rounded up to a power of two), so a text's table stays small in the cache.
/// Slots carry the number of the text (generation) that wrote them, so a new text starts with an empty table
/// without clearing it.
final class SpanInterner {
    /// 8 bytes, so that a text's table stays small in the cache; the type's key is in ``typeKeys``.
    private struct Slot {
        /// The text (generation) that wrote this slot; any other value means empty.
        var generation: UInt32
        var id: Int32
    }

    private struct Key {
        var key0: UInt64
        var key1: UInt64
    }

    private static let emptySlot = Slot(generation: 0, id: 0)
    /// Each token's key, for the current text.
    @exclusivity(unchecked) private var tokenKeys = RawVector<Key>(capacity: 1024, zero: Key(key0: 0, key1: 0))
    /// Each type's key, by id.
    @exclusivity(unchecked) private var typeKeys = RawVector<Key>(capacity: 1024, zero: Key(key0: 0, key1: 0))
    @exclusivity(unchecked) private var slots = RawVector<Slot>(capacity: 64, zero: emptySlot)
    @exclusivity(unchecked) private var generation: UInt32 = 0
    @exclusivity(unchecked) private var idStorage = RawVector<Int32>(capacity: 1024, zero: 0)
    /// The current text's tokens of 16 bytes or more (token indices).
    @exclusivity(unchecked) private var longTokens = RawVector<Int32>(capacity: 64, zero: 0)
    /// For a token of `n` < 16 bytes, `keyMasks[2n]` and `keyMasks[2n + 1]` keep its bytes of the two words read.
    @exclusivity(unchecked) private var keyMasks = RawVector<UInt64>(capacity: 32, zero: 0)
    private(set) var typeCount = 0

    init() {
        for _ in 0..<slots.capacity { slots.append(Self.emptySlot) }
        for n in 0..<16 {
            keyMasks.append(n >= 8 ? UInt64.max : (1 << (8 * UInt64(n))) - 1)
            keyMasks.append(n <= 8 ? 0 : (1 << (8 * UInt64(n - 8))) - 1)
        }
    }

    deinit { slots.free(); idStorage.free(); longTokens.free(); keyMasks.free(); typeKeys.free(); tokenKeys.free() }

    /// The ids of the last interned text's tokens, in order; valid until the next ``intern(_:)``.
    var ids: UnsafeBufferPointer<Int32> { UnsafeBufferPointer(start: idStorage.base, count: idStorage.count) }

    /// Interns every token of `spans`, replacing the previous text's ids and types.
    func intern(_ spans: TokenSpans) {
        let tokens = spans.tokenCount
        let bits = max(6, (4 * tokens).bitWidth - (4 * tokens).leadingZeroBitCount)
        while slots.count < 1 << bits { slots.append(Self.emptySlot) }
        generation &+= 1
        if generation == 0 {
            for i in 0..<slots.count { slots[i].generation = 0 }
            generation = 1
        }
        idStorage.reserve(tokens)
        typeKeys.reserve(tokens)
        let table = Table(slots: slots.base, keys: typeKeys.base, mask: (1 << bits) - 1, shift: UInt64(64 - bits), generation: generation)
        let bytes = spans.bytePointer, keyMasks = self.keyMasks.base
        var longTokens = self.longTokens
        longTokens.setCount(0)
        tokenKeys.reserve(tokens)
        // Two loops, each with few enough live values to stay in registers: first every token's key, then the
        // lookups, whose loads can then start as early as the processor likes.
        var bound = UnsafePointer(spans.boundPointer), key = tokenKeys.base
        let end = bound + 2 * tokens
        while bound < end {
            let start = Int(bound[0]), length = Int(bound[1]) &- start
            if length < 16 {
                let raw = UnsafeRawPointer(bytes + start)
                key.pointee = Key(
                    key0: UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self)) & keyMasks[2 &* length],
                    key1: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) & keyMasks[2 &* length &+ 1]
                        | UInt64(truncatingIfNeeded: length) &<< 56)
            } else {
                // Keyed on a hash; checked byte by byte after the loop.
                key.pointee = Key(key0: Self.hash(UnsafeBufferPointer(start: bytes + start, count: length)),
                                  key1: 0xFF &<< 56 | UInt64(truncatingIfNeeded: length))
                longTokens.append(Int32(truncatingIfNeeded: key - tokenKeys.base))
            }
            bound += 2
            key += 1
        }
        var next: Int32 = 0
        let ids = idStorage.base, keys = tokenKeys.base
        for k in 0..<tokens {
            let key0 = keys[k].key0, key1 = keys[k].key1
            let (index, slot) = table.find(key0, key1)
            // All ones if the token was seen before in this text, else 0. Arithmetic rather than a conditional, which
            // the compiler may turn into a branch on "is it new", a coin flip.
            let seen = Int32(truncatingIfNeeded: (UInt64(slot.generation ^ table.generation) &- 1) &>> 32)
            let id = (slot.id & seen) | (next & ~seen)
            ids[k] = id
            table.slots[index] = Slot(generation: table.generation, id: id)
            // Kept only if the type is new (the next new type overwrites it otherwise): cheaper than a branch.
            table.keys[Int(next)] = Key(key0: key0, key1: key1)
            next &+= 1 &+ seen
        }
        self.longTokens = longTokens
        idStorage.setCount(tokens)
        typeCount = Int(next)
        if longTokens.count > 0 && !longTokensMatchTheirTypes(spans) { internBySet(spans) }
    }

    /// Whether every long token has the bytes of its type's first occurrence (false only if two long tokens of
    /// the same length share a 64-bit hash).
    private func longTokensMatchTheirTypes(_ spans: TokenSpans) -> Bool {
        var first: [Int32: Int] = [:]
        for k in 0..<longTokens.count {
            let token = Int(longTokens[k]), id = idStorage[token]
            if let earlier = first[id] {
                if !spans.token(earlier).elementsEqual(spans.token(token)) { return false }
            } else {
                first[id] = token
            }
        }
        return true
    }

    /// The plain way, for the texts the fast way cannot settle.
    private func internBySet(_ spans: TokenSpans) {
        var typeIDs: [[UInt8]: Int32] = [:]
        for k in 0..<spans.tokenCount {
            let token = Array(spans.token(k))
            let id = typeIDs[token] ?? Int32(typeIDs.count)
            typeIDs[token] = id
            idStorage[k] = id
        }
        typeCount = typeIDs.count
    }

    /// This text's part of the table.
    private struct Table {
        let slots: UnsafeMutablePointer<Slot>
        let keys: UnsafeMutablePointer<Key>
        let mask: Int
        let shift: UInt64
        let generation: UInt32

        /// The slot holding this key in this text, or the empty slot where it goes.
        @inline(__always)
        func find(_ key0: UInt64, _ key1: UInt64) -> (Int, Slot) {
            var index = Int(truncatingIfNeeded: ((key0 ^ (key1 &<< 29 | key1 &>> 35)) &* 0x9E37_79B9_7F4A_7C15) &>> shift)
            var slot = slots[index]
            // Probing past a slot of this text holding another key is rare, but is written as arithmetic so that it
            // stays one well-predicted branch: two compares would be split into a branch on "is it new", a coin
            // flip. `differs` is nonzero iff the keys differ; `occupied` is 2³² − 1 iff this text wrote the slot,
            // else 0; their product cannot overflow.
            while true {
                // An empty slot's id is stale but below the keys' capacity (ids only come from earlier texts).
                let typeKey = keys[Int(slot.id)]
                let difference = (typeKey.key0 ^ key0) | (typeKey.key1 ^ key1)
                let differs = UInt64(UInt32(truncatingIfNeeded: difference | difference &>> 32))
                let occupied = (UInt64(slot.generation ^ generation) &- 1) &>> 32
                if differs &* occupied == 0 { return (index, slot) }
                index = (index &+ 1) & mask
                slot = slots[index]
            }
        }
    }

    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = UInt64(truncatingIfNeeded: bytes.count) &* 0x9E37_79B9_7F4A_7C15
        for byte in bytes {
            h = (h ^ UInt64(byte)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h &>> 29
        }
        return h
    }
}
