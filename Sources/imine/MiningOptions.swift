import ArgumentParser
import Core
import Corpus
import Foundation
import Steps
import Store
import Workbench

/// What `imine score` and `imine mine` read: the user's files, how to read them, and the profile whose models score.
struct MiningOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Data files: Alpaca or ShareGPT/OpenAI-messages JSON or JSONL, gzip or not.", valueName: "file"))
    var files: [String] = []

    @Option(name: .long, help: ArgumentHelp("Field mapping for other JSON: instruction=F,response=F[,input=F][,history=F].", valueName: "mapping"))
    var map: String?

    @Option(name: .long, help: ArgumentHelp("Input format: \(UserFiles.formats.map(\.rawValue).joined(separator: ", ")) (default: guessed per file).", valueName: "format"))
    var inputFormat: String?

    @Flag(name: .long, help: "Skip records that are malformed (each is reported with file, line and field) instead of stopping.")
    var skipBad = false

    @Option(name: .long, help: ArgumentHelp("Profile whose models compute the indicators (\(ShippedProfiles.names); or a .yaml path).", valueName: "name"))
    var profile = "quick"

    /// Loads the files and reports on stderr what was skipped.
    func load() throws -> UserFiles { try load(files) }

    /// Loads `paths` with these options (format, mapping, --skip-bad): the data files, or an evaluation file.
    func load(_ paths: [String]) throws -> UserFiles {
        var format: DataFormat?
        if let inputFormat {
            guard let parsed = DataFormat(rawValue: inputFormat) else {
                throw InputError(file: "--input-format", "unknown format '\(inputFormat)'; one of \(UserFiles.formats.map(\.rawValue).joined(separator: ", "))")
            }
            format = parsed
        }
        let data = try UserFiles.load(paths, format: format, mapping: try map.map { try FieldMapping(parsing: $0) }, skipBadRecords: skipBad)
        if !data.skipped.isEmpty {
            let shown = data.skipped.prefix(20).map { "  \($0)" }.joined(separator: "\n")
            let more = data.skipped.count > 20 ? "\n  … and \(data.skipped.count - 20) more" : ""
            FileHandle.standardError.write(Data("imine: skipped \(data.skipped.count) bad record(s) (--skip-bad):\n\(shown)\(more)\n".utf8))
        }
        guard !data.examples.isEmpty else { throw InputError(file: paths.joined(separator: ", "), "holds no usable examples") }
        return data
    }

    /// Runs (or reuses) the profile's notebooks and returns their models, ready to score.
    func setup(_ storeOptions: StoreOptions, fittedRule: Bool) throws -> MiningSetup {
        try Self.setup(profile: profile, storeOptions, fittedRule: fittedRule)
    }

    static func setup(profile name: String, _ storeOptions: StoreOptions, fittedRule: Bool) throws -> MiningSetup {
        let paths = storeOptions.paths
        let profile = try paths.loadCheckedProfile(name)
        return try MiningSetup(paths: paths, profile: profile, store: try WorkbenchStore.open(paths.store), registry: try registeredSteps(),
                               fittedRule: fittedRule, log: { FileHandle.standardError.write(Data("\($0)\n".utf8)) })
    }
}

/// Writes `data` to `path` atomically (a temporary file in the same folder, then a rename): a reader never sees a
/// half-written file, and an interrupted write leaves the old file as it was.
func writeAtomically(_ data: Data, to path: String) throws {
    do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
        throw InputError(file: path, "cannot be written: \(FileReading.describe(error))")
    }
}
