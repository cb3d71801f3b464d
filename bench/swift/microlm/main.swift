// bench-microlm: MicroLM's training and evaluation throughput, model-FLOP utilisation against a measured sgemm
// peak, peak memory, and (with --finetune) the wall time of a finetune on real instruction data.
// The PyTorch peer runs the same shapes in bench/microlm/torch_bench.py; bench/microlm/run.sh runs both in one go
// and prints the ratios. Prints one JSON object.
//
//   bench-microlm --vocab 2048 --context 192 --layers 2 --d-model 96 --heads 3 --batch 16 --steps 40 --threads 1
//   bench-microlm ... --finetune 1000 --epochs 3 --data data
import CBLAS
import Core
import Corpus
import Foundation
import Neural
import Training

var options: [String: String] = [:]
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let key = arguments.next() {
    guard key.hasPrefix("--"), let value = arguments.next() else { fatalError("usage: --name value pairs") }
    options[String(key.dropFirst(2))] = value
}
func int(_ name: String, _ fallback: Int) -> Int { options[name].flatMap(Int.init) ?? fallback }

let config = GPTConfig(vocabSize: int("vocab", 2048), context: int("context", 192), layers: int("layers", 2),
                       dModel: int("d-model", 96), heads: int("heads", 3))
let batchSize = int("batch", 16), steps = int("steps", 40), warmup = int("warmup", 5), threads = int("threads", 1)
BLAS.setThreads(threads)

func now() -> Double { Date().timeIntervalSince1970 }
/// Process CPU seconds: on a shared machine, single-threaded throughput per CPU-second is what stays comparable.
func cpuNow() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}
func peakResidentMiB() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024
}

// sgemm peak: the best of several 1024³ products, same thread count, per wall second and per CPU second.
func sgemmPeak() -> (wall: Double, cpu: Double) {
    let n = 1024
    let a = [Float](repeating: 0.5, count: n * n), b = [Float](repeating: 0.25, count: n * n)
    var c = [Float](repeating: 0, count: n * n)
    var best = 0.0, bestCPU = 0.0
    for _ in 0..<6 {
        let start = now(), cpuStart = cpuNow()
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1, a, Int32(n), b, Int32(n), 0, &c, Int32(n))
        best = max(best, 2 * Double(n * n * n) / (now() - start))
        bestCPU = max(bestCPU, 2 * Double(n * n * n) / (cpuNow() - cpuStart))
    }
    return (best, bestCPU)
}

var random = SeededRandom(seed: 1, stream: "bench-batches")
func randomBatch() -> TokenBatch {
    let tokens = (0..<(batchSize * config.context)).map { _ in Int32(random.below(config.vocabSize)) }
    let targets = (0..<(batchSize * config.context)).map { _ in Int32(random.below(config.vocabSize)) }
    return TokenBatch(batch: batchSize, length: config.context, tokens: tokens, targets: targets)
}
let batches = (0..<8).map { _ in randomBatch() }

let run = GPTTrainingRun(weights: GPTWeights(config: config, seed: 1), maxBatch: batchSize,
                         schedule: LearningRateSchedule(peak: 1e-3, totalSteps: steps + warmup))
for i in 0..<warmup { run.step(batches[i % batches.count]) }
var start = now(), cpuStart = cpuNow()
for i in 0..<steps { run.step(batches[i % batches.count]) }
let trainSeconds = now() - start, trainCPU = cpuNow() - cpuStart
let tokensPerStep = Double(batchSize * config.context)
let trainTokensPerSecond = Double(steps) * tokensPerStep / trainSeconds

let evalSteps = steps * 2
start = now(); cpuStart = cpuNow()
var checksum: Float = 0
run.weights.values.withUnsafeBufferPointer { w in
    for i in 0..<evalSteps { checksum += run.engine.tokenNLL(w.baseAddress!, batches[i % batches.count])[0] }
}
let evalSeconds = now() - start, evalCPU = cpuNow() - cpuStart
let evalTokensPerSecond = Double(evalSteps) * tokensPerStep / evalSeconds

let (peak, peakCPU) = sgemmPeak()
let forwardFlopsPerToken = 2 * config.forwardMultiplyAdds(perTokenAt: config.context)
var result: [String: Any] = [
    "impl": "swift", "threads": threads, "batch": batchSize, "steps": steps,
    "config": ["vocab": config.vocabSize, "context": config.context, "layers": config.layers, "d_model": config.dModel, "heads": config.heads],
    "parameters": GPTLayout(config).count,
    "train_tokens_per_s": trainTokensPerSecond, "eval_tokens_per_s": evalTokensPerSecond,
    "train_tokens_per_cpu_s": Double(steps) * tokensPerStep / trainCPU, "eval_tokens_per_cpu_s": Double(evalSteps) * tokensPerStep / evalCPU,
    "train_model_gflops": 3 * forwardFlopsPerToken * trainTokensPerSecond / 1e9,
    "eval_model_gflops": forwardFlopsPerToken * evalTokensPerSecond / 1e9,
    "sgemm_peak_gflops": peak / 1e9, "sgemm_peak_cpu_gflops": peakCPU / 1e9,
    "train_mfu_cpu": 3 * forwardFlopsPerToken * Double(steps) * tokensPerStep / trainCPU / peakCPU,
    "eval_mfu_cpu": forwardFlopsPerToken * Double(evalSteps) * tokensPerStep / evalCPU / peakCPU,
    "train_mfu": 3 * forwardFlopsPerToken * trainTokensPerSecond / peak,
    "eval_mfu": forwardFlopsPerToken * evalTokensPerSecond / peak,
    "peak_rss_mib": peakResidentMiB(), "engine_mib": Double(run.engine.memoryBytes) / 1_048_576,
    "checksum": Double(checksum),
]

// A finetune on real instruction data: the quick profile's unit of work.
if let count = options["finetune"].flatMap(Int.init) {
    let data = URL(fileURLWithPath: options["data"] ?? "data")
    let pretraining = try String(contentsOf: data.appendingPathComponent("llama-factory-demo/wiki_demo.txt"), encoding: .utf8)
    let tokenizer = BytePairTokenizer.train(on: [pretraining], vocabularySize: config.vocabSize, maxCharacters: 1_000_000)
    let records = try JSONSerialization.jsonObject(with: Data(contentsOf: data.appendingPathComponent("alpagasus-alpaca-subsets/random_9k.json"))) as! [[String: Any]]
    let examples = records.prefix(count).map {
        Example(instruction: $0["instruction"] as! String, input: $0["input"] as? String ?? "", response: $0["output"] as! String,
                source: "alpagasus random_9k", licence: "CC BY-NC 4.0")
    }
    // Finetune time does not depend on the weights' values, so an untrained base of the right shape stands in.
    let base = MicroLMCheckpoint(weights: GPTWeights(config: GPTConfig(vocabSize: tokenizer.vocabularySize, context: config.context,
                                                                       layers: config.layers, dModel: config.dModel, heads: config.heads), seed: 1),
                                 tokenizer: tokenizer)
    let trainer = try MicroLMTrainer(base: base)
    let settings = FinetuneSettings(baseModel: trainer.baseDigest, epochs: int("epochs", 3), learningRate: 5e-4,
                                    batchSize: int("finetune-batch", batchSize), seed: 20, evaluationSets: [])
    start = now(); cpuStart = cpuNow()
    let outcome = try MicroLMFinetuning(base: base).run(examples, settings: settings)
    // A probe for PyTorch: the finetuned checkpoint plus one batch and MicroLM's loss on it, for
    // bench/microlm/check_checkpoint.py to load with safetensors.torch and recompute.
    if let path = options["write-checkpoint"] {
        let probe = TokenBatch(sequences: examples.prefix(4).map {
            EncodedExample($0, tokenizer: tokenizer, context: config.context).conditional(bos: tokenizer.endOfText)
        }, pad: tokenizer.endOfText)
        let engine = GPTEngine(config: outcome.weights.config, maxBatch: 4)
        let loss = outcome.weights.values.withUnsafeBufferPointer { engine.forwardLoss($0.baseAddress!, probe) }
        let info = ["probe_batch": "\(probe.batch)", "probe_length": "\(probe.length)", "probe_loss": "\(loss)",
                    "probe_tokens": probe.tokens.map(String.init).joined(separator: " "),
                    "probe_targets": probe.targets.map(String.init).joined(separator: " ")]
        try MicroLMCheckpoint(weights: outcome.weights, tokenizer: tokenizer, info: info).write(to: URL(fileURLWithPath: path))
    }
    result["finetune"] = [
        "examples": examples.count, "epochs": settings.epochs, "batch": settings.batchSize, "steps": outcome.steps,
        "wall_s": outcome.wallSeconds, "cpu_s": cpuNow() - cpuStart, "tokens_processed": outcome.tokensProcessed, "loss_tokens": outcome.lossTokens,
        "tokens_per_s": Double(outcome.tokensProcessed) / outcome.wallSeconds,
    ] as [String: Any]
}
let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
