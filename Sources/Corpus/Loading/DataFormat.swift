/// Every file layout the corpus reads. `imine data validate FILE --format NAME` takes these names.
public enum DataFormat: String, Sendable, Codable, CaseIterable {
    /// JSON array of `{instruction, input, output}`; `response` is accepted for `output` (new Code Alpaca has both,
    /// equal), `category` (Dolly) is ignored, `history` (LIMA: `[[user, assistant], ...]`) becomes earlier turns,
    /// `system` a leading system turn. The same records one per line (JSONL) are read too.
    case alpaca
    /// Self-instruct JSONL: `{instruction, instances: [{input, output}]}`, one example per instance.
    case selfInstruct = "self-instruct"
    /// A model's answers to the 252 self-instruct prompts: `{instruction, input, response, target}`.
    case selfInstructPredictions = "self-instruct-predictions"
    /// FastChat question JSONL (MT-Bench, Vicuna bench): `{question_id, category, turns: [...]}`; prompts only.
    case fastchatQuestions = "fastchat-questions"
    /// FastChat reference answers: `{question_id, choices: [{turns: [...]}]}`, joined with `../question.jsonl`;
    /// one example per turn, earlier turns of the same question becoming history.
    case fastchatReference = "fastchat-reference"
    /// JSONL test prompts with one text field: `prompt` (Koala), `text` (Vicuna), `Instruction` (WizardLM),
    /// `conversations` (LIMA test, a string) or `instruction`.
    case promptSet = "prompt-set"
    /// MT-Bench judge prompts: `{name, type, system_prompt, prompt_template}`; kept as one artifact, not examples.
    case judgePrompts = "judge-prompts"
    /// Anthropic hh-rlhf JSONL (gzip or not): `{chosen, rejected}` transcripts of `\n\nHuman:`/`\n\nAssistant:` turns.
    case hhRLHF = "hh-rlhf"
    /// LLaMA-Factory DPO demo: `{conversations: [{from, value}], chosen: {from, value}, rejected: {from, value}}`.
    case sharegptPreference = "sharegpt-preference"
    /// LLaMA-Factory KTO demo: `{messages: [{role, content}], label: Bool}`.
    case kto
    /// ShareGPT conversations: `{conversations: [{from, value}]}` or OpenAI-style `{messages: [{role, content}]}`,
    /// JSON or JSONL; the last assistant message is the response.
    case sharegpt
    /// JSONL of `{text}` documents (C4).
    case textJSONL = "text-jsonl"
    /// Plain text: one document per non-empty line; counted in words.
    case plainText = "text"
    /// WordPiece vocabulary (`vocab.txt`): one token per line.
    case wordpieceVocabulary = "wordpiece-vocab"
    /// tiktoken ranks: `base64-token rank` per line.
    case tiktokenRanks = "tiktoken"
    /// llama2.c `tokenizer.bin`: max length, then (score, length, bytes) per token.
    case llama2cTokenizer = "llama2c-tokenizer"
    /// SentencePiece `tokenizer.model` protobuf: counted pieces.
    case sentencepieceModel = "sentencepiece"
    /// JSON or JSONL with a declared ``FieldMapping`` (user data).
    case mapped

    /// What the format holds, which decides where its contents go.
    public enum Content: String, Sendable { case examples, prompts, preferences, judged, documents, vocabulary, judgePrompts }

    public var content: Content {
        switch self {
        case .alpaca, .selfInstruct, .selfInstructPredictions, .fastchatReference, .sharegpt, .mapped: .examples
        case .fastchatQuestions, .promptSet: .prompts
        case .hhRLHF, .sharegptPreference: .preferences
        case .kto: .judged
        case .textJSONL, .plainText: .documents
        case .wordpieceVocabulary, .tiktokenRanks, .llama2cTokenizer, .sentencepieceModel: .vocabulary
        case .judgePrompts: .judgePrompts
        }
    }

    /// A best guess from the file name and the first (decompressed) bytes, for files outside the catalog.
    public static func guess(path: String, firstBytes: [UInt8]) -> DataFormat {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        if name.hasSuffix(".txt") { return name == "vocab.txt" ? .wordpieceVocabulary : .plainText }
        if name.hasSuffix(".tiktoken") { return .tiktokenRanks }
        if name.hasSuffix(".model") { return .sentencepieceModel }
        if name.hasSuffix(".bin") { return .llama2cTokenizer }
        let head = String(decoding: firstBytes.prefix(4096), as: UTF8.self)
        if head.contains("\"chosen\"") && head.contains("\"conversations\"") { return .sharegptPreference }
        if head.contains("\"chosen\"") { return .hhRLHF }
        if head.contains("\"label\"") && head.contains("\"messages\"") { return .kto }
        if head.contains("\"conversations\"") && head.contains("\"from\"") || head.contains("\"messages\"") { return .sharegpt }
        if head.contains("\"instances\"") { return .selfInstruct }
        if head.contains("\"instruction\"") && (head.contains("\"output\"") || head.contains("\"response\"")) { return .alpaca }
        if head.contains("\"turns\"") && head.contains("\"choices\"") { return .fastchatReference }
        if head.contains("\"turns\"") { return .fastchatQuestions }
        if head.contains("\"text\"") && !head.contains("\"question_id\"") { return .textJSONL }
        return .promptSet
    }
}
