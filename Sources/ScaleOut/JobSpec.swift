import Foundation

/// The job spec: the one file an external finetune program reads (`spec.json` in the job folder).
///
/// Paths are relative to the folder that holds the spec, so a sweep folder can be copied to a cluster as it is.
/// Keys are snake_case; the file is canonical JSON. Example:
///
/// ```json
/// {"batch_size":128,"epochs":3,"evaluation_sets":[{"count":252,"name":"self-instruct",
///  "path":"../eval/self-instruct-3f2a9c1b0d4e.json","sha256":"3f2a…"}],"format":"imine-finetune-job/1",
///  "job_key":"9b1c…","learning_rate":2e-05,"model":"meta-llama/Llama-2-7b-hf","options":{"lora":"false"},
///  "output":"result.json","output_dir":"output","seed":1,"subset":{"count":1000,"path":"subset.json",
///  "sha256":"…"},"trainable_layers":null}
/// ```
///
/// The program answers with `output` (see ``ResultFile``) and may keep checkpoints under `output_dir`.
public struct JobSpec: Codable, Equatable, Sendable {
    public static let formatName = "imine-finetune-job/1"

    public var format: String = JobSpec.formatName
    public var jobKey: String
    public var backend: String
    public var model: String
    public var epochs: Int
    public var learningRate: Double
    public var batchSize: Int
    public var seed: UInt64
    public var trainableLayers: [Int]?
    public var options: [String: String]
    public var subset: FileRef
    public var evaluationSets: [EvaluationRef]
    public var output: String
    public var outputDir: String

    /// A data file the program reads, with its checksum so that it can refuse a file that changed.
    public struct FileRef: Codable, Equatable, Sendable {
        public var path: String
        public var sha256: String
        public var count: Int
    }

    public struct EvaluationRef: Codable, Equatable, Sendable {
        public var name: String
        public var path: String
        public var sha256: String
        public var count: Int
    }

    enum CodingKeys: String, CodingKey {
        case format, jobKey = "job_key", backend, model, epochs, learningRate = "learning_rate"
        case batchSize = "batch_size", seed, trainableLayers = "trainable_layers", options, subset
        case evaluationSets = "evaluation_sets", output, outputDir = "output_dir"
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(format, forKey: .format)
        try container.encode(jobKey, forKey: .jobKey)
        try container.encode(backend, forKey: .backend)
        try container.encode(model, forKey: .model)
        try container.encode(epochs, forKey: .epochs)
        try container.encode(learningRate, forKey: .learningRate)
        try container.encode(batchSize, forKey: .batchSize)
        try container.encode(seed, forKey: .seed)
        try container.encode(trainableLayers, forKey: .trainableLayers)  // an explicit null: "all layers"
        try container.encode(options, forKey: .options)
        try container.encode(subset, forKey: .subset)
        try container.encode(evaluationSets, forKey: .evaluationSets)
        try container.encode(output, forKey: .output)
        try container.encode(outputDir, forKey: .outputDir)
    }
}
