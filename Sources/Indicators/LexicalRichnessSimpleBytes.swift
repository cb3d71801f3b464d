#if arch(x86_64) && canImport(_Builtin_intrinsics)
import _Builtin_intrinsics.intel
#endif

/// The byte classes of ``LexicalRichnessTokenizer``'s fast paths, many bytes at a time.
///
/// A run of bytes is "simple" when each is an ASCII letter, whitespace (0x09–0x0D, space) or other printable ASCII
/// byte, and no digit or `-` follows a letter. The fast paths treat every non-letter of a simple run as a separator.
/// That is exact for whitespace and punctuation; for the bytes lexicalrichness deletes (digits, `-`) it is exact
/// unless a letter comes right before one, since only then can deleting it join two letters (`x86y` is `xy`, while
/// in `1. a` or `2023` the deleted bytes sit between separators anyway). Results are bit masks of the letters, bit i
/// for byte i; `afterLetter` is 1 when the byte before the run is part of a token.
enum SimpleBytes {
    /// The letters of the 16 bytes at `bytes`, or nil if they are not simple.
    @inline(__always)
    static func blockLetters(_ bytes: UnsafePointer<UInt8>, afterLetter: UInt32) -> UInt32? {
        #if arch(x86_64) && canImport(_Builtin_intrinsics)
        // SSE2 (every x86-64 has it): signed byte compares, where non-ASCII bytes are negative, so never simple.
        let block = _mm_loadu_si128(UnsafeRawPointer(bytes).assumingMemoryBound(to: __m128i.self))
        func between(_ v: __m128i, _ low: Int8, _ high: Int8) -> __m128i {
            _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(low - 1)), _mm_cmplt_epi8(v, _mm_set1_epi8(high + 1)))
        }
        let simple = _mm_movemask_epi8(_mm_or_si128(between(block, 0x20, 0x7E), between(block, 0x09, 0x0D)))
        let deleted = _mm_movemask_epi8(_mm_or_si128(between(block, 0x30, 0x39), _mm_cmpeq_epi8(block, _mm_set1_epi8(0x2D))))
        let letters = UInt32(truncatingIfNeeded: _mm_movemask_epi8(between(_mm_or_si128(block, _mm_set1_epi8(0x20)), 0x61, 0x7A)))
        guard (simple ^ 0xFFFF) | (deleted & Int32(truncatingIfNeeded: letters &<< 1 | afterLetter)) == 0 else { return nil }
        return letters
        #else
        let raw = UnsafeRawPointer(bytes)
        guard let low = wordLetters(UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self)), afterLetter: afterLetter),
              let high = wordLetters(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)), afterLetter: low &>> 7)
        else { return nil }
        return low | high &<< 8
        #endif
    }

    /// Copies 16 simple bytes with ASCII letters lower-cased (other bytes get bit 5 set, which does not matter: they
    /// are not part of any token).
    @inline(__always)
    static func storeLowercased16(_ bytes: UnsafePointer<UInt8>, to out: UnsafeMutablePointer<UInt8>) {
        let block = UnsafeRawPointer(bytes).loadUnaligned(as: SIMD2<UInt64>.self)
        UnsafeMutableRawPointer(out).storeBytes(of: block | SIMD2(repeating: 0x2020_2020_2020_2020), as: SIMD2<UInt64>.self)
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101, highBits: UInt64 = 0x8080_8080_8080_8080

    /// The letters of 8 simple bytes (a little-endian word), or nil if they are not simple.
    @inline(__always)
    static func wordLetters(_ word: UInt64, afterLetter: UInt32) -> UInt32? {
        let simple = inRange(word, 0x20, 0x7E) | inRange(word, 0x09, 0x0D)
        let deleted = inRange(word, 0x30, 0x39) | inRange(word, 0x2D, 0x2D)
        let letters = inRange(word | 0x2020_2020_2020_2020, 0x61, 0x7A)
        // Non-ASCII bytes make the sums in `inRange` carry between bytes: such words are refused on their high bits.
        guard (word & highBits) | (simple ^ highBits) | (deleted & (letters &<< 8 | UInt64(afterLetter) &<< 7)) == 0 else {
            return nil
        }
        // Gather the high bit of byte i into bit i.
        return UInt32(truncatingIfNeeded: (letters &* 0x0002_0408_1020_4081) &>> 56)
    }

    /// The high bit of each byte of `word` (all bytes below 0x80) that lies in `low...high`.
    @inline(__always)
    private static func inRange(_ word: UInt64, _ low: UInt64, _ high: UInt64) -> UInt64 {
        // Per byte, x + (0x80 − low) reaches 0x80 exactly when x ≥ low, and no byte carries into the next.
        (word &+ ones &* (0x80 &- low)) & ~(word &+ ones &* (0x7F &- high)) & highBits
    }

    /// The `count` (< 8) bytes at `bytes`, then spaces.
    @inline(__always)
    static func paddedTail(_ bytes: UnsafePointer<UInt8>, count: Int) -> UInt64 {
        var word = 0x2020_2020_2020_2020 as UInt64
        for i in 0..<count { word = word & ~(0xFF &<< UInt64(8 &* i)) | UInt64(bytes[i]) &<< UInt64(8 &* i) }
        return word
    }
}
