import Core
import Corpus
import Foundation
import Neural
import ScaleOut
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

/// Runs finetunes from the base model through the store's job ledger: a job whose content key is already
/// finished is read back, never recomputed, so a killed or repeated run resumes where it stopped.
struct Finetunes {
    static let mainSet = "eval-self-instruct"
    static let heldOutSet = "eval-mt-bench"

    let context: StepContext
    let trainer: any Trainer
    let baseDigest: String
    let evaluationSets: [String: [Example]]

    /// The MicroLM trainer on a base checkpoint (default: the one of the `lm.pretrain` cell the step uses), evaluated
    /// on the two evaluation pools plus any `extraSets`.
    init(_ context: StepContext, pools: PoolsRef, baseDigest: String? = nil, extraSets: [String: [Example]] = [:]) throws {
        self.context = context
        let digest = try baseDigest ?? context.input(ofStep: PretrainStep.name, as: BaseModelPayload.self).checkpoint
        self.baseDigest = digest
        trainer = try MicroLMTrainer(base: try SharedLoads.shared.checkpoint(digest, store: context.store))
        var sets = extraSets
        for name in [Finetunes.mainSet, Finetunes.heldOutSet] { sets[name] = try pools.examples(name) }
        evaluationSets = sets
    }

    func settings(seed: UInt64, trainableLayers: [Int]? = nil) throws -> FinetuneSettings {
        FinetuneSettings(baseModel: baseDigest, epochs: try context.profile.int("finetune.epochs"),
                         learningRate: try context.profile.double("finetune.learning_rate"),
                         batchSize: try context.profile.int("finetune.batch"), seed: seed,
                         trainableLayers: trainableLayers, evaluationSets: evaluationSets.keys.sorted())
    }

    /// Runs (or reads back) every request with one progress bar; results come back in request order.
    ///
    /// Jobs run on all cores at once, one single-threaded BLAS each: small models train faster side by side than
    /// one at a time over a multi-threaded BLAS, and each job's result depends only on its own inputs and seed.
    func run(_ requests: [FinetuneRequest], label: String = "finetunes") throws -> [FinetuneOutcome] {
        let ledger = JobLedger(store: context.store)
        let progress = context.progress(label, total: requests.count)
        defer { progress.finish() }
        let workers = max(1, min(requests.count, ProcessInfo.processInfo.activeProcessorCount))
        SharedLoads.pinBLASThreads()
        let lock = NSLock()
        var results = [Result<FinetuneOutcome, Error>?](repeating: nil, count: requests.count)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: requests.count, by: workers) {
                let result = Result { try one(requests[index], ledger: ledger) }
                lock.lock(); results[index] = result; lock.unlock()
                progress.advance(note: requests[index].label)
                if case .failure = result { break }
            }
        }
        return try results.map { result in
            guard let result else { throw StepError.failed(step: context.stepName, "a finetune was not run because an earlier one failed") }
            return try result.get()
        }
    }

    private func one(_ request: FinetuneRequest, ledger: JobLedger) throws -> FinetuneOutcome {
        let settings = try settings(seed: request.seed, trainableLayers: request.trainableLayers)
        let job = try FinetuneJob(backend: trainer.backend, settings: settings, subset: request.subset, evaluationSets: evaluationSets)
        let result: FinetuneResult
        if let entry = try ledger.entry(job.key), entry.status == .finished, let stored = entry.result {
            result = stored
        } else {
            try ledger.recordAttempt(job)
            do {
                result = try trainer.finetune(subset: request.subset, settings: settings, evaluationSets: evaluationSets)
            } catch {
                try ledger.record(failure: "\(error)", for: job)
                throw error
            }
            try ledger.record(finished: result, for: job)
        }
        return FinetuneOutcome(label: request.label, seed: request.seed, size: request.subset.count, jobKey: job.key,
                               losses: result.evalLosses, tokens: result.tokensProcessed)
    }
}
