import Core
import Foundation
import Indicators
import Neural

/// KNN-i: the Swift exact search (sgemm blocks) against faiss-cpu's exact IndexFlatIP / IndexFlatL2, both timed in
/// this run with the same thread count (best of `IMINE_BENCH_ROUNDS`, default 2). Workload: `IMINE_BENCH_KNN_N`
/// (default 20000) seeded random unit vectors of dimension 384 (MiniLM's), every vector against all, i = 6, self
/// excluded. Peer: bench/indicators/knn/bench_faiss.py in .venv-embed (faiss-cpu).
func runKNNBenchmark() throws {
    let paths = BenchPaths()
    let n = paths.integer("IMINE_BENCH_KNN_N", default: 20000), d = 384, i = 6
    let rounds = paths.integer("IMINE_BENCH_ROUNDS", default: 2)
    let threads = ProcessInfo.processInfo.activeProcessorCount
    var random = SeededRandom(seed: 6, stream: "knn-benchmark")
    var values = [Float](repeating: 0, count: n * d)
    for j in values.indices { values[j] = Float(random.gaussian()) }
    let vectors = KNNSearch.normalised(EmbeddingMatrix(count: n, dimension: d, values: values))
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("imine-knn-bench-\(getpid())")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: work) }
    let file = work.appendingPathComponent("vectors.f32")
    try vectors.values.withUnsafeBytes { Data(bytes: $0.baseAddress!, count: $0.count) }.write(to: file)

    print("== KNN-i: Swift KNNSearch vs faiss-cpu exact indexes ==")
    let prefix = work.appendingPathComponent("faiss").path
    let peer = try paths.runPython(paths.faissPython, paths.root.appendingPathComponent("bench/indicators/knn/bench_faiss.py").path,
                                   [file.path, "\(n)", "\(d)", "\(i)", "\(threads)", "\(rounds)", prefix])
    print("workload: \(n) × \(d) seeded random unit vectors, each against all \(n), i = \(i), \(threads) threads, best of \(rounds)")
    print("peer: faiss-cpu \(peer["faiss"]!)")
    for (metric, name, index) in [(KNNMetric.cosine, "ip", "IndexFlatIP"), (.euclidean, "l2", "IndexFlatL2")] {
        var seconds = Double.infinity
        var result = KNNNeighbours(distances: [], indices: [])
        for _ in 0..<rounds {
            let start = DispatchTime.now().uptimeNanoseconds
            result = try KNNSearch.ithNeighbours(of: vectors, i: i, metric: metric)
            seconds = min(seconds, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let reference = try Data(contentsOf: URL(fileURLWithPath: "\(prefix).\(name).f32")).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        let difference = zip(result.distances, reference).map { abs($0 - $1) }.max() ?? 0
        let peerSeconds = peer["\(name)_seconds"] as! Double
        print(String(format: "%@: faiss %@ %.2f s, swift %.2f s, time ratio swift/faiss %.2f (speed %.2fx), max |Δ distance| %.1e",
                     metric.rawValue, index, peerSeconds, seconds, seconds / peerSeconds, peerSeconds / seconds, Double(difference)))
    }
}
