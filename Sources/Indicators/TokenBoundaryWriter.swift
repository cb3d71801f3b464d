/// Appends token boundaries (alternately a start and an end, as offsets into the output bytes) to ``TokenSpans``,
/// one at a time or from a bit mask of letters, 8 or 16 bytes at once without a branch per token.
struct BoundaryWriter {
    /// For each 8-bit mask, the indices of its set bits in increasing order (padded with 8), then each mask's
    /// number of set bits. Allocated once and never freed; ``TokenSpans`` keeps the pointer, so the hot loop does not
    /// go through a lazy global per text.
    struct Tables {
        let positions: UnsafePointer<SIMD8<Int32>>
        let counts: UnsafePointer<UInt8>

        static let shared: Tables = {
            let positions = UnsafeMutablePointer<SIMD8<Int32>>.allocate(capacity: 256)
            let counts = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
            for mask in 0..<256 {
                var lanes = SIMD8<Int32>(repeating: 8), n = 0
                for bit in 0..<8 where mask & (1 << bit) != 0 { lanes[n] = Int32(bit); n += 1 }
                positions[mask] = lanes
                counts[mask] = UInt8(n)
            }
            return Tables(positions: positions, counts: counts)
        }()
    }

    private let bounds: UnsafeMutablePointer<Int32>
    private let tables: Tables
    private(set) var count = 0
    /// 1 while inside a token (the last byte seen was kept), else 0.
    private(set) var carry: UInt32 = 0

    /// Writes to `bounds`, which must have room for every boundary plus 16 (the mask paths write whole lanes).
    init(bounds: UnsafeMutablePointer<Int32>, tables: Tables) {
        self.bounds = bounds
        self.tables = tables
    }

    /// One boundary at `offset`: a start outside a token, an end inside one.
    @inline(__always)
    mutating func add(_ offset: Int) {
        bounds[count] = Int32(truncatingIfNeeded: offset)
        count += 1
        carry ^= 1
    }

    /// The boundaries among `width` (8 or 16) bytes written at `offset`, given their letters (bit i: byte i).
    @inline(__always)
    mutating func add(letters: UInt32, of width: Int, at offset: Int) {
        // A boundary wherever a byte's letter bit differs from the previous byte's.
        let changes = Int(truncatingIfNeeded: letters ^ (letters &<< 1 | carry))
        carry = letters &>> UInt32(truncatingIfNeeded: width &- 1) & 1
        write(changes & 0xFF, at: offset)
        if width == 16 { write(changes &>> 8 & 0xFF, at: offset &+ 8) }
    }

    /// Looks up the positions of the boundaries among 8 bytes and writes all 8 lanes; only the first few count.
    @inline(__always)
    private mutating func write(_ changes: Int, at offset: Int) {
        UnsafeMutableRawPointer(bounds + count).storeBytes(
            of: tables.positions[changes] &+ SIMD8(repeating: Int32(truncatingIfNeeded: offset)), as: SIMD8<Int32>.self)
        count &+= Int(tables.counts[changes])
    }
}
