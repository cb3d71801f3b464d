import Foundation

/// The real GGUF files that set-up assembles under models/ (scripts/setup.sh).
enum ModelFiles {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../models").standardized
    static let smolLM2 = root.appendingPathComponent("smollm2-135m-instruct/SmolLM2-135M-Instruct.Q4_1.gguf")
    static let gemma3 = root.appendingPathComponent("gemma-3-270m/gemma-3-270m-q4_k_m.gguf")
}
