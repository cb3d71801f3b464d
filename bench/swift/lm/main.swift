// bench-lm: a real GGUF model's evaluation and training throughput in the workbench's engine, model-FLOP
// utilisation against a measured sgemm peak, peak memory, and the cost of last-N-blocks finetunes against full
// ones on the same subset. The peers (PyTorch, llama.cpp) run the same shapes in bench/pretrained-lm/peers.py;
// bench/pretrained-lm/run.sh runs everything in one go and prints the ratios. Prints one JSON object.
//
//   bench-lm --model M.gguf --what forward --batch 4 --length 128 --steps 3 --threads 2
//   bench-lm --model M.gguf --what train --mode full|lora|last-2 --batch 4 --length 128 --steps 3 --threads 2
//   bench-lm --model M.gguf --what finetunes --mode last-2 --examples 32 --epochs 2 --batch 4 --length 128
//
// Tokens are random ids (seeded): throughput does not depend on their values. Training counts a loss on every
// position; evaluation computes every position's logits and NLL (the peers do the same).
import CBLAS
import Core
import Foundation
import Neural
import PretrainedLM

var options: [String: String] = [:]
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let key = arguments.next() {
    guard key.hasPrefix("--"), let value = arguments.next() else { fatalError("usage: --name value pairs") }
    options[String(key.dropFirst(2))] = value
}
func int(_ name: String, _ fallback: Int) -> Int { options[name].flatMap(Int.init) ?? fallback }
guard let modelPath = options["model"] else { fatalError("--model path.gguf is required") }
let what = options["what"] ?? "forward", modeName = options["mode"] ?? "full"
let batchSize = int("batch", 4), length = int("length", 128), steps = int("steps", 3), threads = int("threads", 2)

func now() -> Double { Date().timeIntervalSince1970 }
func peakResidentMiB() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// The best of several 1024³ sgemm products on `threads` threads, in FLOP/s.
func sgemmPeak(threads: Int) -> Double {
    BLAS.setThreads(threads)
    let n = 1024
    let a = [Float](repeating: 0.5, count: n * n), b = [Float](repeating: 0.25, count: n * n)
    var c = [Float](repeating: 0, count: n * n)
    var best = 0.0
    for _ in 0..<5 {
        let start = now()
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1, a, Int32(n), b, Int32(n), 0, &c, Int32(n))
        best = max(best, 2 * Double(n * n * n) / (now() - start))
    }
    return best
}

func mode(_ name: String) -> FinetuneMode {
    if name == "full" { return .full }
    if name == "lora" { return .lora(rank: 8, alpha: 16) }
    if name.hasPrefix("last-"), let n = Int(name.dropFirst(5)) { return .lastBlocks(n) }
    fatalError("mode: full, lora or last-N")
}

let loadStart = now()
let weights = try DecoderWeights(gguf: URL(fileURLWithPath: modelPath))
let loadSeconds = now() - loadStart
let config = weights.config
var random = SeededRandom(seed: 7, stream: "bench-lm")
func sequences(_ count: Int) -> [DecoderTrainingRun.Sequence] {
    (0..<count).map { _ in
        let tokens = (0..<length).map { _ in Int32(random.below(config.vocabSize)) }
        return (tokens, Array(tokens.dropFirst()) + [-1])
    }
}

var result: [String: Any] = [
    "model": modelPath, "architecture": config.architecture.rawValue, "parameters": DecoderLayout(config).count,
    "what": what, "batch": batchSize, "length": length, "steps": steps, "threads": threads, "load_s": loadSeconds,
]
let peak = sgemmPeak(threads: threads)
result["sgemm_peak_gflops"] = peak / 1e9
let macsPerToken = config.forwardMultiplyAdds(perTokenAt: length)

switch what {
case "forward":
    // The evaluation path of `PretrainedResponseScorer`: one engine per thread on its share of the batch, OpenBLAS
    // on one thread each.
    BLAS.setThreads(1)
    let shards = min(threads, batchSize), rows = (batchSize + shards - 1) / shards
    let engines = (0..<shards).map { _ in DecoderEngine(config: config, maxBatch: rows, maxLength: length) }
    var times: [Double] = []
    for step in 0...steps {
        let batches = stride(from: 0, to: batchSize, by: rows).map { TokenBatch(sequences: sequences(min(rows, batchSize - $0)), pad: 0) }
        let start = now()
        weights.values.withUnsafeBufferPointer { w in
            DispatchQueue.concurrentPerform(iterations: batches.count) { s in _ = engines[s].tokenNLL(w.baseAddress!, batches[s]) }
        }
        if step > 0 { times.append(now() - start) }  // the first pass warms caches and pages
    }
    let tokensPerSecond = Double(batchSize * length) / times.min()!
    result["tokens_per_s"] = tokensPerSecond
    result["mfu"] = 2 * macsPerToken * tokensPerSecond / peak
case "train":
    let run = try DecoderTrainingRun(base: weights, mode: mode(modeName), maxBatch: batchSize, maxLength: length,
                                     schedule: LearningRateSchedule(peak: 1e-5, totalSteps: steps + 1), baseDigest: "bench", shards: threads)
    var times: [Double] = []
    for step in 0...steps {
        let batch = sequences(batchSize)  // fresh sequences: last-N runs its trunk every step (a cold cache)
        let start = now()
        try run.step(batch)
        if step > 0 { times.append(now() - start) }
    }
    let tokensPerSecond = Double(batchSize * length) / times.min()!
    result["mode"] = modeName
    result["tokens_per_s"] = tokensPerSecond
    // Model FLOPs of full finetuning: forward 2, backward 4 per multiply-add (head on every position).
    if modeName == "full" { result["mfu"] = 6 * macsPerToken * tokensPerSecond / peak }
case "finetunes":
    // One subset, `epochs` passes: a full finetune, then two last-N finetunes sharing one trunk cache (the second
    // is what every later finetune over the same examples costs).
    let examples = int("examples", 32), epochs = int("epochs", 2)
    let subset = sequences(examples)
    let digestStart = now()
    let digest = weights.digest()
    result["base_digest_s"] = now() - digestStart
    let cache = try TrunkCache()
    func finetune(_ m: FinetuneMode) throws -> Double {
        let start = now()
        let stepsPerEpoch = (examples + batchSize - 1) / batchSize
        let run = try DecoderTrainingRun(base: weights, mode: m, maxBatch: batchSize, maxLength: length,
                                         schedule: LearningRateSchedule(peak: 1e-5, totalSteps: epochs * stepsPerEpoch),
                                         trunkCache: cache, baseDigest: digest, shards: threads)
        for _ in 0..<epochs {
            for first in stride(from: 0, to: examples, by: batchSize) { try run.step(Array(subset[first..<min(examples, first + batchSize)])) }
        }
        return now() - start
    }
    result["examples"] = examples
    result["epochs"] = epochs
    result["mode"] = modeName
    result["full_s"] = try finetune(.full)
    result["lastn_first_s"] = try finetune(mode(modeName))
    result["lastn_again_s"] = try finetune(mode(modeName))
case "memory":
    // A finetune's working set alone (for /usr/bin/time -v): weights, run state, `steps` steps.
    let run = try DecoderTrainingRun(base: weights, mode: mode(modeName), maxBatch: batchSize, maxLength: length,
                                     schedule: LearningRateSchedule(peak: 1e-5, totalSteps: steps), baseDigest: "bench", shards: threads)
    for _ in 0..<steps { try run.step(sequences(batchSize)) }
    result["mode"] = modeName
default:
    fatalError("--what forward | train | finetunes | memory")
}
result["peak_rss_mib"] = peakResidentMiB()
let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
