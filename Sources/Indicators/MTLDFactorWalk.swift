/// One pass of MTLD over a text's token ids: counts the factors, the runs of tokens over which the type-token ratio
/// stays above the threshold. ``MTLDMeter`` runs the forward and the backward walk in the same loop, one token of
/// each per iteration: the two are independent, so the processor overlaps them.
///
/// A segment's types are counted with a stamp table: `seen[2 · id + lane] == stamp` when type `id` already occurred
/// in the current segment, and a new segment takes a new stamp, so nothing is cleared between segments or texts.
/// Each walk owns one lane, which keeps both walks' entries for a type in the same cache line.
struct MTLDFactorWalk {
    private(set) var factors = 0.0
    private(set) var segmentTokens = 0
    private(set) var segmentTypes: Int32 = 0
    private var stamp: UInt32
    private let lane: Int

    /// Starts a walk whose stamps come after `stamp` (a walk's stamps are never reused while the table keeps them).
    init(lane: Int, after stamp: UInt32) {
        self.lane = lane
        self.stamp = stamp
    }

    /// The last stamp used, to start the next text's walk after it.
    var lastStamp: UInt32 { stamp }

    /// Starts the first segment; clears this walk's lane of the whole `seen` table (room for `tableTypes` types) when the stamps wrap around.
    mutating func start(seen: UnsafeMutablePointer<UInt32>, tableTypes: Int) {
        nextStamp(seen: seen, tableTypes: tableTypes)
    }

    /// Adds one token; `closingTypes[n]` is the most types a segment of `n` tokens may have and still close.
    @inline(__always)
    mutating func add(_ id: Int32, seen: UnsafeMutablePointer<UInt32>, closingTypes: UnsafePointer<Int32>, tableTypes: Int) {
        let entry = 2 &* Int(id) &+ lane
        segmentTokens &+= 1
        // Branch-free: whether a token is a new type is a coin flip to the branch predictor.
        segmentTypes &+= seen[entry] != stamp ? 1 : 0
        seen[entry] = stamp
        if segmentTypes <= closingTypes[segmentTokens] {
            factors += 1
            segmentTokens = 0
            segmentTypes = 0
            nextStamp(seen: seen, tableTypes: tableTypes)
        }
    }

    /// Adds a token that can only extend the segment, never close it (lexical-diversity's last token).
    mutating func addWithoutClosing(_ id: Int32, seen: UnsafeMutablePointer<UInt32>) {
        let entry = 2 * Int(id) + lane
        segmentTokens += 1
        if seen[entry] != stamp { seen[entry] = stamp; segmentTypes += 1 }
    }

    @inline(__always)
    private mutating func nextStamp(seen: UnsafeMutablePointer<UInt32>, tableTypes: Int) {
        stamp &+= 1
        if stamp == 0 {
            for id in 0..<tableTypes { seen[2 * id + lane] = 0 }
            stamp = 1
        }
    }
}
