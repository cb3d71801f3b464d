/// GPT-2's byte-level alphabet: every byte gets a printable Unicode character (printable ASCII and Latin-1 bytes
/// stand for themselves, the other 68 are moved to U+0100 onwards), so byte-level BPE vocabularies are text.
enum ByteLevelAlphabet {
    /// The character standing for each byte.
    static let characters: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            let printable = (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte)
            if printable {
                table[byte] = Unicode.Scalar(UInt32(byte))!
            } else {
                table[byte] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return table
    }()

    /// The byte each alphabet character stands for.
    static let bytes: [UInt32: UInt8] = Dictionary(uniqueKeysWithValues: characters.enumerated().map { ($1.value, UInt8($0)) })

    /// Decodes byte-level text to the bytes it stands for; nil when it holds a character outside the alphabet.
    static func decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            guard let byte = bytes[scalar.value] else { return nil }
            out.append(byte)
        }
        return out
    }
}
