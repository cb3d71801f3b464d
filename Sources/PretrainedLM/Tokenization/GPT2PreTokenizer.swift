/// Splits text into the words that byte-pair merges may not cross, exactly as llama.cpp does for the GPT-2 family
/// of pre-tokenizers (`unicode_regex_split` with its hand-written matcher for
/// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`), optionally after first cutting
/// every number character out on its own (`\p{N}`: the "smollm", "starcoder" and similar pre-tokenizers, the same
/// as Hugging Face's `Digits(individual_digits: true)`).
///
/// Character classes come from Unicode general categories (L*, N*) and the White_Space property, which is what
/// llama.cpp's tables hold.
struct GPT2PreTokenizer: Sendable {
    /// Whether numbers are split into single characters before the GPT-2 pattern runs.
    let individualDigits: Bool

    struct Flags: OptionSet {
        let rawValue: UInt8
        static let letter = Flags(rawValue: 1)
        static let number = Flags(rawValue: 2)
        static let whitespace = Flags(rawValue: 4)
    }

    private static let asciiFlags: [Flags] = (0..<128).map { unicodeFlags(Unicode.Scalar(UInt8($0))) }

    @inline(__always)
    static func flags(_ scalar: Unicode.Scalar) -> Flags {
        scalar.value < 128 ? asciiFlags[Int(scalar.value)] : unicodeFlags(scalar)
    }

    static func unicodeFlags(_ scalar: Unicode.Scalar) -> Flags {
        var flags: Flags = []
        let properties = scalar.properties
        if properties.isWhitespace { flags.insert(.whitespace) }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: flags.insert(.letter)
        case .decimalNumber, .letterNumber, .otherNumber: flags.insert(.number)
        default: break
        }
        return flags
    }

    /// The words of `scalars`, as ranges of scalar positions, in order; together they cover the input exactly.
    func words(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
        let flags = scalars.map(Self.flags)
        var words: [Range<Int>] = []
        words.reserveCapacity(scalars.count / 3)
        guard individualDigits else {
            split(scalars, flags, 0..<scalars.count, into: &words)
            return words
        }
        var start = 0
        for position in scalars.indices where flags[position].contains(.number) {
            if start < position { split(scalars, flags, start..<position, into: &words) }
            words.append(position..<(position + 1))
            start = position + 1
        }
        if start < scalars.count { split(scalars, flags, start..<scalars.count, into: &words) }
        return words
    }

    /// The GPT-2 pattern over one segment; positions outside it count as "no character" (llama.cpp's OUT_OF_RANGE),
    /// so no word crosses a segment boundary and lookahead stops at it.
    private func split(_ scalars: [Unicode.Scalar], _ flags: [Flags], _ segment: Range<Int>, into words: inout [Range<Int>]) {
        let end = segment.upperBound
        @inline(__always) func flag(_ position: Int) -> Flags? { position < end ? flags[position] : nil }
        @inline(__always) func isOther(_ f: Flags?) -> Bool { f != nil && f!.isDisjoint(with: [.letter, .number, .whitespace]) }
        var position = segment.lowerBound
        var wordStart = position
        func emit(_ upTo: Int) {
            if upTo > wordStart { words.append(wordStart..<upTo) }
            wordStart = upTo
            position = upTo
        }
        while position < end {
            let scalar = scalars[position]
            // 's 't 're 've 'm 'll 'd (lower case only, as in GPT-2's pattern)
            if scalar == "'" && position + 1 < end {
                let next = scalars[position + 1]
                if next == "s" || next == "t" || next == "m" || next == "d" { emit(position + 2); continue }
                if position + 2 < end {
                    let after = scalars[position + 2]
                    if (next == "r" && after == "e") || (next == "v" && after == "e") || (next == "l" && after == "l") {
                        emit(position + 3); continue
                    }
                }
            }
            let leadingSpace = scalar == " "
            let head = leadingSpace ? flag(position + 1) : flags[position]
            if let head, head.contains(.letter) {
                var p = position + (leadingSpace ? 1 : 0)
                while let f = flag(p), f.contains(.letter) { p += 1 }
                emit(p); continue
            }
            if let head, head.contains(.number) {
                var p = position + (leadingSpace ? 1 : 0)
                while let f = flag(p), f.contains(.number) { p += 1 }
                emit(p); continue
            }
            if isOther(head) {
                var p = position + (leadingSpace ? 1 : 0)
                while isOther(flag(p)) { p += 1 }
                emit(p); continue
            }
            var spaces = 0
            while let f = flag(position + spaces), f.contains(.whitespace) { spaces += 1 }
            if spaces > 1 && position + spaces < end {
                emit(position + spaces - 1); continue  // \s+(?!\S): leave the last space to the next word
            }
            if spaces > 0 { emit(position + spaces); continue }
            emit(position + 1)
        }
    }
}
