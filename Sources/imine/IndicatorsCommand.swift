import ArgumentParser
import Core
import Foundation
import Indicators
import Steps
import Store

/// `imine indicators import`: scores computed elsewhere (UniEval or a large reward model on a GPU) into the store,
/// where `imine mine` and the notebooks find them under their own variant.
struct IndicatorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicators",
        abstract: "Import indicator values computed elsewhere (CSV or JSONL).",
        subcommands: [Import.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import one indicator's values; every row is checked against the store's examples and nothing is written on any error.",
            discussion: """
                Rows name their example by id (the content hash `imine score` writes), by
                content (instruction, input and response fields), or by position in an
                ingested dataset.

                  imine indicators import unieval.csv --name unieval_naturalness \\
                      --source "UniEval-dialog run 3" --value-field naturalness --id-field id
                  imine indicators import r.jsonl --name reward_oasst --source oasst-pythia-1.4b \\
                      --value-field reward --content instruction,input,output
                """)

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("The scores file (.csv or .jsonl).", valueName: "file")) var file: String
        @Option(name: .long, help: "The indicator's name (a rule names it so).") var name: String
        @Option(name: .long, help: "Where the values come from (model, run); part of the variant.") var source: String
        @Option(name: .long, help: "The field holding the value.") var valueField: String
        @Option(name: .long, help: "The field holding the example id.") var idField: String?
        @Option(name: .long, help: ArgumentHelp("The fields holding the example's text: INSTRUCTION,INPUT,RESPONSE.", valueName: "fields")) var content: String?
        @Option(name: .long, help: ArgumentHelp("The field holding the 0-based position in --dataset.", valueName: "field")) var positionField: String?
        @Option(name: .long, help: "An ingested dataset, for --position-field.") var dataset: String?
        @Option(name: .long, help: ArgumentHelp("What the indicator reads: \(IndicatorVariant.TextField.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "field"))
        var textField = "response"
        @Option(name: .long, help: "A pool whose members must all receive a value.") var pool: String?
        @Flag(name: .long, help: "Accept a file that leaves expected examples without a value.") var allowMissing = false

        func run() throws {
            try reportingErrors {
                guard let field = IndicatorVariant.TextField(rawValue: textField) else {
                    throw InputError(file: "--text-field", "unknown text field '\(textField)'")
                }
                let key: IndicatorImport.Key
                switch (idField, content, positionField) {
                case (let id?, nil, nil): key = .exampleID(field: id)
                case (nil, let fields?, nil):
                    let parts = fields.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                    guard parts.count == 3 else { throw InputError(file: "--content", "expected INSTRUCTION,INPUT,RESPONSE field names") }
                    key = .content(instruction: parts[0], input: parts[1], response: parts[2])
                case (nil, nil, let position?):
                    guard let dataset else { throw InputError(file: "--dataset", "--position-field needs --dataset") }
                    key = .position(field: position, dataset: dataset)
                default: throw InputError(file: "(command line)", "give exactly one of --id-field, --content and --position-field")
                }
                let spec = IndicatorImport(name: name, textField: field, source: source, key: key, valueField: valueField, allowMissing: allowMissing)
                let store = try WorkbenchStore.open(storeOptions.paths.store)
                let result: IndicatorImport.Result
                do { result = try store.importIndicator(spec, from: URL(fileURLWithPath: file), expectedPool: pool) } catch let failure as IndicatorImport.Failure {
                    throw fail("\(failure)", .badInput)
                } catch let error as IndicatorStoreError {
                    throw fail("\(file): \(error)", .badInput)
                }
                print("imported \(result.values.count) values of \(name) (variant \(result.variant.key.prefix(12)))" + (result.missing.isEmpty ? "" : "; \(result.missing.count) expected examples have none"))
            }
        }
    }
}
