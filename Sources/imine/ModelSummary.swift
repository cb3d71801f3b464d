import GGUF
import PretrainedLM

/// The lines `imine lm info` prints about one model file.
enum ModelSummary {
    static func lines(file: GGUFFile, config c: DecoderConfig, tokenizer: any PretrainedTokenizer,
                      template: InstructionTemplate) -> [String] {
        let v = tokenizer.vocabulary
        func token(_ id: Int32?) -> String { id.map { "\(v.texts[Int($0)]) (\($0))" } ?? "none" }
        let parameters = DecoderLayout(c).count
        let window = c.slidingWindow.map { "sliding window \($0) on all but every \(c.slidingPattern ?? 0)th layer, local RoPE base \(c.localRopeBase)" } ?? "all layers global"
        var types: [String: (tensors: Int, bytes: Int)] = [:]
        for t in file.tensors { types[t.type.description, default: (0, 0)].tensors += 1; types[t.type.description]!.bytes += t.byteCount }
        let templateText: String
        switch template {
        case .chatML(let system): templateText = "ChatML" + (system.map { " (default system message: \"\($0)\")" } ?? "")
        case .gemmaTurns: templateText = "Gemma turns (<start_of_turn>user … <end_of_turn>)"
        }
        return [
            "file: \(file.name) (GGUF v\(file.version))",
            "name: \(file.metadata["general.name"]?.stringValue ?? "(none)")",
            "architecture: \(c.architecture.rawValue)",
            "blocks: \(c.layers), d_model \(c.dModel), FFN \(c.ffnWidth), heads \(c.heads) query / \(c.kvHeads) key-value, head dim \(c.headDim)",
            "attention: RoPE base \(c.ropeBase), \(window), scale \(c.attentionScale)",
            "context: \(c.context) tokens",
            "parameters: \(parameters) (\(String(format: "%.1f", Double(parameters) / 1e6))M; \(parameters * 4) bytes as Float32)",
            "tokenizer: \(file.metadata["tokenizer.ggml.model"]?.stringValue ?? "?") (pre-tokenizer \(file.metadata["tokenizer.ggml.pre"]?.stringValue ?? "default")), \(v.count) tokens, BOS \(token(v.bos))\(v.addsBOS ? " added" : " not added"), EOS \(token(v.eos))",
            "template: \(templateText)",
            "tensors: \(file.tensors.count): " + types.sorted { $0.value.tensors > $1.value.tensors || ($0.value.tensors == $1.value.tensors && $0.key < $1.key) }
                .map { "\($0.key) \($0.value.tensors) (\($0.value.bytes) bytes)" }.joined(separator: ", "),
        ]
    }
}
