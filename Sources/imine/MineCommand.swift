import ArgumentParser
import Core
import Corpus
import Foundation
import Steps

/// `imine mine`: rank any instruction dataset with a rule and write the best part for a trainer, with a report.
struct MineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mine",
        abstract: "Rank a dataset by a rule's predicted loss and write the top k for LLaMA-Factory, axolotl or TRL, with a report.",
        discussion: """
            --rule fitted      the rule notebook 02 fits under the profile (run or reused first)
            --rule paper-v1    the paper's published rule (reward, output length, KNN-6)
            --rule paper-v2    the paper's UniEval rule (judge_* indicators under a real indicators.lm, or imported UniEval scores)
            --rule RULE.yaml   a rule exported with `imine rule export`

            --search chooses k by the notebooks' subset-size search (the profile's
            blendsearch settings and oracle): each trial finetunes the profile's base
            model on the top k and measures the eval loss on the profile's self-instruct
            pool, or on --eval FILE (read like the data files). The trials and the chosen
            k go into the report; finetunes are kept in the store, so a rerun reads them back.

            Ties in the ranking keep input order and near-duplicates of better-ranked
            examples are skipped, so the same input and rule give the same bytes. Beside
            OUT: OUT.report.md, OUT.report.html and OUT.report-figures/.

              imine mine alpaca.json --rule paper-v1 --top 1000 -o top1k.json
              imine mine chats.jsonl --rule fitted --fraction 0.1 --format sharegpt -o top.json
              imine mine alpaca.json --rule fitted --search --eval my-eval.jsonl -o best.json
            """)

    @OptionGroup var input: MiningOptions
    @OptionGroup var storeOptions: StoreOptions

    @Option(name: .long, help: ArgumentHelp("fitted, paper-v1, paper-v2 or a RULE.yaml file.", valueName: "rule"))
    var rule: String

    @Option(name: .long, help: ArgumentHelp("Keep the best K examples.", valueName: "K")) var top: Int?
    @Option(name: .long, help: ArgumentHelp("Keep the best share F of the examples, 0 < F ≤ 1 (rounded up).", valueName: "F")) var fraction: Double?

    @Flag(name: .long, help: "Choose k by the subset-size search (finetunes through the profile's oracle).")
    var search = false

    @Option(name: .customLong("eval"), help: ArgumentHelp("With --search: the evaluation set whose loss the search minimises (default: the profile's).", valueName: "file"))
    var evaluationFile: String?

    @Option(name: .long, help: ArgumentHelp("alpaca, jsonl or sharegpt.", valueName: "format")) var format = "alpaca"

    @Option(name: .shortAndLong, help: ArgumentHelp("The subset's file.", valueName: "path"))
    var output: String

    func run() throws {
        try reportingErrors {
            guard let exportFormat = ExportFormat(rawValue: format) else { throw ValidationError("--format must be alpaca, jsonl or sharegpt") }
            let data = try input.load()
            if search && (top != nil || fraction != nil) { throw ValidationError("give one of --top K, --fraction F and --search") }
            if evaluationFile != nil && !search { throw ValidationError("--eval FILE needs --search") }
            let evaluation = try evaluationFile.map { (label: $0, examples: try input.load([$0]).examples) }
            let count = search ? data.examples.count : try MiningSelection.count(top: top, fraction: fraction, total: data.examples.count)
            let setup = try input.setup(storeOptions, fittedRule: rule == "fitted")
            let scorer = try ExampleScorer(setup)
            let choice = try RuleChoice(rule, setup: setup, scorer: scorer)
            let columns = try choice.values(data.examples, scorer: scorer, store: setup.store, log: { FileHandle.standardError.write(Data("\($0)\n".utf8)) })
            var selection = MiningSelection(examples: data.examples, columns: columns, rule: choice.rule, count: count)
            var searched: MiningSearch?
            if search {
                let found = try MiningSearch(setup: setup, ranked: selection.selected.map { data.examples[$0] }, evaluation: evaluation,
                                             log: { FileHandle.standardError.write(Data("\($0)\n".utf8)) })
                selection = MiningSelection(examples: data.examples, columns: columns, rule: choice.rule, count: found.bestK)
                searched = found
                print("search (\(found.searcher), \(found.rows.count) trials): chosen k = \(found.bestK)")
            }
            try writeAtomically(try Export.data(selection.selected.map { data.examples[$0] }, as: exportFormat), to: output)
            let report = MiningReport(files: data, columns: columns, rule: choice.rule, selection: selection, output: output, search: searched)
            let written = try report.write()
            print("wrote the best \(selection.selected.count) of \(data.examples.count) examples to \(output) (\(exportFormat.rawValue)); rule: \(choice.rule.equation)")
            print("removed: \(data.exactDuplicates) exact duplicates, \(selection.nearDuplicates.count) near-duplicates; skipped \(data.skipped.count) bad records")
            if !report.outsideFitRange.isEmpty {
                print("warning: the selection's mean \(report.outsideFitRange.joined(separator: ", ")) lies outside the rule's fit range: the ranking extrapolates (see the report)")
            }
            for url in written { print("report: \(url.path)") }
        }
    }
}
