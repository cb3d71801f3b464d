import Core
import Foundation
import GGUF
import PretrainedLM

// Throughput of the real-model loaders: dequantising every tensor of both GGUF files, and tokenizing real
// instruction data with both tokenizers. bench/gguf/run.sh runs the reference peers (llama.cpp's tokenizer, the
// gguf package's dequantisation) on the same input and prints the ratios.
//
// usage: bench-gguf dequant [--twice] | tokenize [texts.json] | sha256

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../..").standardized
let models = [
    ("smollm2", root.appendingPathComponent("models/smollm2-135m-instruct/SmolLM2-135M-Instruct.Q4_1.gguf")),
    ("gemma3", root.appendingPathComponent("models/gemma-3-270m/gemma-3-270m-q4_k_m.gguf")),
]

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// The bench texts: instruction + input and output of every record of the Alpaca random 9k subset, or a given file.
func benchTexts(_ path: String?) throws -> [String] {
    let url = path.map(URL.init(fileURLWithPath:)) ?? root.appendingPathComponent("data/alpagasus-alpaca-subsets/random_9k.json")
    let records = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [[String: Any]]
    return records.flatMap { record -> [String] in
        let instruction = record["instruction"] as? String ?? "", input = record["input"] as? String ?? ""
        return [input.isEmpty ? instruction : instruction + "\n\n" + input, record["output"] as? String ?? ""]
    }
}

let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case "dequant":
    for (name, url) in models + (arguments.contains("--twice") ? models : []) {
        let file = try GGUFFile(contentsOf: url)
        var values = 0
        var byType: [String: (values: Int, seconds: Double)] = [:]
        let time = try seconds {
            for info in file.tensors {
                var count = 0
                let t = try seconds { count = try file.float32(info).count }
                values += count
                byType[info.type.description, default: (0, 0)].values += count
                byType[info.type.description, default: (0, 0)].seconds += t
            }
        }
        print(String(format: "dequant %@: %d tensors, %d values in %.3f s (%.1f M values/s)", name, file.tensors.count, values, time, Double(values) / time / 1e6))
        for (type, total) in byType.sorted(by: { $0.key < $1.key }) {
            print(String(format: "  %@: %d values, %.3f s (%.1f M values/s)", type, total.values, total.seconds, Double(total.values) / total.seconds / 1e6))
        }
    }
case "tokenize":
    let texts = try benchTexts(arguments.dropFirst().first)
    for (name, url) in models {
        let tokenizer = try PretrainedTokenizers.load(from: GGUFFile(contentsOf: url))
        var tokens = 0
        let serial = seconds { for text in texts { tokens += tokenizer.encode(text).count } }
        var parallelTokens = 0
        let parallel = seconds { parallelTokens = tokenizer.encode(all: texts).reduce(0) { $0 + $1.count } }
        precondition(parallelTokens == tokens)
        print(String(format: "tokenize %@: %d texts, %d tokens; one thread %.3f s (%.0f tokens/s); all cores %.3f s (%.0f tokens/s)",
                     name, texts.count, tokens, serial, Double(tokens) / serial, parallel, Double(tokens) / parallel))
    }
case "sha256":
    // Hashing speed matters to the dequantisation test, which digests every tensor of both files (1.6 GB).
    let bytes = [UInt8](repeating: 0x5a, count: 256 << 20)
    var digest = ""
    let time = seconds { digest = SHA256.hex(bytes) }
    print(String(format: "sha256: 256 MiB in %.3f s (%.0f MB/s) %@", time, Double(bytes.count) / time / 1e6, String(digest.prefix(16))))
default:
    print("usage: bench-gguf dequant | tokenize [texts.json]")
}
