import Core

/// Why a command-trainer job did not produce a result. Each case names the job and where to look.
public enum CommandTrainerError: Error, CustomStringConvertible, Equatable, Sendable {
    case missingEvaluationSet(String)
    case badTemplate(String)
    case launchFailed(String, String)
    /// The program exited with a non-zero status or a signal; `log` holds its output.
    case processFailed(key: String, status: String, log: String, tail: String)
    case timedOut(key: String, seconds: Double, log: String)
    /// The program wrote `"error": "..."` in its result file.
    case reported(key: String, message: String)
    /// The result file is missing or malformed.
    case invalidResult(key: String, InputError)
    /// A Slurm sweep cannot be exported or submitted as asked.
    case sweep(String)
    /// Every attempt failed; `last` is the last attempt's error.
    case gaveUp(key: String, attempts: Int, last: String)

    public var description: String {
        switch self {
        case .missingEvaluationSet(let name): "no examples were given for evaluation set '\(name)' named in the settings"
        case .badTemplate(let message): "command template: \(message)"
        case .launchFailed(let path, let why): "could not start \(path): \(why)"
        case .processFailed(let key, let status, let log, let tail):
            "job \(key.prefix(12)): the program \(status); its output is in \(log)" + (tail.isEmpty ? "" : "; it ended with:\n\(tail)")
        case .timedOut(let key, let seconds, let log):
            "job \(key.prefix(12)): no result within \(seconds) s; the program and its process group were killed (output in \(log))"
        case .reported(let key, let message): "job \(key.prefix(12)): the program reported an error: \(message)"
        case .invalidResult(let key, let error): "job \(key.prefix(12)): invalid result: \(error)"
        case .sweep(let message): "sweep: \(message)"
        case .gaveUp(let key, let attempts, let last): "job \(key.prefix(12)) failed \(attempts) time(s); last: \(last)"
        }
    }
}
