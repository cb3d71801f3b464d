import Foundation
import Neural

/// Embeddings: the Swift MiniLM encoder against sentence-transformers (PyTorch, CPU) on the same real texts with the
/// same thread count, both timed in this run (tokenisation included, best of `IMINE_BENCH_ROUNDS`, default 2).
/// Workload: the first `IMINE_BENCH_EMBED_TEXTS` (default 1000) records of Alpaca random_9k, instruction + input +
/// response, cut at 256 tokens. The peer is bench/indicators/embeddings/bench_st.py in .venv-torch.
func runEmbeddingBenchmark() throws {
    let paths = BenchPaths()
    let count = paths.integer("IMINE_BENCH_EMBED_TEXTS", default: 1000)
    let rounds = paths.integer("IMINE_BENCH_ROUNDS", default: 2)
    let threads = ProcessInfo.processInfo.activeProcessorCount
    let texts = try paths.alpacaTexts(count)
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("imine-embed-bench-\(getpid())")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: work) }
    let textsFile = work.appendingPathComponent("texts.json"), peerOut = work.appendingPathComponent("st.f32")
    try JSONSerialization.data(withJSONObject: texts).write(to: textsFile)

    print("== embeddings: Swift MiniLMEncoder vs sentence-transformers ==")
    let peer = try paths.runPython(paths.torchPython, paths.root.appendingPathComponent("bench/indicators/embeddings/bench_st.py").path,
                                   [textsFile.path, "\(threads)", "\(rounds)", peerOut.path])
    let peerSeconds = peer["seconds"] as! Double, tokens = peer["tokens"] as! Int

    let encoder = try MiniLMEncoder(modelDirectory: paths.root.appendingPathComponent("models/all-minilm-l6-v2"))
    _ = encoder.embed(Array(texts.prefix(32)))  // warm-up, like the peer's
    var swiftSeconds = Double.infinity
    var embeddings = EmbeddingMatrix(count: 0, dimension: 0, values: [])
    for _ in 0..<rounds {
        let start = DispatchTime.now().uptimeNanoseconds
        embeddings = encoder.embed(texts)
        swiftSeconds = min(swiftSeconds, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    let reference = try Data(contentsOf: peerOut).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    var lowest = 1.0
    for row in 0..<texts.count {
        let a = embeddings[row], b = reference[(row * 384)..<((row + 1) * 384)]
        let cosine = zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        lowest = cosine.isNaN ? .nan : min(lowest, cosine)  // a NaN must show, not vanish in min()
    }
    print("workload: \(texts.count) Alpaca texts, \(tokens) tokens (max 256 per text), \(threads) threads, best of \(rounds)")
    print("peer: sentence-transformers \(peer["sentence_transformers"]!) / torch \(peer["torch"]!)")
    print(String(format: "sentence-transformers: %.2f s  (%.0f tokens/s)", peerSeconds, Double(tokens) / peerSeconds))
    print(String(format: "swift MiniLMEncoder:   %.2f s  (%.0f tokens/s)", swiftSeconds, Double(tokens) / swiftSeconds))
    print(String(format: "throughput ratio swift/peer: %.2fx   (lowest cosine between the two: %.6f)",
                 peerSeconds / swiftSeconds, lowest))
    if ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil {
        print("note: OpenBLAS 0.3.21 picks its AVX2 (Haswell) kernels on Zen 4; OPENBLAS_CORETYPE=SKYLAKEX selects AVX-512")
    }
}
