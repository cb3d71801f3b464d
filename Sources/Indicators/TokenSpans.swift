/// One text's tokens as spans of a byte buffer: what ``LexicalRichnessTokenizer`` writes and ``SpanInterner`` reads.
///
/// Token `k` is `bytes[bounds[2k] ..< bounds[2k + 1]]`. The bytes between tokens are unspecified (the tokeniser
/// copies whole 8-byte words, separators included), so only the spans mean anything. The buffers are kept from text
/// to text, and both have readable slack past their ends for word-at-a-time access.
final class TokenSpans {
    @exclusivity(unchecked) private var byteStorage = RawVector<UInt8>(capacity: 4096, zero: 0)
    @exclusivity(unchecked) private var boundStorage = RawVector<Int32>(capacity: 1024, zero: 0)

    /// ``BoundaryWriter/Tables/shared``, fetched once.
    let boundaryTables = BoundaryWriter.Tables.shared

    init() {}

    deinit { byteStorage.free(); boundStorage.free() }

    var tokenCount: Int { boundStorage.count / 2 }
    var bytePointer: UnsafeMutablePointer<UInt8> { byteStorage.base }
    var boundPointer: UnsafeMutablePointer<Int32> { boundStorage.base }
    /// The number of bytes written, up to the end of the last token.
    var byteCount: Int { byteStorage.count }

    /// The bytes of token `k`.
    func token(_ k: Int) -> UnsafeBufferPointer<UInt8> {
        let start = Int(boundStorage[2 * k])
        return UnsafeBufferPointer(start: byteStorage.base + start, count: Int(boundStorage[2 * k + 1]) - start)
    }

    /// The tokens as strings (for inspection and tests).
    var strings: [String] { (0..<tokenCount).map { String(decoding: token($0), as: UTF8.self) } }

    /// Empties the spans and makes room for a text (the writer needs up to these counts, plus the slack).
    func prepare(byteCapacity: Int, boundCapacity: Int) {
        byteStorage.setCount(0)
        boundStorage.setCount(0)
        byteStorage.reserve(byteCapacity)
        boundStorage.reserve(boundCapacity)
    }

    /// Records how much the writer wrote through the pointers; `boundCount` is even.
    func finish(byteCount: Int, boundCount: Int) {
        precondition(boundCount % 2 == 0 && byteCount <= byteStorage.capacity && boundCount <= boundStorage.capacity)
        byteStorage.setCount(byteCount)
        boundStorage.setCount(boundCount)
    }
}
