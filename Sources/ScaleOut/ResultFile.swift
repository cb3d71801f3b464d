import Core
import Foundation
import Training

/// The answer a finetune program writes to the spec's `output` path (`result.json`):
///
/// ```json
/// {"eval_losses": {"self-instruct": 0.958, "mt-bench": 0.711}, "tokens": 1843200, "wall_seconds": 912.4,
///  "error": null, "checkpoint": "output/adapter", "metrics": {"train_loss": [1.31, 1.02, 0.88]}}
/// ```
///
/// - `eval_losses`: one finite, non-negative mean token NLL per evaluation set of the spec, no other sets.
/// - `tokens`: a non-negative integer (training tokens processed, all epochs).
/// - `wall_seconds`: a finite, non-negative number.
/// - `error`: null, or a message: the program ran but the job failed (out of memory, diverged); the other fields
///   may then be missing.
/// - `checkpoint` (optional): a string or null. `metrics` (optional): any object, kept for people, not read.
///
/// Any other key, a missing key or a wrong type is an ``InputError`` naming the file, the JSON path and the field.
public enum ResultFile {
    /// What a result file says: a result, or the program's own report of a failure.
    public enum Outcome: Equatable, Sendable {
        case finished(FinetuneResult)
        case failed(String)
    }

    static let knownKeys: Set<String> = ["eval_losses", "tokens", "wall_seconds", "error", "checkpoint", "metrics"]

    /// Reads and validates `url` for a job that was evaluated on `evaluationSets`.
    public static func read(_ url: URL, evaluationSets: [String]) throws -> Outcome {
        let file = url.path
        guard let bytes = FileManager.default.contents(atPath: file) else {
            throw InputError(file: file, "the program wrote no result file")
        }
        return try parse(bytes, file: file, evaluationSets: evaluationSets)
    }

    public static func parse(_ bytes: Data, file: String, evaluationSets: [String]) throws -> Outcome {
        let document: JSONValue
        do { document = try JSONDecoder().decode(JSONValue.self, from: bytes) } catch {
            throw InputError(file: file, path: "$", "not valid JSON (\(bytes.count) bytes): \(describe(error))")
        }
        guard case .object(let fields) = document else {
            throw InputError(file: file, path: "$", "expected a JSON object, found \(document.typeName)")
        }
        for key in fields.keys.sorted() where !knownKeys.contains(key) {
            throw InputError(file: file, path: "$.\(key)", field: key,
                             "unknown field (expected \(knownKeys.sorted().joined(separator: ", ")))")
        }
        switch fields["error"] {
        case nil, .null?: break
        case .string(let message)?: return .failed(message.isEmpty ? "the program reported an empty error" : message)
        case let other?: throw InputError(file: file, path: "$.error", field: "error", "expected null or a string, found \(other.typeName)")
        }
        guard case .object(let losses)? = fields["eval_losses"] else {
            throw InputError(file: file, path: "$.eval_losses", field: "eval_losses",
                             fields["eval_losses"].map { "expected an object, found \($0.typeName)" } ?? "missing")
        }
        var evalLosses: [String: Double] = [:]
        for name in evaluationSets {
            let path = "$.eval_losses[\"\(name)\"]"
            guard let value = losses[name] else { throw InputError(file: file, path: path, field: "eval_losses", "no loss for evaluation set '\(name)'") }
            evalLosses[name] = try number(value, file: file, path: path, field: "eval_losses")
        }
        for name in losses.keys.sorted() where !evaluationSets.contains(name) {
            throw InputError(file: file, path: "$.eval_losses[\"\(name)\"]", field: "eval_losses", "a loss for a set the job did not ask for")
        }
        let tokens = try number(fields["tokens"], file: file, path: "$.tokens", field: "tokens")
        guard tokens == tokens.rounded(), tokens < 9.0e15 else {
            throw InputError(file: file, path: "$.tokens", field: "tokens", "expected a whole number, found \(tokens)")
        }
        let wall = try number(fields["wall_seconds"], file: file, path: "$.wall_seconds", field: "wall_seconds")
        var checkpoint: String?
        switch fields["checkpoint"] {
        case nil, .null?: break
        case .string(let value)?: checkpoint = value
        case let other?: throw InputError(file: file, path: "$.checkpoint", field: "checkpoint", "expected null or a string, found \(other.typeName)")
        }
        if let metrics = fields["metrics"], case .object = metrics {} else if let metrics = fields["metrics"] {
            throw InputError(file: file, path: "$.metrics", field: "metrics", "expected an object, found \(metrics.typeName)")
        }
        return .finished(FinetuneResult(evalLosses: evalLosses, tokensProcessed: Int(tokens), wallSeconds: wall, checkpoint: checkpoint))
    }

    /// Writes `outcome` as a result file, atomically (a reader never sees half of it); numbers round-trip exactly.
    public static func write(_ outcome: Outcome, to url: URL) throws {
        var fields: [String: JSONValue] = ["error": .null]
        switch outcome {
        case .failed(let message): fields["error"] = .string(message)
        case .finished(let result):
            fields["eval_losses"] = .object(result.evalLosses.mapValues { .double($0) })
            fields["tokens"] = .int(result.tokensProcessed)
            fields["wall_seconds"] = .double(result.wallSeconds)
            fields["checkpoint"] = result.checkpoint.map { .string($0) } ?? .null
        }
        try CanonicalJSON.encode(JSONValue.object(fields)).write(to: url, options: .atomic)
    }

    /// A finite, non-negative number, or an error naming where it should have been.
    static func number(_ value: JSONValue?, file: String, path: String, field: String) throws -> Double {
        guard let value else { throw InputError(file: file, path: path, field: field, "missing") }
        guard let x = value.doubleValue else { throw InputError(file: file, path: path, field: field, "expected a number, found \(value.typeName)") }
        guard x.isFinite, x >= 0 else { throw InputError(file: file, path: path, field: field, "expected a finite non-negative number, found \(x)") }
        return x
    }

    static func describe(_ error: Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return (context.underlyingError.map { "\($0)" } ?? context.debugDescription)
        }
        return "\(error)"
    }
}
