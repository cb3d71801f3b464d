/// A DEFLATE decoder (RFC 1951): stored, fixed-Huffman and dynamic-Huffman blocks. Written for clarity over speed;
/// it decodes the 3 MB hh-rlhf file in well under a second in release builds.
struct Inflater {
    private let input: [UInt8]
    private var position: Int
    private var bitBuffer: UInt32 = 0
    private var bitCount = 0

    init(input: [UInt8], position: Int) {
        self.input = input
        self.position = position
    }

    /// The first byte after the deflate stream (after `run`): where the gzip trailer starts.
    var bytePositionAfterEnd: Int { position - bitCount / 8 }

    /// A canonical Huffman code, decoded one bit at a time from the counts per code length (RFC 1951 §3.2.2).
    private struct Huffman {
        var counts = [Int](repeating: 0, count: 16)
        var symbols: [Int] = []

        init(lengths: [Int]) throws {
            for length in lengths { counts[length] += 1 }
            counts[0] = 0
            var offsets = [Int](repeating: 0, count: 16)
            for length in 1..<16 { offsets[length] = offsets[length - 1] + counts[length - 1] }
            symbols = [Int](repeating: 0, count: lengths.count)
            for (symbol, length) in lengths.enumerated() where length != 0 {
                symbols[offsets[length]] = symbol
                offsets[length] += 1
            }
        }
    }

    private static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    private static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    private static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    mutating func run(into output: inout [UInt8]) throws {
        var last = false
        while !last {
            last = try bits(1) == 1
            switch try bits(2) {
            case 0: try storedBlock(into: &output)
            case 1:
                let literal = try Huffman(lengths: Array(repeating: 8, count: 144) + Array(repeating: 9, count: 112) + Array(repeating: 7, count: 24) + Array(repeating: 8, count: 8))
                let distance = try Huffman(lengths: Array(repeating: 5, count: 30))
                try huffmanBlock(literal: literal, distance: distance, into: &output)
            case 2:
                let (literal, distance) = try dynamicCodes()
                try huffmanBlock(literal: literal, distance: distance, into: &output)
            default: throw Gzip.Failure(message: "invalid deflate block type 3")
            }
        }
    }

    private mutating func bits(_ count: Int) throws -> Int {
        while bitCount < count {
            guard position < input.count else { throw Gzip.Failure(message: "the compressed data ends early (truncated file)") }
            bitBuffer |= UInt32(input[position]) << UInt32(bitCount)
            position += 1
            bitCount += 8
        }
        let value = Int(bitBuffer & ((1 << UInt32(count)) - 1))
        bitBuffer >>= UInt32(count)
        bitCount -= count
        return value
    }

    private mutating func decode(_ code: Huffman) throws -> Int {
        var value = 0, first = 0, index = 0
        for length in 1..<16 {
            value |= try bits(1)
            let count = code.counts[length]
            if value - count < first { return code.symbols[index + (value - first)] }
            index += count
            first = (first + count) << 1
            value <<= 1
        }
        throw Gzip.Failure(message: "invalid Huffman code in the compressed data")
    }

    private mutating func storedBlock(into output: inout [UInt8]) throws {
        bitBuffer = 0
        bitCount = 0
        guard position + 4 <= input.count else { throw Gzip.Failure(message: "truncated stored block") }
        let length = Int(input[position]) | Int(input[position + 1]) << 8
        let complement = Int(input[position + 2]) | Int(input[position + 3]) << 8
        guard length == ~complement & 0xFFFF else { throw Gzip.Failure(message: "corrupt stored block length") }
        position += 4
        guard position + length <= input.count else { throw Gzip.Failure(message: "truncated stored block") }
        output.append(contentsOf: input[position..<position + length])
        position += length
    }

    private mutating func dynamicCodes() throws -> (Huffman, Huffman) {
        let literalCount = try bits(5) + 257
        let distanceCount = try bits(5) + 1
        let codeLengthCount = try bits(4) + 4
        var codeLengths = [Int](repeating: 0, count: 19)
        for i in 0..<codeLengthCount { codeLengths[Inflater.codeLengthOrder[i]] = try bits(3) }
        let codeLengthCode = try Huffman(lengths: codeLengths)
        var lengths: [Int] = []
        while lengths.count < literalCount + distanceCount {
            let symbol = try decode(codeLengthCode)
            switch symbol {
            case 0..<16: lengths.append(symbol)
            case 16:
                guard let previous = lengths.last else { throw Gzip.Failure(message: "corrupt code lengths") }
                lengths += Array(repeating: previous, count: try bits(2) + 3)
            case 17: lengths += Array(repeating: 0, count: try bits(3) + 3)
            default: lengths += Array(repeating: 0, count: try bits(7) + 11)
            }
        }
        guard lengths.count == literalCount + distanceCount else { throw Gzip.Failure(message: "corrupt code lengths") }
        return (try Huffman(lengths: Array(lengths[..<literalCount])), try Huffman(lengths: Array(lengths[literalCount...])))
    }

    private mutating func huffmanBlock(literal: Huffman, distance: Huffman, into output: inout [UInt8]) throws {
        while true {
            let symbol = try decode(literal)
            if symbol < 256 { output.append(UInt8(symbol)); continue }
            if symbol == 256 { return }
            let lengthIndex = symbol - 257
            guard lengthIndex < Inflater.lengthBase.count else { throw Gzip.Failure(message: "invalid length symbol") }
            let length = Inflater.lengthBase[lengthIndex] + (try bits(Inflater.lengthExtra[lengthIndex]))
            let distanceSymbol = try decode(distance)
            guard distanceSymbol < Inflater.distanceBase.count else { throw Gzip.Failure(message: "invalid distance symbol") }
            let back = Inflater.distanceBase[distanceSymbol] + (try bits(Inflater.distanceExtra[distanceSymbol]))
            guard back <= output.count else { throw Gzip.Failure(message: "a back-reference points before the start of the data") }
            let start = output.count - back
            for i in 0..<length { output.append(output[start + i]) }
        }
    }
}
