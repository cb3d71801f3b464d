import Core
import Corpus
import Foundation
import Training

/// The other side of ``CommandTrainer``: a job program that reads a job folder's `spec.json` (``JobSpec``), checks
/// every file against the spec's SHA-256, runs an in-process ``Trainer`` and writes `result.json` (``ResultFile``).
/// `imine finetune-job` is this program, so the command and Slurm backends run end to end with no Python, and the
/// same trainer and seed give the same losses in process, through a command and on a cluster.
public enum JobProgram {
    /// A spec read and checked, with its data.
    public struct Job: Sendable {
        public var spec: JobSpec
        public var directory: URL
        public var subset: [Example]
        public var settings: FinetuneSettings
        public var evaluationSets: [String: [Example]]
        public var result: URL { directory.appendingPathComponent(spec.output) }
    }

    /// Reads `spec.json` and the files it names; any problem is an ``InputError`` naming the file and field.
    public static func load(spec url: URL) throws -> Job {
        guard let bytes = FileManager.default.contents(atPath: url.path) else { throw InputError(file: url.path, "no job spec here") }
        let spec: JobSpec
        do { spec = try JSONDecoder().decode(JobSpec.self, from: bytes) } catch let DecodingError.keyNotFound(key, context) {
            let path = (context.codingPath + [key]).map(\.stringValue)
            throw InputError(file: url.path, path: "$." + path.joined(separator: "."), field: key.stringValue, "missing")
        } catch let DecodingError.typeMismatch(type, context) {
            let path = context.codingPath.map(\.stringValue)
            throw InputError(file: url.path, path: "$." + path.joined(separator: "."), field: path.last, "expected \(type)")
        } catch {
            throw InputError(file: url.path, path: "$", "not a job spec: \(ResultFile.describe(error))")
        }
        guard spec.format == JobSpec.formatName else {
            throw InputError(file: url.path, path: "$.format", field: "format", "'\(spec.format)'; this program reads '\(JobSpec.formatName)'")
        }
        let directory = url.deletingLastPathComponent()
        let subset = try examples(spec.subset.path, sha256: spec.subset.sha256, count: spec.subset.count, in: directory,
                                  spec: url.path, field: "subset")
        var sets: [String: [Example]] = [:]
        for (index, set) in spec.evaluationSets.enumerated() {
            sets[set.name] = try examples(set.path, sha256: set.sha256, count: set.count, in: directory, spec: url.path,
                                          field: "evaluation_sets[\(index)]")
        }
        let settings = FinetuneSettings(baseModel: spec.model, epochs: spec.epochs, learningRate: spec.learningRate,
                                        batchSize: spec.batchSize, seed: spec.seed, trainableLayers: spec.trainableLayers,
                                        evaluationSets: spec.evaluationSets.map(\.name))
        return Job(spec: spec, directory: directory, subset: subset, settings: settings, evaluationSets: sets)
    }

    /// Runs `job` with `trainer` and writes its result file atomically; a trainer's error is written as the
    /// result's `error` (then rethrown), so the caller sees the program's own account of the failure.
    @discardableResult
    public static func run(_ job: Job, trainer: any Trainer) throws -> FinetuneResult {
        do {
            let result = try trainer.finetune(subset: job.subset, settings: job.settings, evaluationSets: job.evaluationSets)
            try ResultFile.write(.finished(result), to: job.result)
            return result
        } catch {
            try ResultFile.write(.failed("\(error)"), to: job.result)
            throw error
        }
    }

    private static func examples(_ path: String, sha256: String, count: Int, in directory: URL, spec: String, field: String) throws -> [Example] {
        let file = directory.appendingPathComponent(path).standardizedFileURL.path
        guard let bytes = FileManager.default.contents(atPath: file) else {
            throw InputError(file: spec, path: "$.\(field).path", field: "path", "names \(file), which does not exist")
        }
        guard SHA256.hex(bytes) == sha256 else {
            throw InputError(file: spec, path: "$.\(field).sha256", field: "sha256", "\(file) does not have this checksum: it changed after the spec was written")
        }
        let examples = try AlpacaFile.decode(bytes, file: file)
        guard examples.count == count else {
            throw InputError(file: spec, path: "$.\(field).count", field: "count", "is \(count), but \(file) holds \(examples.count) records")
        }
        return examples
    }
}
