import Core
import Foundation
import Indicators
import Neural

/// Trains the workbench's reward model on real preference data and reports its held-out pairwise accuracy:
/// hh-rlhf harmless-base (test split, 2,312 pairs) and LLaMA-Factory's dpo_en_demo (300 pairs), neither of which
/// overlaps the evaluation sets. Writes the model (weights, settings, training-data hash) to `IMINE_REWARD_OUT`
/// (default: reward-model.json in the temporary folder). Minimal private readers: Corpus has the real loaders.
func runRewardModelTraining() throws {
    let paths = BenchPaths()
    var pairs = try hhRLHFPairs(paths.data.appendingPathComponent("hh-rlhf/harmless-base/test.jsonl.gz"))
    let hhCount = pairs.count
    pairs += try dpoDemoPairs(paths.data.appendingPathComponent("llama-factory-demo/dpo_en_demo.json"))
    print("== reward model: Bradley–Terry head on MiniLM embeddings ==")
    print("data: \(hhCount) hh-rlhf harmless-base pairs + \(pairs.count - hhCount) dpo_en_demo pairs")
    let encoder = try MiniLMEncoder(modelDirectory: paths.root.appendingPathComponent("models/all-minilm-l6-v2"))
    let start = DispatchTime.now().uptimeNanoseconds
    let model = try RewardModel.train(pairs: pairs, backbone: MiniLMRewardBackbone(encoder: encoder), settings: RewardModelSettings(),
                                      progress: Progress("reward model: embedding", total: 3 * pairs.count))
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let out = ProcessInfo.processInfo.environment["IMINE_REWARD_OUT"].map { URL(fileURLWithPath: $0) }
        ?? FileManager.default.temporaryDirectory.appendingPathComponent("reward-model.json")
    try CanonicalJSON.encode(model).write(to: out)
    print(String(format: "held-out pairwise accuracy %.4f on %d pairs (training %.4f on %d), %.0f s", model.heldOutAccuracy,
                 model.heldOutPairs, model.trainingAccuracy, model.trainingPairs, seconds))
    print("training data sha256 \(model.trainingDataDigest); model written to \(out.path)")
}

/// hh-rlhf: "\n\nHuman: … \n\nAssistant: …" transcripts; chosen and rejected share all but the last assistant turn.
/// The prompt is the last human turn (the turn being answered), the response the last assistant turn.
private func hhRLHFPairs(_ file: URL) throws -> [RewardPair] {
    let gunzip = Process()
    gunzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    gunzip.arguments = ["gzip", "-dc", file.path]
    let pipe = Pipe()
    gunzip.standardOutput = pipe
    try gunzip.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    gunzip.waitUntilExit()
    guard gunzip.terminationStatus == 0 else { throw InputError(file: file.path, "gzip -dc failed") }
    func split(_ transcript: String, line: Int, field: String) throws -> (prompt: String, response: String) {
        guard let assistant = transcript.range(of: "\n\nAssistant:", options: .backwards),
              let human = transcript[..<assistant.lowerBound].range(of: "\n\nHuman:", options: .backwards)
        else { throw InputError(file: file.path, line: line, field: field, "no final Human/Assistant turns") }
        return (transcript[human.upperBound..<assistant.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines),
                transcript[assistant.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines))
    }
    return try String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated().map { index, line in
        guard let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String],
              let chosen = record["chosen"], let rejected = record["rejected"]
        else { throw InputError(file: file.path, line: index + 1, "expected chosen and rejected strings") }
        let c = try split(chosen, line: index + 1, field: "chosen"), r = try split(rejected, line: index + 1, field: "rejected")
        return RewardPair(prompt: c.prompt, chosen: c.response, rejected: r.response)
    }
}

/// dpo_en_demo: {"conversations": [{from, value}…], "chosen": {value}, "rejected": {value}}; the prompt is the last
/// human message.
private func dpoDemoPairs(_ file: URL) throws -> [RewardPair] {
    guard let records = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [[String: Any]] else {
        throw InputError(file: file.path, path: "$", "expected an array of records")
    }
    return try records.enumerated().map { index, record in
        guard let turns = record["conversations"] as? [[String: String]], let prompt = turns.last(where: { $0["from"] == "human" })?["value"],
              let chosen = (record["chosen"] as? [String: String])?["value"],
              let rejected = (record["rejected"] as? [String: String])?["value"]
        else { throw InputError(file: file.path, path: "$[\(index)]", "expected conversations, chosen.value, rejected.value") }
        return RewardPair(prompt: prompt, chosen: chosen, rejected: rejected)
    }
}
