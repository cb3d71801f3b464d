import Core
import Foundation
import XCTest
@testable import GGUF

/// The reader on hand-made files: every value type, alignment, and each kind of broken file failing with an
/// `InputError` that names the file, the item and the reason.
final class GGUFReaderTests: XCTestCase {
    private func sample() -> GGUFBuilder {
        var builder = GGUFBuilder()
        builder.add("general.architecture", string: "llama")
        builder.add("llama.block_count", uint32: 2)
        builder.add("tokenizer.ggml.tokens", strings: ["<s>", "a", "▁b"])
        builder.addTensor("w", shape: [4, 2], type: 0, bytes: GGUFBuilder.floatBytes([1, 2, 3, 4, 5, 6, 7, -8]))
        builder.addTensor("v", shape: [3], type: 0, bytes: GGUFBuilder.floatBytes([0.5, 1.5, 2.5]))
        return builder
    }

    private func expectError(_ bytes: [UInt8], mentioning fragments: [String], file: StaticString = #filePath, line: UInt = #line) {
        do {
            _ = try GGUFFile(data: bytes, name: "broken.gguf")
            XCTFail("expected an error mentioning \(fragments)", file: file, line: line)
        } catch let error as InputError {
            let text = error.description
            XCTAssertTrue(text.hasPrefix("broken.gguf"), text, file: file, line: line)
            for fragment in fragments { XCTAssertTrue(text.contains(fragment), "'\(fragment)' not in: \(text)", file: file, line: line) }
        } catch {
            XCTFail("not an InputError: \(error)", file: file, line: line)
        }
    }

    func testReadsMetadataTensorTableAndF32Data() throws {
        let file = try GGUFFile(data: sample().bytes(), name: "ok.gguf")
        XCTAssertEqual(file.version, 3)
        XCTAssertEqual(file.metadataKeys, ["general.architecture", "llama.block_count", "tokenizer.ggml.tokens"])
        XCTAssertEqual(try file.string("general.architecture"), "llama")
        XCTAssertEqual(try file.int("llama.block_count"), 2)
        XCTAssertEqual(try file.strings("tokenizer.ggml.tokens"), ["<s>", "a", "▁b"])
        XCTAssertEqual(file.alignment, 32)
        XCTAssertEqual(file.tensors.map(\.name), ["w", "v"])
        XCTAssertEqual(file.tensors[0].shape, [4, 2])
        XCTAssertEqual(file.tensors[1].offset, 32)
        XCTAssertEqual(try file.float32(tensor: "w"), [1, 2, 3, 4, 5, 6, 7, -8])
        XCTAssertEqual(try file.float32(tensor: "v"), [0.5, 1.5, 2.5])
        XCTAssertThrowsError(try file.int("general.architecture")) { XCTAssertTrue("\($0)".contains("expected an integer, found string")) }
        XCTAssertThrowsError(try file.int("missing.key")) { XCTAssertTrue("\($0)".contains("'missing.key'")) }
        XCTAssertThrowsError(try file.float32(tensor: "nope")) { XCTAssertTrue("\($0)".contains("'nope'")) }
    }

    func testEveryValueTypeAndNestedArrays() throws {
        var builder = GGUFBuilder()
        typealias B = GGUFBuilder
        builder.metadata = [
            ("u8", 0, [200]), ("i8", 1, [0xFE]), ("u16", 2, B.le(UInt16(65000))), ("i16", 3, B.le(Int16(-300))),
            ("u32", 4, B.le(UInt32(4_000_000_000))), ("i32", 5, B.le(Int32(-7))), ("f32", 6, B.le(Float(1.25).bitPattern)),
            ("bool", 7, [1]), ("s", 8, B.string("héllo")), ("u64", 10, B.le(UInt64(1) << 40)),
            ("i64", 11, B.le(Int64(-5))), ("f64", 12, B.le(Double(-2.5).bitPattern)),
            // An array of two arrays of int32: [[1, 2], [3]].
            ("nested", 9, B.le(UInt32(9)) + B.le(UInt64(2))
                + B.le(UInt32(5)) + B.le(UInt64(2)) + B.le(Int32(1)) + B.le(Int32(2))
                + B.le(UInt32(5)) + B.le(UInt64(1)) + B.le(Int32(3))),
        ]
        let file = try GGUFFile(data: builder.bytes())
        XCTAssertEqual(file.metadata["u8"], .uint8(200))
        XCTAssertEqual(file.metadata["i8"], .int8(-2))
        XCTAssertEqual(file.metadata["u16"], .uint16(65000))
        XCTAssertEqual(file.metadata["i16"], .int16(-300))
        XCTAssertEqual(try file.int("u32"), 4_000_000_000)
        XCTAssertEqual(file.metadata["i32"], .int32(-7))
        XCTAssertEqual(try file.float("f32"), 1.25)
        XCTAssertEqual(try file.bool("bool"), true)
        XCTAssertEqual(try file.string("s"), "héllo")
        XCTAssertEqual(try file.int("u64"), 1 << 40)
        XCTAssertEqual(file.metadata["i64"], .int64(-5))
        XCTAssertEqual(file.metadata["f64"], .float64(-2.5))
        XCTAssertEqual(file.metadata["nested"], .array([.array([.int32(1), .int32(2)]), .array([.int32(3)])]))
    }

    func testAlignmentFromMetadataPlacesTheDataSection() throws {
        var builder = sample()
        builder.alignment = 64
        builder.metadata.append(("general.alignment", 4, GGUFBuilder.le(UInt32(64))))
        builder.tensors.removeAll(); builder.data.removeAll()
        builder.addTensor("w", shape: [2], type: 0, bytes: GGUFBuilder.floatBytes([3, 4]))
        builder.addTensor("v", shape: [1], type: 0, bytes: GGUFBuilder.floatBytes([9]))
        let file = try GGUFFile(data: builder.bytes())
        XCTAssertEqual(file.alignment, 64)
        XCTAssertEqual(file.dataOffset % 64, 0)
        XCTAssertEqual(file.tensors[1].offset, 64)
        XCTAssertEqual(try file.float32(tensor: "v"), [9])
        var bad = builder
        bad.metadata[bad.metadata.count - 1].payload = GGUFBuilder.le(UInt32(48))
        expectError(bad.bytes(), mentioning: ["general.alignment", "power of two"])
    }

    func testEveryTruncationIsAnErrorNotATrap() {
        let bytes = sample().bytes()
        for length in 0..<bytes.count {
            XCTAssertThrowsError(try GGUFFile(data: bytes[0..<length]), "prefix of \(length) bytes") { error in
                XCTAssertTrue(error is InputError, "\(error)")
            }
        }
        expectError(Array(bytes.prefix(20)), mentioning: ["truncated"])
        expectError(Array(bytes.dropLast(4)), mentioning: ["tensor 'v'", "past the end"])
    }

    func testBadMagicAndVersion() {
        var builder = sample()
        builder.magic = Array("GGML".utf8)
        expectError(builder.bytes(), mentioning: ["magic", "not a GGUF file"])
        for version: UInt32 in [1, 4, UInt32(3).byteSwapped] {
            builder = sample()
            builder.version = version
            expectError(builder.bytes(), mentioning: ["version", "unsupported GGUF version \(version)"])
        }
        builder.version = 2
        XCTAssertNoThrow(try GGUFFile(data: builder.bytes()))
    }

    func testAbsurdCountsAndLengthsAreRefusedBeforeAllocating() {
        var builder = sample()
        builder.tensorCountOverride = 1 << 60
        expectError(builder.bytes(), mentioning: ["tensor count", "cannot fit"])
        builder = sample()
        builder.metadataCountOverride = UInt64.max
        expectError(builder.bytes(), mentioning: ["metadata count", "cannot fit"])
        builder = sample()
        builder.metadata[0].payload = GGUFBuilder.le(UInt64(1) << 62) + Array("llama".utf8)
        expectError(builder.bytes(), mentioning: ["metadata key 'general.architecture'", "string length 4611686018427387904"])
        builder = sample()
        builder.metadata[2].payload = GGUFBuilder.le(UInt32(8)) + GGUFBuilder.le(UInt64(1) << 59)
        expectError(builder.bytes(), mentioning: ["tokenizer.ggml.tokens", "cannot fit"])
        builder = sample()
        builder.tensors[0].shape = [1 << 40, 1 << 40]
        expectError(builder.bytes(), mentioning: ["tensor 'w'", "impossibly large"])
        builder = sample()
        builder.tensors[0].shape = [4, 2, 1, 1, 1]
        expectError(builder.bytes(), mentioning: ["tensor 'w'", "5 dimensions"])
    }

    func testTensorDataPastTheEndNamesTheTensor() {
        var builder = sample()
        builder.tensors[1].offset = 1 << 20
        expectError(builder.bytes(), mentioning: ["tensor 'v'", "offset", "past the end"])
        builder = sample()
        builder.tensors[0].offset = 3
        expectError(builder.bytes(), mentioning: ["tensor 'w'", "not a multiple of the alignment"])
    }

    func testUnknownAndUnsupportedTensorTypes() throws {
        var builder = sample()
        builder.tensors[0].type = 99
        expectError(builder.bytes(), mentioning: ["tensor 'w'", "unknown ggml tensor type id 99"])
        // Q5_K (id 13) is a known layout the reader bounds-checks but does not decode.
        builder = sample()
        builder.tensors.removeAll(); builder.data.removeAll()
        builder.addTensor("k", shape: [256], type: 13, bytes: [UInt8](repeating: 0, count: 176))
        let file = try GGUFFile(data: builder.bytes(), name: "q5k.gguf")
        XCTAssertEqual(file.tensors[0].type, .q5_K)
        XCTAssertThrowsError(try file.float32(tensor: "k")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("q5k.gguf"), text)
            XCTAssertTrue(text.contains("tensor 'k'") && text.contains("Q5_K cannot be dequantised"), text)
        }
        builder.tensors[0].shape = [100]
        expectError(builder.bytes(), mentioning: ["tensor 'k'", "not a multiple of Q5_K's block size 256"])
    }

    func testDuplicateKeysAndBadValues() {
        var builder = sample()
        builder.add("llama.block_count", uint32: 3)
        expectError(builder.bytes(), mentioning: ["'llama.block_count'", "twice"])
        builder = sample()
        builder.metadata.append(("flag", 7, [2]))
        expectError(builder.bytes(), mentioning: ["'flag'", "bool byte is 2"])
        builder = sample()
        builder.metadata.append(("odd", 13, [0]))
        expectError(builder.bytes(), mentioning: ["'odd'", "unknown metadata value type 13"])
        builder = sample()
        builder.metadata[0].payload = GGUFBuilder.le(UInt64(2)) + [0xC3, 0x28]
        expectError(builder.bytes(), mentioning: ["general.architecture", "not valid UTF-8"])
    }
}
