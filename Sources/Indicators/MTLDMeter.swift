/// Measures MTLD text after text with reused buffers: the way to score a corpus.
///
/// ```swift
/// let meter = MTLDMeter(.lexicalRichness)
/// let values = responses.map { meter.measure($0) }
/// ```
/// Not thread-safe: use one meter per thread.
public final class MTLDMeter {
    public let variant: MTLD
    private let interner = TokenInterner()
    /// `seen[type] == stamp` when the type already occurred in the current segment; a new segment is a new stamp.
    @exclusivity(unchecked) private var seen = RawVector<UInt32>(capacity: 1024, zero: 0)
    @exclusivity(unchecked) private var stamp: UInt32 = 0
    /// `closingTypes[n]`: the most types a segment of n tokens may have and still close a factor (-1: none).
    /// Computed with the variant's own division and comparison, so the loop needs neither and stays exact.
    @exclusivity(unchecked) private var closingTypes = RawVector<Int32>(capacity: 256, zero: 0)

    public init(_ variant: MTLD = .lexicalRichness) { self.variant = variant }

    deinit { seen.free(); closingTypes.free() }

    public func measure(_ text: String) -> MTLDResult {
        interner.startText()
        variant.tokenization.tokenize(text, into: interner)
        let tokens = interner.tokenCount
        while seen.count < interner.vocabularySize { seen.append(0) }
        while closingTypes.count <= tokens { closingTypes.append(closingLimit(segmentTokens: closingTypes.count)) }
        let types = interner.vocabularySize
        let value: Double?
        if let forward = pass(reversed: false, types: types), let backward = pass(reversed: true, types: types) {
            value = (forward + backward) / 2
        } else {
            value = nil
        }
        return MTLDResult(value: value, tokens: tokens, types: types, isShort: tokens < variant.shortTextTokens)
    }

    /// TTR is non-decreasing in the type count, so a segment closes exactly when its types are at most this limit.
    private func closingLimit(segmentTokens n: Int) -> Int32 {
        guard n > 0, n >= variant.minimumFactorLength else { return -1 }
        func closes(_ types: Int) -> Bool {
            let ttr = Double(types) / Double(n)
            return variant.comparison == .atOrBelow ? ttr <= variant.threshold : ttr < variant.threshold
        }
        // Start near threshold·n and step to the exact boundary.
        var limit = min(max(Int(variant.threshold * Double(n)), 0), n)
        while limit > 0 && !closes(limit) { limit -= 1 }
        while limit < n && closes(limit + 1) { limit += 1 }
        return Int32(limit == 0 && !closes(0) ? -1 : limit)
    }

    /// One pass: tokens / factors, or nil where the variant gives no value.
    private func pass(reversed: Bool, types: Int) -> Double? {
        let ids = interner.ids
        let count = ids.count
        let threshold = variant.threshold
        // lexical-diversity never closes a full factor on the last token: walk it after the loop.
        let walked = variant.lastTokenAlwaysPartial ? max(count - 1, 0) : count
        var factors = 0.0
        var segmentTokens = 0, segmentTypes: Int32 = 0
        advanceStamp()
        var stamp = self.stamp
        let seen = self.seen, limits = self.closingTypes
        var position = reversed ? count - 1 : 0
        let step = reversed ? -1 : 1
        for _ in 0..<walked {
            let id = Int(ids[position])
            position &+= step
            segmentTokens &+= 1
            // Branch-free: whether a token is a new type is a coin flip to the branch predictor.
            segmentTypes &+= seen[id] != stamp ? 1 : 0
            seen[id] = stamp
            if segmentTypes <= limits[segmentTokens] {
                factors += 1
                segmentTokens = 0
                segmentTypes = 0
                stamp &+= 1
                if stamp == 0 { clearSeen(); stamp = 1 }
            }
        }
        if walked < count {
            let id = Int(ids[position])
            segmentTokens &+= 1
            if seen[id] != stamp { seen[id] = stamp; segmentTypes &+= 1 }
        }
        self.stamp = stamp
        if segmentTokens > 0 {
            let ttr = Double(segmentTypes) / Double(segmentTokens)
            factors += (1 - ttr) / (1 - threshold)
        }
        if factors == 0 {
            switch variant.noFactor {
            case .zero: return 0
            case .undefined: return nil
            case .wholeTextTTR:
                guard count > 0 else { return nil }
                let wholeTTR = Double(types) / Double(count)
                factors = wholeTTR == 1 ? 1 : (1 - wholeTTR) / (1 - threshold)
            }
        }
        return Double(count) / factors
    }

    private func advanceStamp() {
        stamp &+= 1
        if stamp == 0 { clearSeen(); stamp = 1 }
    }

    private func clearSeen() {
        for i in 0..<seen.count { seen[i] = 0 }
    }
}
