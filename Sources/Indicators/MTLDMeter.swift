/// Measures MTLD text after text with reused buffers: the way to score a corpus.
///
/// ```swift
/// let meter = MTLDMeter(.lexicalRichness)
/// let values = responses.map { meter.measure($0) }
/// ```
/// Not thread-safe: use one meter per thread.
public final class MTLDMeter {
    public let variant: MTLD
    /// lexicalrichness tokens go through the fast span path; the other tokenisations through the general interner.
    private let spans = TokenSpans()
    private let spanInterner = SpanInterner()
    private let interner = TokenInterner()
    /// The two walks' stamp tables (see ``MTLDFactorWalk``), and the last stamp each used.
    @exclusivity(unchecked) private var seen = RawVector<UInt32>(capacity: 2048, zero: 0)
    @exclusivity(unchecked) private var stamps: (forward: UInt32, backward: UInt32) = (0, 0)
    /// `closingTypes[n]`: the most types a segment of n tokens may have and still close a factor (-1: none).
    /// Computed with the variant's own division and comparison, so the loop needs neither and stays exact.
    @exclusivity(unchecked) private var closingTypes = RawVector<Int32>(capacity: 256, zero: 0)

    public init(_ variant: MTLD = .lexicalRichness) { self.variant = variant }

    deinit { seen.free(); closingTypes.free() }

    public func measure(_ text: String) -> MTLDResult {
        let ids: UnsafeBufferPointer<Int32>, types: Int
        if variant.tokenization == .lexicalRichness {
            LexicalRichnessTokenizer.tokenize(text, into: spans)
            spanInterner.intern(spans)
            (ids, types) = (spanInterner.ids, spanInterner.typeCount)
        } else {
            interner.startText()
            variant.tokenization.tokenize(text, into: interner)
            (ids, types) = (interner.ids, interner.vocabularySize)
        }
        let tokens = ids.count
        while seen.count < 2 * types { seen.append(0) }
        while closingTypes.count <= tokens { closingTypes.append(closingLimit(segmentTokens: closingTypes.count)) }
        let (forward, backward) = walk(ids, types: types)
        let value: Double?
        if let forward = mtld(forward, tokens: tokens, types: types), let backward = mtld(backward, tokens: tokens, types: types) {
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

    /// Both passes, token by token from either end.
    private func walk(_ ids: UnsafeBufferPointer<Int32>, types: Int) -> (MTLDFactorWalk, MTLDFactorWalk) {
        let count = ids.count, seen = self.seen.base, closingTypes = UnsafePointer(self.closingTypes.base)
        let tableTypes = self.seen.count / 2
        var forward = MTLDFactorWalk(lane: 0, after: stamps.forward), backward = MTLDFactorWalk(lane: 1, after: stamps.backward)
        forward.start(seen: seen, tableTypes: tableTypes)
        backward.start(seen: seen, tableTypes: tableTypes)
        // lexical-diversity never closes a full factor on the last token: walk it after the loop.
        let walked = variant.lastTokenAlwaysPartial ? max(count - 1, 0) : count
        if let ids = ids.baseAddress {
            for i in 0..<walked {
                forward.add(ids[i], seen: seen, closingTypes: closingTypes, tableTypes: tableTypes)
                backward.add(ids[count &- 1 &- i], seen: seen, closingTypes: closingTypes, tableTypes: tableTypes)
            }
            if walked < count {
                forward.addWithoutClosing(ids[count - 1], seen: seen)
                backward.addWithoutClosing(ids[0], seen: seen)
            }
        }
        stamps = (forward.lastStamp, backward.lastStamp)
        return (forward, backward)
    }

    /// One pass's MTLD: tokens / factors, or nil where the variant gives no value.
    private func mtld(_ walk: MTLDFactorWalk, tokens count: Int, types: Int) -> Double? {
        let threshold = variant.threshold
        var factors = walk.factors
        if walk.segmentTokens > 0 {
            let ttr = Double(walk.segmentTypes) / Double(walk.segmentTokens)
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
}
