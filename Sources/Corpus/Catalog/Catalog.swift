/// The files of the shared data folder and how to read each: its format and the split its examples belong to.
/// `imine data list` walks this table; ``Pools`` names sources by ``CatalogEntry/name``.
public struct CatalogEntry: Sendable, Equatable {
    /// Path under the data folder, as MANIFEST.tsv lists it.
    public var path: String
    public var format: DataFormat
    /// `train`, `eval` (reference answers to evaluate on), `test` (prompts only), `probe` (a model's answers to the
    /// evaluation prompts, of known quality), `pretrain`, `preference` or `resource` (tokenizers, judge prompts).
    public var split: String

    public init(path: String, format: DataFormat, split: String) {
        (self.path, self.format, self.split) = (path, format, split)
    }

    /// The dataset name: the path without its text-format extensions (`lima/lima.json` → `lima/lima`,
    /// `hh-rlhf/harmless-base/test.jsonl.gz` → `hh-rlhf/harmless-base/test`); binary files keep theirs
    /// (`tokenizers/llama2c-llama/tokenizer.bin`), so that no two files share a name.
    public var name: String { CatalogEntry.name(ofPath: path) }

    public static func name(ofPath path: String) -> String {
        var name = path
        for suffix in [".gz", ".jsonl", ".json", ".txt"] where name.hasSuffix(suffix) {
            name.removeLast(suffix.count)
        }
        return name
    }
}

public enum Catalog {
    /// The self-instruct prediction files, worst model first: davinci < the three davinci finetunes <
    /// text-davinci-001 < -002 < -003 (the self-instruct paper's human ratings; the three finetunes are one tier).
    public static let probeModels: [(model: String, tier: Int)] = [
        ("davinci", 0), ("davinci-self-instruct", 1), ("davinci-superni-ft", 1), ("davinci-t0-ft", 1),
        ("davinci-self-instruct-and-superni-ft", 1), ("text-davinci-001", 2), ("text-davinci-002", 3), ("text-davinci-003", 4),
    ]

    /// The model whose answers a prediction source holds (`self-instruct/predictions/davinci_predictions` → `davinci`).
    public static func probeModel(ofSource source: String) -> String? {
        guard source.hasPrefix("self-instruct/predictions/"), source.hasSuffix("_predictions") else { return nil }
        return String(source.dropFirst("self-instruct/predictions/".count).dropLast("_predictions".count))
    }

    public static let entries: [CatalogEntry] = {
        var entries: [CatalogEntry] = [
            .init(path: "alpagasus-alpaca-subsets/claude_t45.json", format: .alpaca, split: "train"),
            .init(path: "alpagasus-alpaca-subsets/helpfulness_t45.json", format: .alpaca, split: "train"),
            .init(path: "alpagasus-alpaca-subsets/random_9k.json", format: .alpaca, split: "train"),
            .init(path: "alpagasus-dolly-3k/dolly_3k.json", format: .alpaca, split: "train"),
            .init(path: "cherry-alpaca-5pct/cherry_alpaca_5_percent.json", format: .alpaca, split: "train"),
            .init(path: "code-alpaca/code_alpaca_2k.json", format: .alpaca, split: "train"),
            .init(path: "code-alpaca/new_codealpaca.json", format: .alpaca, split: "train"),
            .init(path: "eval-test-sets/koala_test_set.jsonl", format: .promptSet, split: "test"),
            .init(path: "eval-test-sets/lima_test_set.jsonl", format: .promptSet, split: "test"),
            .init(path: "eval-test-sets/vicuna_test_set.jsonl", format: .promptSet, split: "test"),
            .init(path: "eval-test-sets/wizardlm_test_set.jsonl", format: .promptSet, split: "test"),
            .init(path: "hh-rlhf/harmless-base/test.jsonl.gz", format: .hhRLHF, split: "preference"),
            .init(path: "lima/lima.json", format: .alpaca, split: "train"),
            .init(path: "llama-factory-demo/alpaca_en_demo.json", format: .alpaca, split: "train"),
            .init(path: "llama-factory-demo/c4_demo.jsonl", format: .textJSONL, split: "pretrain"),
            .init(path: "llama-factory-demo/dpo_en_demo.json", format: .sharegptPreference, split: "preference"),
            .init(path: "llama-factory-demo/identity.json", format: .alpaca, split: "train"),
            .init(path: "llama-factory-demo/kto_en_demo.json", format: .kto, split: "preference"),
            .init(path: "llama-factory-demo/wiki_demo.txt", format: .plainText, split: "pretrain"),
            .init(path: "mt-bench/judge_prompts.jsonl", format: .judgePrompts, split: "resource"),
            .init(path: "mt-bench/question.jsonl", format: .fastchatQuestions, split: "test"),
            .init(path: "mt-bench/reference_answer/gpt-4.jsonl", format: .fastchatReference, split: "eval"),
            .init(path: "self-instruct/seed_tasks.jsonl", format: .selfInstruct, split: "train"),
            .init(path: "self-instruct/user_oriented_instructions.jsonl", format: .selfInstruct, split: "eval"),
            .init(path: "tokenizers/all-minilm-l6-v2/vocab.txt", format: .wordpieceVocabulary, split: "resource"),
            .init(path: "tokenizers/gpt2-tiktoken/gpt2.tiktoken", format: .tiktokenRanks, split: "resource"),
            .init(path: "tokenizers/llama2c-llama/tokenizer.bin", format: .llama2cTokenizer, split: "resource"),
            .init(path: "tokenizers/llama2c-llama/tokenizer.model", format: .sentencepieceModel, split: "resource"),
            .init(path: "vicuna-bench/question.jsonl", format: .fastchatQuestions, split: "test"),
            .init(path: "vicuna-bench/reference_answer/gpt-4.jsonl", format: .fastchatReference, split: "eval"),
        ]
        for (model, _) in probeModels {
            entries.append(.init(path: "self-instruct/predictions/\(model)_predictions.jsonl", format: .selfInstructPredictions, split: "probe"))
        }
        return entries.sorted { $0.path < $1.path }
    }()

    /// The entry for a dataset name or path; a unique suffix (`claude_t45`) is accepted too.
    public static func entry(named query: String) -> CatalogEntry? {
        if let exact = entries.first(where: { $0.name == query || $0.path == query }) { return exact }
        let matches = entries.filter { $0.name.hasSuffix("/" + query) || $0.path.hasSuffix("/" + query) }
        return matches.count == 1 ? matches[0] : nil
    }
}
