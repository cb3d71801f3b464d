import Core
import Foundation
import Training

/// Where a job's files live: `<root>/jobs/<key>/` holds `spec.json`, `subset.json`, `result.json`, the program's
/// `output/` and one `attempt-N.log` per attempt; evaluation sets are shared by all jobs under `<root>/eval/`.
///
/// Files are written before the program starts and never contain anything but the job's own data, so the
/// command line carries only paths.
public struct JobFolder: Sendable {
    public let root: URL
    public let key: String

    public init(root: URL, key: String) {
        self.root = root
        self.key = key
    }

    /// `jobs/<key>`, relative to the root: the form manifests record.
    public var relativePath: String { "jobs/\(key)" }
    public var directory: URL { root.appendingPathComponent(relativePath, isDirectory: true) }
    public var spec: URL { directory.appendingPathComponent("spec.json") }
    public var subset: URL { directory.appendingPathComponent("subset.json") }
    public var result: URL { directory.appendingPathComponent("result.json") }
    public var outputDirectory: URL { directory.appendingPathComponent("output", isDirectory: true) }
    public func log(attempt: Int) -> URL { directory.appendingPathComponent("attempt-\(attempt).log") }

    /// Writes the subset, the evaluation sets and the spec for `job`; returns the spec. Files whose bytes are
    /// already there are left alone; `result.json` from an earlier attempt is removed so that it cannot be mistaken
    /// for this attempt's answer.
    @discardableResult
    public func prepare(_ job: FinetuneJob) throws -> JobSpec {
        precondition(job.key == key, "a job folder belongs to one job")
        let files = FileManager.default
        try files.createDirectory(at: directory, withIntermediateDirectories: true)
        try files.createDirectory(at: root.appendingPathComponent("eval", isDirectory: true), withIntermediateDirectories: true)
        try JobFolder.writeIfChanged(job.subsetFile, to: subset)
        var evaluations: [JobSpec.EvaluationRef] = []
        for name in job.settings.evaluationSets {
            guard let bytes = job.evaluationFiles[name], let examples = job.evaluationSets[name] else {
                throw CommandTrainerError.missingEvaluationSet(name)
            }
            let digest = SHA256.hex(bytes)
            let fileName = "\(JobFolder.safeFileName(name))-\(digest.prefix(12)).json"
            try JobFolder.writeIfChanged(bytes, to: root.appendingPathComponent("eval/\(fileName)"))
            evaluations.append(.init(name: name, path: "../../eval/\(fileName)", sha256: digest, count: examples.count))
        }
        let spec = JobSpec(jobKey: key, backend: job.backend, model: job.settings.baseModel, epochs: job.settings.epochs,
                           learningRate: job.settings.learningRate, batchSize: job.settings.batchSize,
                           seed: job.settings.seed, trainableLayers: job.settings.trainableLayers, options: job.options,
                           subset: .init(path: "subset.json", sha256: SHA256.hex(job.subsetFile), count: job.subset.count),
                           evaluationSets: evaluations, output: "result.json", outputDir: "output")
        try JobFolder.writeIfChanged(try CanonicalJSON.encode(spec), to: self.spec)
        if files.fileExists(atPath: result.path) { try files.removeItem(at: result) }
        return spec
    }

    /// Writes atomically, and only when the bytes differ, so a job folder shared with a running job is never torn.
    static func writeIfChanged(_ bytes: Data, to url: URL) throws {
        if let existing = try? Data(contentsOf: url), existing == bytes { return }
        try bytes.write(to: url, options: .atomic)
    }

    /// Set names become file names: keep letters, digits, '-', '_' and '.', replace the rest.
    static func safeFileName(_ name: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        let cleaned = String(name.map { allowed.contains($0) ? $0 : "_" })
        return cleaned.isEmpty ? "set" : cleaned
    }
}
