import Core
import Foundation
import GGUF
import XCTest
@testable import PretrainedLM

/// Both real tokenizers against the reference (fixture by bench/gguf/make_token_fixture.py, whose `reference`
/// field names the implementation): identical ids on every text — over 1,000 real instructions and responses from
/// data/ and hand-written edge cases — and decoding gives each text back.
final class TokenizerReferenceTests: XCTestCase {
    struct Fixture: Decodable {
        struct Ids: Decodable { let count: Int; let sha256: String; let ids: [Int32]? }
        struct Text: Decodable {
            let file: String; let index: Int; let field: String; let text: String?
            let smollm2: Ids; let gemma3: Ids
        }
        struct TemplateCase: Decodable { let instruction, response, prompt, full: String }
        let reference: String
        let texts: [Text]
        let smollm2_chat_template: [TemplateCase]
    }

    static let fixture: Fixture = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/tokenization.json")
        return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }()

    static let dataFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../data").standardized

    /// The fixture's texts, read from the data folder (JSON arrays or JSON lines, records counted from 0).
    static func texts() throws -> [String] {
        var files: [String: [[String: Any]]] = [:]
        return try fixture.texts.map { entry in
            if let text = entry.text { return text }
            if files[entry.file] == nil {
                let data = try Data(contentsOf: dataFolder.appendingPathComponent(entry.file))
                if entry.file.hasSuffix(".jsonl") {
                    // Lines split on the newline byte: Swift would read "\r\n" as one Character.
                    files[entry.file] = try data.split(separator: 0x0A)
                        .filter { !$0.allSatisfy { [0x20, 0x0D, 0x09].contains($0) } }
                        .map { try JSONSerialization.jsonObject(with: Data($0)) as! [String: Any] }
                } else {
                    files[entry.file] = try JSONSerialization.jsonObject(with: data) as? [[String: Any]]
                }
            }
            guard let text = files[entry.file]?[entry.index][entry.field] as? String else {
                throw InputError(file: entry.file, path: "[\(entry.index)]", field: entry.field, "no such text")
            }
            return text
        }
    }

    static func digest(_ ids: [Int32]) -> String { SHA256.hex(ids.map(String.init).joined(separator: ",")) }

    private func check(_ tokenizer: any PretrainedTokenizer, _ expected: KeyPath<Fixture.Text, Fixture.Ids>, model: String) throws {
        let texts = try Self.texts()
        XCTAssertGreaterThanOrEqual(texts.count, 1000)
        var mismatches: [String] = []
        var roundTripFailures = 0
        for (entry, text) in zip(Self.fixture.texts, texts) {
            let ids = tokenizer.encode(text)
            let reference = entry[keyPath: expected]
            if ids.count != reference.count || Self.digest(ids) != reference.sha256 {
                mismatches.append("\(entry.file)#\(entry.index).\(entry.field): \(ids.count) ids, reference \(reference.count)")
            }
            if let full = reference.ids { XCTAssertEqual(ids, full, "\(model) \(entry.file)#\(entry.index).\(entry.field)") }
            // SentencePiece writes spaces as "▁", so a text that already holds "▁" cannot come back unchanged.
            let decodable = !(tokenizer is SentencePieceTokenizer && text.contains("\u{2581}"))
            if decodable && tokenizer.decode(ids) != text { roundTripFailures += 1 }
        }
        XCTAssertEqual(mismatches, [], "\(model) vs \(Self.fixture.reference)")
        XCTAssertEqual(roundTripFailures, 0, "\(model): decode(encode(text)) != text")
    }

    func testSmolLM2ByteLevelBPEMatchesReferenceOnEveryText() throws {
        let file = try GGUFFile(contentsOf: ModelFiles.smolLM2)
        let tokenizer = try PretrainedTokenizers.load(from: file)
        XCTAssertTrue(tokenizer is ByteLevelBPETokenizer)
        try check(tokenizer, \.smollm2, model: "SmolLM2")
    }

    func testGemma3SentencePieceMatchesReferenceOnEveryText() throws {
        let file = try GGUFFile(contentsOf: ModelFiles.gemma3)
        let tokenizer = try PretrainedTokenizers.load(from: file)
        XCTAssertTrue(tokenizer is SentencePieceTokenizer)
        try check(tokenizer, \.gemma3, model: "Gemma 3")
    }

    func testSmolLM2ChatTemplateMatchesJinjaRendering() throws {
        let file = try GGUFFile(contentsOf: ModelFiles.smolLM2)
        let template = try InstructionTemplate.of(file)
        XCTAssertEqual(template, .chatML(defaultSystem: "You are a helpful AI assistant named SmolLM, trained by Hugging Face"))
        for example in Self.fixture.smollm2_chat_template {
            let (prompt, response) = template.format(instruction: example.instruction, response: example.response)
            XCTAssertEqual(prompt, example.prompt)
            XCTAssertEqual(prompt + response, example.full)
        }
    }

    func testSpecialTokensAndTurnMarkers() throws {
        let smol = try GGUFFile(contentsOf: ModelFiles.smolLM2)
        let smolTokenizer = try PretrainedTokenizers.load(from: smol)
        let (prompt, _) = try InstructionTemplate.of(smol).format(instruction: "Hi", response: "Hello")
        let promptIds = smolTokenizer.encode(prompt, addSpecial: true, parseSpecial: true)
        // SmolLM2 adds no BOS (add_bos_token false); the prompt opens with <|im_start|> (id 1) as one token.
        XCTAssertEqual(smolTokenizer.vocabulary.addsBOS, false)
        XCTAssertEqual(promptIds.first, 1)
        XCTAssertEqual(promptIds.filter { $0 == 1 }.count, 3)
        XCTAssertEqual(smolTokenizer.decode(promptIds, includeSpecial: true), prompt)
        // As plain text the same markers are ordinary characters.
        XCTAssertFalse(smolTokenizer.encode(prompt).contains(1))

        let gemma = try GGUFFile(contentsOf: ModelFiles.gemma3)
        let gemmaTokenizer = try PretrainedTokenizers.load(from: gemma)
        XCTAssertEqual(try InstructionTemplate.of(gemma), .gemmaTurns)
        let (turnPrompt, turnResponse) = InstructionTemplate.gemmaTurns.format(instruction: "Hi", response: "Hello")
        let ids = gemmaTokenizer.encode(turnPrompt + turnResponse, addSpecial: true, parseSpecial: true)
        let start = try XCTUnwrap(gemmaTokenizer.vocabulary.id(of: "<start_of_turn>"))
        let end = try XCTUnwrap(gemmaTokenizer.vocabulary.id(of: "<end_of_turn>"))
        XCTAssertEqual(ids.first, gemmaTokenizer.vocabulary.bos)
        XCTAssertEqual(ids.filter { $0 == start }.count, 2)
        XCTAssertEqual(ids.filter { $0 == end }.count, 2)
        XCTAssertEqual(gemmaTokenizer.decode(ids, includeSpecial: true), "<bos>" + turnPrompt + turnResponse)
        XCTAssertEqual(gemmaTokenizer.decode(ids), "user\nHi\nmodel\nHello\n")
    }
}
