extension BytePairTokenizer {
    /// Learns `vocabularySize − 257` merges (256 byte ids and end-of-text are fixed) from `texts`, reading at most
    /// `maxCharacters` characters in the given order.
    ///
    /// Each step merges the most frequent adjacent pair inside a pre-tokenizer chunk. Ties go to the pair with the
    /// smaller left id, then the smaller right id, so training is deterministic whatever the hash seeds. Training
    /// stops early when no pair occurs twice. Pair counts are updated incrementally (only the words that contain
    /// the merged pair are revisited) and the best pair comes from a lazily invalidated max-heap.
    public static func train(on texts: [String], vocabularySize: Int, maxCharacters: Int = .max) -> BytePairTokenizer {
        precondition(vocabularySize >= 257, "the vocabulary holds at least the 256 bytes and end-of-text")
        var wordIndex: [[UInt8]: Int] = [:]
        var words: [[Int32]] = []
        var frequency: [Int] = []
        var budget = maxCharacters
        for text in texts where budget > 0 {
            let used = text.count <= budget ? text : String(text.prefix(budget))
            budget -= used.count
            for chunk in PreTokenizer.chunks(used) {
                if let i = wordIndex[chunk] { frequency[i] += 1; continue }
                wordIndex[chunk] = words.count
                words.append(chunk.map { Int32($0) })
                frequency.append(1)
            }
        }

        var counts: [UInt64: Int] = [:]
        var containing: [UInt64: [Int32]] = [:]
        var heap = PairHeap()
        for (w, word) in words.enumerated() where word.count > 1 {
            for i in 0..<(word.count - 1) {
                let key = Pair(word[i], word[i + 1]).key
                counts[key, default: 0] += frequency[w]
                containing[key, default: []].append(Int32(w))
            }
        }
        for (key, count) in counts { heap.push(count, key) }

        var merges: [Pair] = []
        var lastVisit = [Int](repeating: -1, count: words.count)
        while merges.count < vocabularySize - 257 {
            var best: (count: Int, key: UInt64)?
            while let top = heap.pop() {
                if counts[top.key] == top.count { best = top; break }
            }
            guard let (count, key) = best, count >= 2 else { break }
            let pair = Pair(Int32(truncatingIfNeeded: key >> 32), Int32(truncatingIfNeeded: key & 0xFFFF_FFFF))
            let newId = Int32(256 + merges.count)
            merges.append(pair)
            var delta: [UInt64: Int] = [:]
            for w32 in containing[key] ?? [] {
                let w = Int(w32)
                guard lastVisit[w] != merges.count else { continue }
                lastVisit[w] = merges.count
                let word = words[w], f = frequency[w]
                var merged: [Int32] = []
                merged.reserveCapacity(word.count)
                var i = 0, changed = false
                while i < word.count {
                    if i + 1 < word.count && word[i] == pair.left && word[i + 1] == pair.right {
                        merged.append(newId); i += 2; changed = true
                    } else {
                        merged.append(word[i]); i += 1
                    }
                }
                guard changed else { continue }
                for j in 0..<(word.count - 1) { delta[Pair(word[j], word[j + 1]).key, default: 0] -= f }
                for j in 0..<max(0, merged.count - 1) {
                    let k = Pair(merged[j], merged[j + 1]).key
                    delta[k, default: 0] += f
                    if merged[j] == newId || merged[j + 1] == newId { containing[k, default: []].append(w32) }
                }
                words[w] = merged
            }
            containing[key] = nil
            for (k, change) in delta where change != 0 {
                let updated = counts[k, default: 0] + change
                if updated > 0 { counts[k] = updated; heap.push(updated, k) } else { counts[k] = nil }
            }
        }
        return try! BytePairTokenizer(merges: merges)
    }
}

/// A binary max-heap of (count, pair key): highest count first, then the smallest key (left id, then right id).
struct PairHeap {
    private var items: [(count: Int, key: UInt64)] = []

    private static func before(_ a: (count: Int, key: UInt64), _ b: (count: Int, key: UInt64)) -> Bool {
        a.count != b.count ? a.count > b.count : a.key < b.key
    }

    mutating func push(_ count: Int, _ key: UInt64) {
        items.append((count, key))
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Self.before(items[i], items[parent]) else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> (count: Int, key: UInt64)? {
        guard !items.isEmpty else { return nil }
        let top = items[0]
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count && Self.before(items[l], items[m]) { m = l }
                if r < items.count && Self.before(items[r], items[m]) { m = r }
                if m == i { break }
                items.swapAt(i, m)
                i = m
            }
        }
        return top
    }
}
