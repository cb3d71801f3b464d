/// Turns tokens into small integer ids, comparing tokens by their UTF-8 bytes (as Python compares strings by code
/// points), so that MTLD's type counting is a stamp array instead of a set of strings.
///
/// Each text starts with an empty vocabulary (``startText()``), which keeps the hash table small enough to stay in
/// the L1 cache: a corpus-wide vocabulary was measured slower, its lookups missing the cache. Tokenisers write bytes
/// into the arena with ``append(_:)`` and call ``finishToken()``. Storage is raw (``RawVector``), and each hash slot
/// carries the token's first 8 bytes, so a short token is found with one memory access. This serves the
/// lexical-diversity and word tokenisations; lexicalrichness tokens take the faster ``SpanInterner``.
final class TokenInterner {
    private struct Slot {
        /// The token's first 8 bytes, little-endian, zero-padded.
        var prefix: UInt64
        var hash: UInt32
        var length: UInt32
        /// Type id + 1; 0 marks an empty slot.
        var idPlusOne: Int32
    }

    /// The distinct tokens' bytes back to back, then the token being built.
    @exclusivity(unchecked) private var arena = RawVector<UInt8>(capacity: 4096, zero: 0)
    /// Type `i` starts at `arena[typeStarts[i]]`; `typeStarts[vocabularySize]` is where the next token starts.
    @exclusivity(unchecked) private var typeStarts = RawVector<Int>(capacity: 1024, zero: 0)
    /// Open addressing with linear probing; the capacity is a power of two, at most half full.
    @exclusivity(unchecked) private var slots = RawVector<Slot>(capacity: 1024, zero: Slot(prefix: 0, hash: 0, length: 0, idPlusOne: 0))
    @exclusivity(unchecked) private var idStorage = RawVector<Int32>(capacity: 1024, zero: 0)
    @exclusivity(unchecked) private var lastEmptySlot = 0
    /// The occupied slots, so that ``startText()`` empties just those.
    @exclusivity(unchecked) private var usedSlots = RawVector<Int>(capacity: 1024, zero: 0)

    init() {
        typeStarts.append(0)
        for _ in 0..<slots.capacity { slots.append(Slot(prefix: 0, hash: 0, length: 0, idPlusOne: 0)) }
    }

    deinit {
        arena.free(); typeStarts.free(); slots.free(); idStorage.free(); usedSlots.free()
    }

    /// The current text's token ids, in order; valid until the interner changes.
    var ids: UnsafeBufferPointer<Int32> { UnsafeBufferPointer(start: idStorage.base, count: idStorage.count) }
    var tokenCount: Int { idStorage.count }
    /// Distinct tokens in the current text (ids are below this).
    var vocabularySize: Int { typeStarts.count - 1 }
    var isBuildingToken: Bool { arena.count > typeStarts[vocabularySize] }

    /// Starts a new text: forgets the token ids and the vocabulary, keeping the memory.
    func startText() {
        for k in 0..<usedSlots.count { slots[usedSlots[k]].idPlusOne = 0 }
        usedSlots.setCount(0)
        idStorage.setCount(0)
        arena.setCount(0)
        typeStarts.setCount(1)
    }

    @inline(__always)
    func append(_ byte: UInt8) { arena.append(byte) }

    /// Appends one scalar's UTF-8.
    @inline(__always)
    func append(scalar value: UInt32) {
        if value < 0x80 { arena.append(UInt8(value)) } else { PythonText.forEachUTF8Byte(of: value) { arena.append($0) } }
    }

    /// Ends the token being built (if any bytes were appended) and records its id.
    @inline(__always)
    func finishToken() {
        if isBuildingToken { finishPossiblyEmptyToken() }
    }

    /// Ends the token being built and records its id even when it is empty (Python's `split(" ")` keeps empty
    /// strings between adjacent separators).
    func finishPossiblyEmptyToken() {
        let start = typeStarts[vocabularySize]
        let length = arena.count - start
        let hash = Self.hash(arena.base + start, count: length)
        if let id = lookup(arena.base + start, count: length, hash: hash) {
            arena.setCount(start)
            idStorage.append(id)
        } else {
            insert(arena.base + start, count: length, hash: hash)
        }
    }

    /// The bytes of type `id`.
    func bytes(of id: Int32) -> [UInt8] {
        let start = typeStarts[Int(id)]
        return Array(UnsafeBufferPointer(start: arena.base + start, count: typeStarts[Int(id) + 1] - start))
    }

    /// The little-endian word of `bytes[offset..<offset + n]`, n ≥ 0 (capped at 8), upper bytes zero. Reads 8 bytes.
    @inline(__always)
    private static func word(_ bytes: UnsafePointer<UInt8>, _ offset: Int, _ n: Int) -> UInt64 {
        let raw = UnsafeRawPointer(bytes + offset).loadUnaligned(as: UInt64.self)
        return n >= 8 ? raw : raw & ((1 &<< UInt64(truncatingIfNeeded: n &* 8)) &- 1)
    }

    @inline(__always)
    private static func hash(_ bytes: UnsafePointer<UInt8>, count: Int) -> UInt64 {
        var h = UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15
        var offset = 0
        repeat {
            h = (h ^ word(bytes, offset, count &- offset)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h &>> 31
            offset &+= 8
        } while offset < count
        return h
    }

    @inline(__always)
    private func lookup(_ bytes: UnsafePointer<UInt8>, count: Int, hash: UInt64) -> Int32? {
        let mask = slots.count &- 1
        let prefix = Self.word(bytes, 0, count), hash32 = UInt32(truncatingIfNeeded: hash)
        var index = Int(truncatingIfNeeded: hash &>> 32) & mask
        while true {
            let slot = slots[index]
            if slot.idPlusOne == 0 { lastEmptySlot = index; return nil }
            if slot.hash == hash32 && slot.prefix == prefix && Int(slot.length) == count
                && (count <= 8 || Self.equal(arena.base + typeStarts[Int(slot.idPlusOne) - 1] + 8, bytes + 8, count: count - 8)) {
                return slot.idPlusOne - 1
            }
            index = (index &+ 1) & mask
        }
    }

    @inline(__always)
    private static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, count: Int) -> Bool {
        var offset = 0
        while offset < count {
            if word(a, offset, count - offset) != word(b, offset, count - offset) { return false }
            offset &+= 8
        }
        return true
    }

    /// Adds the bytes at the arena's end as a new type, in the slot `lookup` just found empty.
    private func insert(_ bytes: UnsafePointer<UInt8>, count: Int, hash: UInt64) {
        let id = vocabularySize
        typeStarts.append(arena.count)
        slots[lastEmptySlot] = Slot(prefix: Self.word(bytes, 0, count), hash: UInt32(truncatingIfNeeded: hash),
                                    length: UInt32(count), idPlusOne: Int32(id + 1))
        usedSlots.append(lastEmptySlot)
        idStorage.append(Int32(id))
        if vocabularySize * 2 > slots.count { growSlots() }
    }

    private func growSlots() {
        let old = slots
        let size = old.count * 2
        slots = RawVector<Slot>(capacity: size, zero: Slot(prefix: 0, hash: 0, length: 0, idPlusOne: 0))
        for _ in 0..<size { slots.append(Slot(prefix: 0, hash: 0, length: 0, idPlusOne: 0)) }
        let mask = size - 1
        usedSlots.setCount(0)
        for i in 0..<old.count where old[i].idPlusOne != 0 {
            let id = Int(old[i].idPlusOne) - 1
            let start = typeStarts[id]
            let hash = Self.hash(arena.base + start, count: typeStarts[id + 1] - start)
            var index = Int(truncatingIfNeeded: hash &>> 32) & mask
            while slots[index].idPlusOne != 0 { index = (index + 1) & mask }
            slots[index] = old[i]
            usedSlots.append(index)
        }
        old.free()
    }
}
