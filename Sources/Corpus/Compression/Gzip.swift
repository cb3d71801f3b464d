/// Reads gzip files (RFC 1952) with an inflater written here (RFC 1951), because Foundation on Linux has no gzip API
/// and a system-zlib target would add a C dependency for one 700 KB file (hh-rlhf). Every member's CRC-32 and length
/// are checked, so a corrupt or truncated file is an error rather than silently short text.
public enum Gzip {
    public struct Failure: Error, CustomStringConvertible, Equatable, Sendable {
        public var message: String
        public var description: String { message }
    }

    public static func isGzip(_ bytes: [UInt8]) -> Bool { bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B }

    /// Decompresses every member of a gzip file and returns the concatenated bytes.
    public static func decompress(_ bytes: [UInt8]) throws -> [UInt8] {
        var output: [UInt8] = []
        var offset = 0
        while offset < bytes.count {
            guard bytes.count - offset >= 18, bytes[offset] == 0x1F, bytes[offset + 1] == 0x8B else {
                if offset > 0, bytes[offset...].allSatisfy({ $0 == 0 }) { break }  // zero padding after the last member
                throw Failure(message: "not a gzip member at byte \(offset)")
            }
            guard bytes[offset + 2] == 8 else { throw Failure(message: "unsupported gzip compression method \(bytes[offset + 2])") }
            let flags = bytes[offset + 3]
            var position = offset + 10
            if flags & 0x04 != 0 {  // FEXTRA
                guard position + 2 <= bytes.count else { throw Failure(message: "truncated gzip header") }
                position += 2 + Int(bytes[position]) | Int(bytes[position + 1]) << 8
            }
            for flag: UInt8 in [0x08, 0x10] where flags & flag != 0 {  // FNAME, FCOMMENT: zero-terminated
                while position < bytes.count, bytes[position] != 0 { position += 1 }
                position += 1
            }
            if flags & 0x02 != 0 { position += 2 }  // FHCRC
            guard position < bytes.count else { throw Failure(message: "truncated gzip header") }
            let memberStart = output.count
            var inflater = Inflater(input: bytes, position: position)
            try inflater.run(into: &output)
            position = inflater.bytePositionAfterEnd
            guard position + 8 <= bytes.count else { throw Failure(message: "truncated gzip trailer (the file ends inside the last member)") }
            let expectedCRC = readLE32(bytes, position)
            let expectedSize = readLE32(bytes, position + 4)
            let crc = CRC32.checksum(output[memberStart...])
            guard crc == expectedCRC else { throw Failure(message: "gzip CRC-32 mismatch: the data is corrupt") }
            guard UInt32(truncatingIfNeeded: output.count - memberStart) == expectedSize else { throw Failure(message: "gzip length mismatch: the data is corrupt") }
            offset = position + 8
        }
        return output
    }

    private static func readLE32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }
}

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) as gzip uses it.
public enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    public static func checksum<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
