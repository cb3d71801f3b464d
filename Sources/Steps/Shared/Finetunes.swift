import Core
import Corpus
import Foundation
import Neural
import Training
import Workbench

/// One finetune an experiment asks for: a subset under a label, and the seed to train it with.
struct FinetuneRequest {
    var label: String
    var subset: [Example]
    var seed: UInt64
    var trainableLayers: [Int]? = nil
}

/// The part of a finetune's result that is a function of its inputs (no wall time), as experiments store it.
struct FinetuneOutcome: Codable, Hashable {
    var label: String
    var seed: UInt64
    var size: Int
    var jobKey: String
    /// Mean token NLL per evaluation set name.
    var losses: [String: Double]
    var tokens: Int
}

extension Array where Element == FinetuneOutcome {
    /// Each outcome's loss on one evaluation set, in order; every outcome holds every set its finetunes asked for.
    func losses(_ set: String) -> [Double] { map { $0.losses[set]! } }
}

/// The finetunes a step asks for, run by the profile's oracle (``OracleSpec``, ``Oracles``) through the store's job
/// ledger (``FinetuneRunner``): a job whose content key is already finished is read back, never recomputed, so a
/// killed or repeated run resumes where it stopped. Steps that use it declare `oracle` in `optionalProfileKeys`.
struct Finetunes {
    static let mainSet = "eval-self-instruct"
    static let heldOutSet = "eval-mt-bench"

    let context: StepContext
    let runner: FinetuneRunner
    let baseModel: String
    let evaluationSets: [String: [Example]]

    /// Finetunes of a base checkpoint (default: the one of the `lm.pretrain` cell the step uses; under an external
    /// or GGUF oracle, its `model`, and `model_large` for any other checkpoint), evaluated on the two evaluation pools
    /// plus any `extraSets`. `large` asks for the larger base model. `oracle` replaces the profile's (a variant of it, such as another finetune mode).
    init(_ context: StepContext, pools: PoolsRef, baseDigest: String? = nil, large: Bool = false,
         extraSets: [String: [Example]] = [:], oracle: OracleSpec? = nil) throws {
        self.context = context
        let pretrained = try context.input(PretrainStep.self, as: BaseModelPayload.self).checkpoint
        let oracle = try oracle ?? OracleSpec(context.profile, models: context.modelsDirectory)
        baseModel = try oracle.baseModel(workbench: baseDigest ?? pretrained, isDefaultBase: !large && (baseDigest ?? pretrained) == pretrained)
        runner = FinetuneRunner(backend: try Oracles.backend(oracle, baseModel: baseModel, store: context.store),
                                ledger: JobLedger(store: context.store))
        var sets = extraSets
        for name in [Finetunes.mainSet, Finetunes.heldOutSet] { sets[name] = try pools.examples(name) }
        // A real model's evaluation pass costs as much as training on a few hundred examples: a profile may score
        // each set on a fixed seeded sample instead (the same examples for every finetune, step and oracle).
        if let cap = try context.profile.value("finetune.eval_examples")?.intValue {
            sets = Dictionary(uniqueKeysWithValues: sets.map { name, examples in
                guard examples.count > cap else { return (name, examples) }
                var random = SeededRandom(seed: 0, stream: "evaluation-sample-\(name)")
                return (name, random.sample(cap, from: examples.count).sorted().map { examples[$0] })
            })
        }
        evaluationSets = sets
    }

    func settings(seed: UInt64, trainableLayers: [Int]? = nil) throws -> FinetuneSettings {
        FinetuneSettings(baseModel: baseModel, epochs: try context.profile.int("finetune.epochs"),
                         learningRate: try context.profile.double("finetune.learning_rate"),
                         batchSize: try context.profile.int("finetune.batch"), seed: seed,
                         trainableLayers: trainableLayers, evaluationSets: evaluationSets.keys.sorted())
    }

    /// Runs (or reads back) every request with one progress bar; results come back in request order.
    func run(_ requests: [FinetuneRequest], label: String = "finetunes") throws -> [FinetuneOutcome] {
        BLAS.pinForReproducibility()
        let jobs = try requests.map { request in
            try runner.job(subset: request.subset, settings: try settings(seed: request.seed, trainableLayers: request.trainableLayers),
                           evaluationSets: evaluationSets)
        }
        let progress = context.progress(label, total: requests.count)
        defer { progress.finish() }
        let results = try runner.run(jobs, progress: progress)
        return zip(requests, zip(jobs, results)).map { request, done in
            FinetuneOutcome(label: request.label, seed: request.seed, size: request.subset.count, jobKey: done.0.key,
                            losses: done.1.evalLosses, tokens: done.1.tokensProcessed)
        }
    }
}
