import ArgumentParser
import Core
import Corpus
import Foundation
import Steps
import Store
import Workbench

/// `imine data`: the datasets, their checks, the store's copy of them, the pools, and exports.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "List, inspect, validate and ingest the datasets; build and check the pools; export subsets.",
        discussion: """
            The data folder is --data PATH, else $IMINE_DATA, else ./data; `make setup`
            fills it, and a missing file names its download URL.

              imine data list                   counts, licences, checksums vs MANIFEST.tsv
              imine data show lima/lima -n 2    print examples of a source
              imine data validate my.jsonl --map instruction=q,response=a
              imine data ingest --profile quick every source into the store
              imine data pools                  pool sizes and the leak check
              imine data export selection --format sharegpt -o selection.json
            """,
        subcommands: [List.self, Show.self, Validate.self, Ingest.self, Pools.self, Export.self])

    struct DataOptions: ParsableArguments {
        @Option(name: .long, help: ArgumentHelp("The data folder (default: $IMINE_DATA, else ./data).", valueName: "path"))
        var data: String?

        @Option(name: .long, help: ArgumentHelp("Profile whose data.max_response_chars drops over-long responses (\(ShippedProfiles.names); or a .yaml path); none: no limit.", valueName: "name"))
        var profile: String?

        @Flag(name: .long, help: "Reject a file with invalid UTF-8 instead of replacing the bad bytes with U+FFFD (counted).")
        var rejectInvalidUtf8 = false

        @Flag(name: .long, help: "Keep examples with empty responses instead of dropping them (counted).")
        var keepEmpty = false

        var folder: DataFolder { DataFolder.resolve(flag: data) }

        func policy() throws -> LoadPolicy {
            var policy = LoadPolicy(invalidUTF8: rejectInvalidUtf8 ? .reject : .replace, emptyResponse: keepEmpty ? .keep : .drop)
            if let profile {
                let paths = WorkbenchPaths(root: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
                policy.maxResponseChars = try paths.loadCheckedProfile(profile).int("data.max_response_chars")
            }
            return policy
        }
    }

    static func describe(_ report: LoadReport) -> String {
        var parts = ["\(report.records) \(report.unit)", "kept \(report.kept)"]
        if report.emptyResponsesDropped > 0 { parts.append("empty dropped \(report.emptyResponsesDropped)") }
        if report.overLongDropped > 0 { parts.append("over-long dropped \(report.overLongDropped)") }
        if report.invalidUTF8Repaired > 0 { parts.append("invalid UTF-8 repaired \(report.invalidUTF8Repaired)") }
        if report.duplicatesWithinFile > 0 { parts.append("duplicates within file \(report.duplicatesWithinFile)") }
        return parts.joined(separator: ", ")
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every catalogued source with its count, licence and checksum verified against MANIFEST.tsv.")
        @OptionGroup var options: DataOptions

        func run() throws {
            try reportingErrors {
                let statuses = try options.folder.inventory(policy: options.policy())
                let width = statuses.map(\.entry.name.count).max() ?? 0
                for status in statuses {
                    let mark = status.verified ? "ok  " : (status.stated == nil && status.problem == nil ? "?   " : "FAIL")
                    let counts = status.report.map(DataCommand.describe) ?? "-"
                    print("\(mark) \(status.entry.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(status.entry.format.rawValue) [\(status.entry.split)]  \(counts)  licence: \(status.licence)")
                    if let problem = status.problem { print("     \(problem)") }
                }
                let failed = statuses.filter { !$0.verified }.count
                print(failed == 0 ? "all \(statuses.count) sources verified against MANIFEST.tsv in \(options.folder.url.path)"
                                  : "\(failed) of \(statuses.count) sources not verified")
                if failed > 0 { throw ExitStatus.badInput.code }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the first examples (or pairs, documents) of a source.")
        @OptionGroup var options: DataOptions
        @Argument(help: "A source name from `imine data list` (a unique suffix such as claude_t45 is enough).") var source: String
        @Option(name: .shortAndLong, help: "How many to print.") var n = 3
        @Option(name: .long, help: "Skip this many first.") var offset = 0

        func run() throws {
            try reportingErrors {
                let file = try options.folder.load(named: source, policy: options.policy())
                print("\(file.name) (\(file.format.rawValue), \(file.licence)): \(DataCommand.describe(file.report))")
                func clip(_ text: String) -> String { text.count > 600 ? String(text.prefix(600)) + " …" : text }
                for example in file.examples.dropFirst(offset).prefix(n) {
                    print("--- \(example.id.prefix(12)) [\(example.split)]")
                    for turn in example.turns { print("  (\(turn.role)) \(clip(turn.text))") }
                    print("instruction: \(clip(example.instruction))")
                    if !example.input.isEmpty { print("input: \(clip(example.input))") }
                    print("response: \(clip(example.response))")
                }
                for judged in file.judged.dropFirst(offset).prefix(n) {
                    print("--- \(judged.desirable ? "desirable" : "undesirable"): \(clip(judged.example.instruction)) → \(clip(judged.example.response))")
                }
                for pair in file.preferences.dropFirst(offset).prefix(n) {
                    print("--- prompt: \(clip(pair.prompt.last?.text ?? ""))\n  chosen: \(clip(pair.chosenText))\n  rejected: \(clip(pair.rejectedText))")
                }
                for document in file.documents.dropFirst(offset).prefix(n) { print("--- \(clip(document.text))") }
                for (name, json) in file.attachments.sorted(by: { $0.key < $1.key }).dropFirst(offset).prefix(n) { print("--- \(name): \(clip(json))") }
            }
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a file without ingesting it: every record, with the error's line, JSON path and field.")
        @OptionGroup var options: DataOptions
        @Argument(help: "The file to check.") var file: String
        @Option(name: .long, help: ArgumentHelp("One of: \(DataFormat.allCases.map(\.rawValue).joined(separator: ", ")) (default: guessed).", valueName: "format"))
        var format: String?
        @Option(name: .long, help: ArgumentHelp("Field mapping for --format mapped: instruction=F,input=F,response=F[,history=F].", valueName: "mapping"))
        var map: String?

        func run() throws {
            try reportingErrors {
                let url = URL(fileURLWithPath: file)
                let chosen: DataFormat
                if let format {
                    guard let parsed = DataFormat(rawValue: format) else { throw ValidationError("unknown format '\(format)'; one of \(DataFormat.allCases.map(\.rawValue).joined(separator: ", "))") }
                    chosen = parsed
                } else if map != nil {
                    chosen = .mapped
                } else {
                    let head = try RecordReader.bytes(of: url, display: file).prefix(4096)
                    chosen = DataFormat.guess(path: file, firstBytes: Array(head))
                }
                let mapping = try map.map { try FieldMapping(parsing: $0) }
                let loaded = try Loader(policy: options.policy()).load(url, display: file, name: CatalogEntry.name(ofPath: url.lastPathComponent), format: chosen, licence: "unknown", mapping: mapping)
                print("valid \(chosen.rawValue): \(DataCommand.describe(loaded.report)); sha256 \(loaded.sha256)")
            }
        }
    }

    struct Ingest: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Load sources into the store, one transaction per file (all catalogued sources by default).")
        @OptionGroup var options: DataOptions
        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "Source names (default: all).") var sources: [String] = []
        @Flag(name: .long, help: "Accept a source that loads to no records, to fewer than MANIFEST.tsv says, or to fewer than the store holds (it replaces the stored copy).")
        var allowShrink = false

        func run() throws {
            try reportingErrors {
                let policy = try options.policy()
                let entries = try sources.isEmpty ? Catalog.entries : sources.map { name in
                    guard let entry = Catalog.entry(named: name) else { throw InputError(file: name, "unknown source; `imine data list` shows the names") }
                    return entry
                }
                let store = try WorkbenchStore.open(storeOptions.paths.store)
                var files: [LoadedFile] = []
                var failures: [Error] = []
                for entry in entries {
                    do {
                        let file = try Corpus.Ingest.ingest(entry, from: options.folder, into: store, policy: policy, allowShrink: allowShrink)
                        files.append(file)
                        print("ingested \(entry.name): \(DataCommand.describe(file.report))")
                    } catch {
                        failures.append(error)
                        FileHandle.standardError.write(Data("imine: \(entry.name) not ingested, nothing of it was stored: \(error)\n".utf8))
                    }
                }
                for duplicate in Duplicates.across(files) { print("duplicates: \(duplicate.first) ∩ \(duplicate.second) = \(duplicate.shared)") }
                print("store \(storeOptions.paths.store): \(try Corpus.Ingest.tableCounts(in: store).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
                if failures.contains(where: { $0 is ShrinkError }) { throw ExitStatus.wouldLoseData.code }
                if failures.contains(where: { $0 is StoreError }) { throw ExitStatus.storeRefused.code }
                if !failures.isEmpty { throw ExitStatus.badInput.code }
            }
        }
    }

    struct Pools: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Build the pools of paper-repro/pools.yaml, print their sizes, removals and leak checks; exit 4 on a leak.")
        @OptionGroup var options: DataOptions
        @Option(name: .long, help: ArgumentHelp("The pool spec.", valueName: "path")) var spec = "paper-repro/pools.yaml"

        func run() throws {
            try reportingErrors {
                let poolSpec = try PoolSpec.load(path: spec)
                let set: PoolSet
                do { set = try Corpus.Pools.load(dataDirectory: options.folder.url, spec: poolSpec, policy: options.policy()) } catch let leak as PoolLeakError {
                    print(leak.description)
                    throw ExitStatus.poolLeak.code
                }
                for pool in set.pools {
                    print("\(pool.name) [\(pool.role.rawValue)]: \(pool.itemCount)")
                    for (source, count) in pool.countsBySource { print("    \(count)\t\(source)") }
                }
                for removal in set.report.removals { print("removed \(removal.count) from \(removal.pool) (\(removal.source)): already in \(removal.against)") }
                for (pool, count) in set.report.duplicatesWithinPool.sorted(by: { $0.key < $1.key }) { print("exact duplicates dropped inside \(pool): \(count)") }
                print("leak checks: \(set.report.checks.count) run, \(set.report.leaks.count) failed")
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a pool or a source as Alpaca JSON, JSONL or ShareGPT for LLaMA-Factory, axolotl or TRL.")
        @OptionGroup var options: DataOptions
        @Argument(help: "A pool name from the spec, or a source name.") var subset: String
        @Option(name: .long, help: ArgumentHelp("alpaca, jsonl or sharegpt.", valueName: "format")) var format = "alpaca"
        @Option(name: .shortAndLong, help: ArgumentHelp("Output file.", valueName: "path")) var output: String
        // Unconditional: `--limit -1` is a bad value (said so), not a missing one.
        @Option(name: .long, parsing: .unconditional, help: "Only the first N examples (0 or more).") var limit: Int?
        @Option(name: .long, help: ArgumentHelp("The pool spec.", valueName: "path")) var spec = "paper-repro/pools.yaml"

        func run() throws {
            try reportingErrors {
                guard let exportFormat = ExportFormat(rawValue: format) else { throw ValidationError("--format must be alpaca, jsonl or sharegpt") }
                if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more, not \(limit)") }
                var examples: [Example]
                let poolSpec = try? PoolSpec.load(path: spec)
                if let poolSpec, poolSpec.pools.contains(where: { $0.name == subset }) {
                    examples = try Corpus.Pools.load(dataDirectory: options.folder.url, spec: poolSpec, policy: options.policy())[subset]!.examples
                } else {
                    examples = try options.folder.load(named: subset, policy: options.policy()).examples
                }
                if let limit { examples = Array(examples.prefix(limit)) }
                try Corpus.Export.write(examples, as: exportFormat, to: URL(fileURLWithPath: output))
                print("wrote \(examples.count) examples to \(output) (\(exportFormat.rawValue))")
            }
        }
    }
}
