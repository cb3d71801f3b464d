import Core
import Foundation
import Neural
import Workbench

/// Trains the byte-level BPE tokenizer on the pretraining pool's text.
enum TokenizerStep: Step {
    static let name = "lm.tokenizer"
    static let version = 1
    static let summary = "Trains the byte-level BPE tokenizer of the base model on the pretraining text."
    static let inputs = StepInputs.reads(PoolsStep.self)
    static let parameters = [ParameterSpec("pool", .string, default: "pretraining", "the pool whose documents train it")]
    static let profileKeys = ["tokenizer"]

    static func run(_ context: StepContext) throws -> StepOutput {
        let pools = try PoolsRef(context)
        let documents = try pools.pool(try context.parameters.string("pool")).documents.map(\.text)
        let budget = try context.profile.int("tokenizer.training_chars")
        let tokenizer = BytePairTokenizer.train(on: documents, vocabularySize: try context.profile.int("tokenizer.vocab_size"),
                                                maxCharacters: budget)
        let bytes = try tokenizer.serialized()
        let digest = try context.store.putArtifact(bytes, kind: "tokenizer")
        let used = min(budget, documents.reduce(0) { $0 + $1.count })
        let sample = documents.first.map { String($0.prefix(2000)) } ?? ""
        let ids = tokenizer.encode(sample)
        let payload = TokenizerPayload(digest: digest, vocabularySize: tokenizer.vocabularySize, trainingCharacters: used)
        return try StepOutput(payload: payload)
            .table(Table(title: "Tokenizer", columns: ["vocabulary", "training characters", "characters per token (first document)", "round trip"],
                         rows: [["\(tokenizer.vocabularySize)", "\(used)",
                                 Table.number(Double(sample.count) / Double(max(ids.count, 1)), digits: 2),
                                 tokenizer.decode(ids) == sample ? "exact" : "BROKEN"]]))
            .modelHash("bpe-tokenizer", digest)
    }
}

struct TokenizerPayload: Codable {
    var digest: String
    var vocabularySize: Int
    var trainingCharacters: Int
}
