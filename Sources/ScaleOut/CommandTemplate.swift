import Foundation

/// The external program and its arguments, with placeholders that are filled in per job.
///
/// Each argument is substituted on its own and handed to the program as one `argv` entry: there is no shell, so
/// nothing is split, globbed or interpreted, and the command line only ever carries paths and the job key.
///
/// | placeholder | becomes |
/// |---|---|
/// | `{job}` | the job folder |
/// | `{spec}` | the job spec, `spec.json` |
/// | `{output}` | the result file the program must write, `result.json` |
/// | `{subset}` | the training subset, `subset.json` |
/// | `{key}` | the job key |
///
/// ```swift
/// let command = try CommandTemplate(executable: ".venv-torch/bin/python",
///                                   arguments: ["paper-repro/gpu/finetune.py", "--spec", "{spec}"])
/// ```
public struct CommandTemplate: Codable, Equatable, Sendable {
    public static let placeholders = ["job", "spec", "output", "subset", "key"]

    /// A path, or a bare name looked up in `PATH` when the job starts.
    public var executable: String
    public var arguments: [String]

    /// Throws ``CommandTrainerError/badTemplate(_:)`` if an argument names an unknown placeholder.
    public init(executable: String, arguments: [String]) throws {
        self.executable = executable
        self.arguments = arguments
        for argument in [executable] + arguments {
            for name in CommandTemplate.placeholderNames(in: argument) where !CommandTemplate.placeholders.contains(name) {
                throw CommandTrainerError.badTemplate("unknown placeholder {\(name)} in '\(argument)'; known: "
                    + CommandTemplate.placeholders.map { "{\($0)}" }.joined(separator: " "))
            }
        }
    }

    /// The arguments with every placeholder replaced by its value.
    public func arguments(values: [String: String]) -> [String] {
        arguments.map { CommandTemplate.substitute($0, values: values) }
    }

    static func substitute(_ argument: String, values: [String: String]) -> String {
        var out = argument
        for (name, value) in values { out = out.replacingOccurrences(of: "{\(name)}", with: value) }
        return out
    }

    /// The argument cut into literal text and placeholder names, in order; used to write Slurm scripts.
    static func segments(of argument: String) -> [(literal: String, placeholder: String?)] {
        var result: [(String, String?)] = []
        var literal = ""
        var index = argument.startIndex
        while index < argument.endIndex {
            if argument[index] == "{", let close = argument[index...].firstIndex(of: "}"),
               case let name = String(argument[argument.index(after: index)..<close]), placeholders.contains(name) {
                result.append((literal, name))
                literal = ""
                index = argument.index(after: close)
            } else {
                literal.append(argument[index])
                index = argument.index(after: index)
            }
        }
        result.append((literal, nil))
        return result
    }

    /// Names written as `{lowercase_name}`; other braces (JSON in an argument, say) are left alone.
    static func placeholderNames(in argument: String) -> [String] {
        var names: [String] = []
        var rest = Substring(argument)
        while let open = rest.firstIndex(of: "{") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "}") else { break }
            let name = after[..<close]
            if !name.isEmpty, name.allSatisfy({ $0.isLowercase || $0 == "_" }) { names.append(String(name)) }
            rest = after
        }
        return names
    }

    /// Resolves a bare executable name through `PATH`, the way a shell would, but without one.
    func resolvedExecutable(environment: [String: String]) throws -> URL {
        if executable.contains("/") { return URL(fileURLWithPath: executable) }
        for directory in (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(executable)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return URL(fileURLWithPath: candidate) }
        }
        throw CommandTrainerError.badTemplate("executable '\(executable)' not found in PATH")
    }
}
