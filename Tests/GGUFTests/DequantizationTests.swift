import Core
import Foundation
import XCTest
@testable import GGUF

/// Dequantisation against the reference `gguf` Python package (fixture by bench/gguf/make_dequant_fixture.py):
/// every tensor of both real model files must give the same Float32 bytes (equal SHA-256, so bit-exact: ggml's
/// arithmetic is reproduced operation for operation and no type needs a tolerance), and seeded random blocks of
/// every supported type, including those no real file uses (F16, BF16, Q4_0), must decode to the same bits.
final class DequantizationTests: XCTestCase {
    struct Fixture: Decodable {
        struct Tensor: Decodable { let name, type: String; let shape: [Int]; let sha256, samples: String }
        struct File: Decodable { let path: String; let tensors: [Tensor] }
        struct Synthetic: Decodable { let type, bytes, values: String }
        let sample_count: Int
        let files: [File]
        let synthetic: [Synthetic]
    }

    static let fixture: Fixture = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/dequantization.json")
        return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }()

    static func floats(base64: String) -> [UInt32] {
        let data = Data(base64Encoded: base64)!
        return data.withUnsafeBytes { raw in (0..<data.count / 4).map { UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self)) } }
    }

    func testSyntheticBlocksOfEverySupportedType() throws {
        XCTAssertEqual(Set(Self.fixture.synthetic.map(\.type)), ["F16", "BF16", "Q4_0", "Q4_1", "Q5_0", "Q8_0", "Q4_K", "Q6_K"])
        for synthetic in Self.fixture.synthetic {
            let type = try XCTUnwrap(GGMLType.allCases.first { $0.description == synthetic.type })
            let raw = stride(from: 0, to: synthetic.bytes.count, by: 2).map { offset -> UInt8 in
                let start = synthetic.bytes.index(synthetic.bytes.startIndex, offsetBy: offset)
                return UInt8(synthetic.bytes[start..<synthetic.bytes.index(start, offsetBy: 2)], radix: 16)!
            }
            let expected = Self.floats(base64: synthetic.values)
            var builder = GGUFBuilder()
            builder.addTensor("t", shape: [UInt64(expected.count)], type: type.rawValue, bytes: raw)
            let values = try GGUFFile(data: builder.bytes()).float32(tensor: "t")
            XCTAssertEqual(values.map(\.bitPattern), expected, "\(type)")
        }
    }

    func testEveryTensorOfBothModelFilesMatchesTheReferenceBitForBit() throws {
        for (url, expected) in zip([ModelFiles.smolLM2, ModelFiles.gemma3], Self.fixture.files) {
            XCTAssertTrue(url.path.hasSuffix(expected.path), "fixture order")
            let file = try GGUFFile(contentsOf: url)
            XCTAssertEqual(file.tensors.map(\.name), expected.tensors.map(\.name))
            XCTAssertEqual(file.tensors.map(\.type.description), expected.tensors.map(\.type))
            XCTAssertEqual(file.tensors.map(\.shape), expected.tensors.map(\.shape))
            // Tensors are hashed two at a time (the machine's cores); each dequantisation is parallel inside too.
            let digests = UnsafeMutableBufferPointer<String>.allocate(capacity: file.tensors.count)
            digests.initialize(repeating: "")
            defer { digests.deallocate() }
            let failures = Failures()
            DispatchQueue.concurrentPerform(iterations: file.tensors.count) { index in
                let info = file.tensors[index]
                do {
                    let values = try file.float32(info)
                    let reference = expected.tensors[index]
                    let sampled = Self.floats(base64: reference.samples)
                    for (k, bits) in sampled.enumerated() where values[(k * 2654435761) % values.count].bitPattern != bits {
                        failures.add("\(info.name) sample \(k) differs")
                        break
                    }
                    digests[index] = values.withUnsafeBytes { raw in
                        var hasher = SHA256()
                        hasher.update(Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: raw.baseAddress!), count: raw.count, deallocator: .none))
                        return hasher.hexDigest()
                    }
                } catch {
                    failures.add("\(error)")
                }
            }
            XCTAssertEqual(failures.messages, [])
            for (index, info) in file.tensors.enumerated() {
                XCTAssertEqual(digests[index], expected.tensors[index].sha256, "\(url.lastPathComponent) \(info.name) (\(info.type))")
            }
        }
    }
}

/// Collects messages from parallel workers.
private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var messages: [String] = []
    func add(_ message: String) { lock.lock(); messages.append(message); lock.unlock() }
}
