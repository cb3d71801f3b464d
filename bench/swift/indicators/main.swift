// bench-indicators: the Indicators module's speed against its named peers, each measured in this same run.
//
//   swift run -c release bench-indicators            # every benchmark
//   swift run -c release bench-indicators mtld knn   # some of them
//
// Each benchmark prints its workload, the peer's and the workbench's time, and the ratio. One line per benchmark
// below: a new benchmark lives in its own file in this folder and is registered here.
import Foundation

let benchmarks: [(name: String, run: () throws -> Void)] = [
    ("mtld", runMTLDBenchmark),            // MTLDBenchmark.swift: vs lexicalrichness 0.5.1 and lexical-diversity 0.1.1
    ("embeddings", runEmbeddingBenchmark), // EmbeddingBenchmark.swift: vs sentence-transformers
    // Hook for more benchmarks (KNN vs faiss, ...): add ("name", runNameBenchmark) here.
    ("knn", runKNNBenchmark),              // KNNBenchmark.swift: vs faiss-cpu IndexFlatIP / IndexFlatL2
    ("reward", runRewardModelTraining),    // EmbeddingRewardModelRun.swift: trains on real pairs, held-out accuracy (minutes)
]

let requested = Array(CommandLine.arguments.dropFirst())
let unknown = requested.filter { name in !benchmarks.contains { $0.name == name } }
guard unknown.isEmpty else {
    FileHandle.standardError.write(Data("unknown benchmark(s): \(unknown.joined(separator: ", ")); known: \(benchmarks.map(\.name).joined(separator: ", "))\n".utf8))
    exit(2)
}
var failed = false
for benchmark in benchmarks where requested.isEmpty || requested.contains(benchmark.name) {
    do {
        try benchmark.run()
    } catch {
        FileHandle.standardError.write(Data("benchmark \(benchmark.name) failed: \(error)\n".utf8))
        failed = true
    }
    print("")
}
exit(failed ? 1 : 0)
