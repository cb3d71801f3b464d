// swift-tools-version:6.0
// InstructMining Workbench. Module layers: a module imports only modules on rows below its own, and each target's
// dependencies below are exactly what its sources import.
//   imine
//   Steps
//   Workbench · ScaleOut · Indicators · Search
//   Training · Stats
//   Corpus · PretrainedLM
//   Store · Neural · GGUF · Linalg
//   Core · CBLAS
// (Training imports Store: the job ledger of finetunes lives there. Indicators imports Training: perplexity and IFD
// read a language-model scorer's response losses; the judge indicators ask a PretrainedLM model. Search imports Store:
// its trial log. Steps runs the build-tool plugin CodeDigestPlugin, whose tool `code-digest` imports Core.)
import PackageDescription

let release: [SwiftSetting] = []  // per-target optimisation flags go here when a benchmark shows they pay

let package = Package(
    name: "InstructMiningWorkbench",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "imine", targets: ["imine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // OpenBLAS (CBLAS) and LAPACKE from Debian's libopenblas-dev and liblapacke-dev.
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        // Digests, seeded randomness, progress, errors that name file/line/field.
        .target(name: "Core", swiftSettings: release),
        .target(name: "Linalg", dependencies: ["CBLAS"], swiftSettings: release),
        .target(name: "Stats", dependencies: ["Linalg", "Core"], swiftSettings: release),
        .target(name: "Store", dependencies: ["Core", .product(name: "GRDB", package: "GRDB.swift")], swiftSettings: release),
        .target(name: "Corpus", dependencies: ["Core", "Store", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Yams", package: "Yams")], swiftSettings: release),
        .target(name: "Neural", dependencies: ["Core", "CBLAS"], swiftSettings: release),
        // GGUF model files: format and dequantisation. PretrainedLM: tokenizers, architectures, finetuning modes.
        .target(name: "GGUF", dependencies: ["Core"], swiftSettings: release),
        .target(name: "PretrainedLM", dependencies: ["Core", "Neural", "GGUF"], swiftSettings: release),
        .target(name: "Training", dependencies: ["Core", "Corpus", "Neural", "PretrainedLM", "Store", .product(name: "GRDB", package: "GRDB.swift")], swiftSettings: release),
        .target(name: "Search", dependencies: ["Core", "Store", .product(name: "GRDB", package: "GRDB.swift")], swiftSettings: release),
        .target(name: "Indicators", dependencies: ["Core", "CBLAS", "Stats", "Corpus", "Neural", "PretrainedLM", "Training", "Store", .product(name: "GRDB", package: "GRDB.swift")], swiftSettings: release),
        .target(name: "ScaleOut", dependencies: ["Core", "Corpus", "Training", "Store"], swiftSettings: release),
        .target(name: "Workbench", dependencies: ["Core", "Store", .product(name: "Yams", package: "Yams"), .product(name: "GRDB", package: "GRDB.swift")], swiftSettings: release),
        .target(name: "Steps", dependencies: ["Core", "Store", "Corpus", "Neural", "PretrainedLM", "Training", "Indicators", "Stats", "Search", "ScaleOut", "Workbench", .product(name: "Yams", package: "Yams")], swiftSettings: release,
                plugins: ["CodeDigestPlugin"]),
        // The digest of the code that computes cells, made at build time (see Plugins/CodeDigestPlugin).
        .executableTarget(name: "code-digest", dependencies: ["Core"], swiftSettings: release),
        .plugin(name: "CodeDigestPlugin", capability: .buildTool(), dependencies: ["code-digest"]),
        .executableTarget(name: "imine", dependencies: ["Core", "Steps", "Workbench", "Corpus", "Store", "ScaleOut", "Training", "Indicators", "PretrainedLM", "GGUF", .product(name: "ArgumentParser", package: "swift-argument-parser")], swiftSettings: release),

        // Benchmarks: each prints a ratio against its named peer measured in the same run.
        .executableTarget(name: "bench-microlm", dependencies: ["Neural", "Training", "Corpus", "Core", "CBLAS"], path: "bench/swift/microlm", swiftSettings: release),
        .executableTarget(name: "bench-indicators", dependencies: ["Indicators", "Neural", "Core"], path: "bench/swift/indicators", swiftSettings: release),
        .executableTarget(name: "bench-search", dependencies: ["Search", "Core"], path: "bench/swift/search", swiftSettings: release),
        .executableTarget(name: "bench-gguf", dependencies: ["GGUF", "PretrainedLM", "Core"], path: "bench/swift/gguf", swiftSettings: release),
        .executableTarget(name: "bench-lm", dependencies: ["PretrainedLM", "Neural", "Core", "CBLAS"], path: "bench/swift/lm", swiftSettings: release),
        .executableTarget(name: "bench-notebook", dependencies: ["Workbench", "Store", "Core"], path: "bench/swift/notebook", swiftSettings: release),

        .testTarget(name: "CoreTests", dependencies: ["Core"]),
        .testTarget(name: "LinalgTests", dependencies: ["Linalg", "Core"]),
        .testTarget(name: "StatsTests", dependencies: ["Stats", "Core"], exclude: ["Fixtures"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Core", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "CorpusTests", dependencies: ["Corpus", "Store", "Core"], exclude: ["Fixtures"]),
        .testTarget(name: "NeuralTests", dependencies: ["Neural", "Core"], exclude: ["Fixtures"]),
        .testTarget(name: "GGUFTests", dependencies: ["GGUF", "Core"], exclude: ["Fixtures"]),
        .testTarget(name: "PretrainedLMTests", dependencies: ["PretrainedLM", "GGUF", "Neural", "Core"], exclude: ["Fixtures"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Corpus", "Neural", "PretrainedLM"]),
        .testTarget(name: "SearchTests", dependencies: ["Search", "Core"]),
        .testTarget(name: "IndicatorsTests", dependencies: ["Indicators", "Corpus", "Stats", "Neural", "PretrainedLM", "Training", "Core", "Store", .product(name: "GRDB", package: "GRDB.swift")], exclude: ["Fixtures"]),
        .testTarget(name: "ScaleOutTests", dependencies: ["ScaleOut", "Training", "Corpus", "Store", "Core"]),
        .testTarget(name: "WorkbenchTests", dependencies: ["Workbench", "Store", "Core", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "StepsTests", dependencies: ["Steps", "Workbench", "Store", "Core", "PretrainedLM", "Training", "ScaleOut", "Indicators", .product(name: "GRDB", package: "GRDB.swift")]),
        // Hostile and careless input against the built `imine` (profiles, notebooks, stores, data, signals, two runners).
        .testTarget(name: "HardeningTests", dependencies: ["Steps", "Workbench", "Store", "Core", .product(name: "GRDB", package: "GRDB.swift")], exclude: ["Fixtures"]),
    ],
    // Swift 5 language mode: the numeric kernels share buffers across threads deliberately (disjoint ranges).
    swiftLanguageModes: [.v5]
)
