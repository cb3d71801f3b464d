import Foundation
import Indicators

/// MTLD: the workbench's lexicalrichness-exact MTLD against lexicalrichness 0.5.1 itself (and lexical-diversity
/// 0.1.1 for scale), on the same real texts, in the same run, tokenisation included.
///
/// Workload: every response of Alpaca random-9k, LIMA and the 8 self-instruct models (12,274 texts, 6.5 MB,
/// 1,074,789 lexicalrichness tokens), chosen by bench/indicators/mtld/texts.py, which the peer script also writes out
/// for this side to read. Times are best of `IMINE_BENCH_ROUNDS` (default 5; the peer: 3). The headline ratio uses
/// one thread's CPU time on each side (a busy shared machine disturbs it less than wall time); wall time and an
/// all-cores wall time are printed beside it. Measured numbers and history: bench/indicators/mtld/README.md.
/// The peers' interpreter is `IMINE_MTLD_PYTHON` or `.venv-textind/bin/python`
/// (`pip install -r bench/indicators/mtld/requirements.txt`).
///
///     swift run -c release bench-indicators mtld
func runMTLDBenchmark() throws {
    let paths = BenchPaths()
    let rounds = paths.integer("IMINE_BENCH_ROUNDS", default: 5)
    let python = ProcessInfo.processInfo.environment["IMINE_MTLD_PYTHON"] ?? paths.root.appendingPathComponent(".venv-textind/bin/python").path
    guard FileManager.default.isExecutableFile(atPath: python) else {
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: python, NSLocalizedDescriptionKey:
            "no Python with the MTLD peers at \(python): python3 -m venv .venv-textind && .venv-textind/bin/pip install -r bench/indicators/mtld/requirements.txt"])
    }
    let textsFile = FileManager.default.temporaryDirectory.appendingPathComponent("imine-mtld-bench-\(getpid()).json")
    defer { try? FileManager.default.removeItem(at: textsFile) }

    print("== mtld: Swift MTLD vs lexicalrichness 0.5.1 ==")
    let peer = try paths.runPython(python, paths.root.appendingPathComponent("bench/indicators/mtld/peer_throughput.py").path,
                                   ["--texts-out", textsFile.path])
    let texts = try JSONDecoder().decode([String].self, from: Data(contentsOf: textsFile))
    let bytes = texts.reduce(0) { $0 + $1.utf8.count }

    let meter = MTLDMeter(.lexicalRichness)
    var checksum = 0.0, tokens = 0
    var wall = Double.infinity, cpu = Double.infinity
    for _ in 0..<rounds {
        let (startWall, startCPU) = (DispatchTime.now().uptimeNanoseconds, threadCPUSeconds())
        var sum = 0.0, count = 0
        for text in texts {
            let result = meter.measure(text)
            if let value = result.value { sum += value }
            count += result.tokens
        }
        cpu = min(cpu, threadCPUSeconds() - startCPU)
        wall = min(wall, Double(DispatchTime.now().uptimeNanoseconds - startWall) / 1e9)
        checksum = sum
        tokens = count
    }
    let parallel = try parallelWallSeconds(texts, rounds: rounds, expected: checksum)

    let peerCPU = peer["lexicalrichness_cpu_seconds"] as! Double, peerWall = peer["lexicalrichness_wall_seconds"] as! Double
    let peerChecksum = peer["lexicalrichness_checksum"] as! Double
    let ldTexts = peer["lexical_diversity_texts"] as! Int, ldCPU = peer["lexical_diversity_cpu_seconds"] as! Double
    print("workload: \(texts.count) real responses (Alpaca random-9k, LIMA, 8 self-instruct models), \(bytes) bytes, \(tokens) tokens;"
          + " lexicalrichness variant; single-thread ratio (one core each side) unless marked")
    print("peer: lexicalrichness 0.5.1 LexicalRichness(text).mtld(0.72) under Python \(peer["python"]!), best of 3")
    print(String(format: "lexicalrichness:      cpu %.3f s  wall %.3f s  (%.0f texts/s by cpu)", peerCPU, peerWall, Double(texts.count) / peerCPU))
    print(String(format: "swift MTLDMeter:      cpu %.3f s  wall %.3f s  (%.0f texts/s by cpu), best of %d", cpu, wall, Double(texts.count) / cpu, rounds))
    print(String(format: "swift, %d threads:     wall %.3f s", ProcessInfo.processInfo.activeProcessorCount, parallel))
    print(String(format: "lexical-diversity:    cpu %.3f s for the first %d texts (%.0f texts/s; quadratic in text length)",
                 ldCPU, ldTexts, Double(ldTexts) / ldCPU))
    print(String(format: "sum of MTLD values: swift %.9f, lexicalrichness %.9f (%@)", checksum, peerChecksum,
                 abs(checksum - peerChecksum) <= 1e-6 * abs(peerChecksum) ? "equal" : "DIFFERENT"))
    print(String(format: "throughput ratio swift/lexicalrichness: %.1fx by single-thread cpu time, %.1fx by wall time"
                 + " (swift on %d threads vs the single-threaded peer: %.1fx by wall time)",
                 peerCPU / cpu, peerWall / wall, ProcessInfo.processInfo.activeProcessorCount, peerWall / parallel))
}

/// The same work split over every core, one meter per thread; checks it sums to the single-thread result.
private func parallelWallSeconds(_ texts: [String], rounds: Int, expected: Double) throws -> Double {
    let threads = ProcessInfo.processInfo.activeProcessorCount
    var best = Double.infinity
    for _ in 0..<rounds {
        let sums = UnsafeMutableBufferPointer<Double>.allocate(capacity: threads)
        defer { sums.deallocate() }
        let start = DispatchTime.now().uptimeNanoseconds
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            let meter = MTLDMeter(.lexicalRichness)
            var sum = 0.0
            // Interleaved, not in blocks: the workload's long texts (LIMA, davinci) sit at its end.
            for index in stride(from: thread, to: texts.count, by: threads) {
                if let value = meter.measure(texts[index]).value { sum += value }
            }
            sums[thread] = sum
        }
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        let total = sums.reduce(0, +)
        guard abs(total - expected) <= 1e-6 * abs(expected) else {
            throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "parallel MTLD sum \(total) differs from \(expected)"])
        }
    }
    return best
}

private func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
