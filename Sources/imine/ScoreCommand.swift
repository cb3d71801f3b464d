import ArgumentParser
import Core
import Corpus
import Foundation
import Steps

/// `imine score`: every indicator for every example of the user's files, cached by content in the store.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Compute the indicators of any instruction dataset (cached by content; an interrupted run resumes).",
        discussion: """
            The indicators are notebook 01's, computed with the profile's models (its tokenizer,
            base model, MiniLM, reward model and KNN reference pool), which are trained or
            reused first. Every value is stored under (example content hash × indicator
            variant), so a second run on the same or an overlapping file computes only what
            is new, and a run stopped at any point resumes where it stopped.

              imine score alpaca.json -o scores.jsonl
              imine score a.jsonl.gz b.json --indicators mtld,reward -o scores.csv
              imine score mine.json --map instruction=q,response=a --skip-bad -o s.jsonl
            """)

    @OptionGroup var input: MiningOptions
    @OptionGroup var storeOptions: StoreOptions

    @Option(name: .long, help: ArgumentHelp("Comma-separated indicator names (default: all).", valueName: "names"))
    var indicators: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("The scores file: .jsonl or .csv.", valueName: "path"))
    var output: String

    @Option(name: .long, help: ArgumentHelp("Also write the KNN reference pool (knn-pool.jsonl) and the reward model (reward-model.json) into this folder, for a reference implementation.", valueName: "folder", visibility: .hidden))
    var exportReference: String?

    @Option(name: .long, help: ArgumentHelp("Examples per committed batch (a stopped run keeps every finished batch).", valueName: "n"))
    var batch = 1_000

    func run() throws {
        try reportingErrors {
            let format = try ScoreFile.format(ofPath: output)
            let data = try input.load()
            let setup = try input.setup(storeOptions, fittedRule: false)
            let scorer = try ExampleScorer(setup)
            guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
            scorer.chunkSize = batch
            if let folder = exportReference {
                let bundle = try scorer.referenceBundle()
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try writeAtomically(try Corpus.Export.data(bundle.knnPool, as: .jsonl), to: folder + "/knn-pool.jsonl")
                try writeAtomically(bundle.rewardModel, to: folder + "/reward-model.json")
            }
            let names = indicators.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } } ?? scorer.names
            let columns = try scorer.score(data.examples, indicators: names, log: { FileHandle.standardError.write(Data("\($0)\n".utf8)) })
            try writeAtomically(try ScoreFile.data(data.examples, columns: columns, names: names, format: format), to: output)
            print("wrote \(data.examples.count) examples × \(names.count) indicators to \(output) (\(data.exactDuplicates) exact duplicates removed, \(data.skipped.count) bad records skipped)")
        }
    }
}
