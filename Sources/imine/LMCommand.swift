import ArgumentParser
import Core
import Foundation
import GGUF
import PretrainedLM

/// `imine lm`: look at a real GGUF model before spending hours finetuning it.
struct LMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lm",
        abstract: "Look at a pretrained GGUF model: its metadata, its perplexity on a text, a greedy continuation.",
        discussion: """
            --model is a model set-up installs (\(ModelOption.known.keys.sorted().joined(separator: ", ")),
            looked up under models/ in the current folder) or the path of any llama or gemma3 .gguf file.

              imine lm info --model smollm2-135m-instruct
              imine lm perplexity --model gemma-3-270m --context 512 notes.txt
              imine lm generate --model smollm2-135m-instruct --chat --tokens 40 question.txt
            """,
        subcommands: [LMInfoCommand.self, LMPerplexityCommand.self, LMGenerateCommand.self])
}

/// `--model NAME|PATH`, shared by the `lm` subcommands.
struct ModelOption: ParsableArguments {
    /// The models `scripts/setup.sh` installs, by name, relative to the working folder.
    static let known = [
        "smollm2-135m-instruct": "models/smollm2-135m-instruct/SmolLM2-135M-Instruct.Q4_1.gguf",
        "gemma-3-270m": "models/gemma-3-270m/gemma-3-270m-q4_k_m.gguf",
    ]

    @Option(name: .long, help: ArgumentHelp("A known model name or the path of a .gguf file.", valueName: "name|path"))
    var model: String

    /// The model file's path; an error naming it when it is not there.
    func path() throws -> String {
        let path = Self.known[model] ?? model
        guard FileManager.default.fileExists(atPath: path) else {
            let hint = Self.known[model] != nil ? " (run scripts/setup.sh in the repository, then run imine from there)" : ""
            throw InputError(file: path, field: "--model", "does not exist\(hint)")
        }
        return path
    }

    func load() throws -> PretrainedModel { try PretrainedModel(gguf: URL(fileURLWithPath: try path())) }

    /// The files' texts and the model: the texts first, so that a missing file is reported before a slow model load.
    func load(reading files: [String]) throws -> (texts: [String], model: PretrainedModel) {
        let texts = try files.map { try FileReading.text($0) }
        return (texts, try load())
    }
}

/// What the file-reading `lm` subcommands check before anything loads: at least one file, and their count option
/// at its least.
private func validateArguments(_ files: [String], kind: String, _ option: String, _ value: Int, atLeast least: Int) throws {
    guard !files.isEmpty else { throw ValidationError("name at least one \(kind) file") }
    guard value >= least else { throw ValidationError("\(option) must be at least \(least), got \(value)") }
}

struct LMInfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Print a model's architecture, sizes, tokenizer, template and tensor types (reads no weights).")

    @OptionGroup var model: ModelOption

    func run() throws {
        try reportingErrors {
            let path = try model.path()
            let file = try GGUFFile(contentsOf: URL(fileURLWithPath: path))
            let config = try DecoderConfig(gguf: file)
            let tokenizer = try PretrainedTokenizers.load(from: file)
            let template = try InstructionTemplate.of(file)
            for line in ModelSummary.lines(file: file, config: config, tokenizer: tokenizer, template: template) { print(line) }
        }
    }
}

struct LMPerplexityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perplexity",
        abstract: "Token count and mean NLL (nats/token, bits/byte) of each text file under the model.",
        discussion: """
            The text is tokenized as plain text and read in windows of --context positions; a model that adds
            BOS starts each window with it and every token is scored, otherwise each window's first position is
            the previous window's last token and all tokens but the first are scored.
            """)

    @OptionGroup var model: ModelOption
    @Option(name: .long, help: "Positions per window (BOS included).") var context = 512
    @Argument(help: ArgumentHelp("UTF-8 text files.", valueName: "file")) var files: [String]

    func validate() throws { try validateArguments(files, kind: "text", "--context", context, atLeast: 2) }

    func run() throws {
        try reportingErrors {
            let (texts, loaded) = try model.load(reading: files)
            guard context <= loaded.weights.config.context else {
                throw InputError(file: try model.path(), field: "--context", "\(context) exceeds the model's context of \(loaded.weights.config.context)")
            }
            for (file, text) in zip(files, texts) {
                let result = loaded.perplexity(of: text, context: context)
                guard result.scored > 0 else { throw InputError(file: file, "has too few tokens to score (\(result.tokens))") }
                print("file: \(file)")
                print("tokens: \(result.tokens) (\(result.scored) scored in \(result.windows) windows of at most \(context))")
                print("mean NLL: \(String(format: "%.6f", result.meanNLL)) nats/token")
                print("perplexity: \(String(format: "%.4f", result.perplexity))")
                print("bits/byte: \(String(format: "%.6f", result.bitsPerByte)) (\(result.scoredBytes) bytes)")
            }
        }
    }
}

struct LMGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "A greedy continuation of each prompt file (stops at end-of-sequence or a turn marker).")

    @OptionGroup var model: ModelOption
    @Option(name: .long, help: "Most tokens to generate.") var tokens = 32
    @Flag(name: .long, help: "Write the prompt as an instruction in the model's template (ChatML, Gemma turns).") var chat = false
    @Argument(help: ArgumentHelp("UTF-8 prompt files.", valueName: "file")) var files: [String]

    func validate() throws { try validateArguments(files, kind: "prompt", "--tokens", tokens, atLeast: 1) }

    func run() throws {
        try reportingErrors {
            let (prompts, loaded) = try model.load(reading: files)
            for (file, prompt) in zip(files, prompts) {
                let ids = chat
                    ? loaded.tokenizer.encode(loaded.template.format(instruction: prompt, response: "").prompt, addSpecial: true, parseSpecial: true)
                    : loaded.tokenizer.encode(prompt, addSpecial: true, parseSpecial: false)
                guard !ids.isEmpty else { throw InputError(file: file, "is empty: there is nothing to continue") }
                let continuation = loaded.greedyContinuation(of: ids, count: tokens)
                print("file: \(file) (\(ids.count) prompt tokens, \(continuation.count) generated)")
                print(loaded.tokenizer.decode(continuation))
            }
        }
    }
}
