import ArgumentParser
import Foundation
import Steps

/// `imine rule`: the fitted rule as a file others can use with `imine mine --rule RULE.yaml`.
struct RuleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rule", abstract: "Export the fitted rule (indicators, exact variants, coefficients, fit range) as YAML.",
        subcommands: [Export.self])

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the rule notebook 02 fitted under the profile (run or reused first) as a small YAML file.",
            discussion: "  imine rule export --profile quick -o rule.yaml")

        @OptionGroup var storeOptions: StoreOptions
        @Option(name: .long, help: ArgumentHelp("Profile (\(ShippedProfiles.names); or a .yaml path).", valueName: "name"))
        var profile = "quick"
        @Option(name: .shortAndLong, help: ArgumentHelp("The rule file (.yaml).", valueName: "path"))
        var output: String

        func run() throws {
            try reportingErrors {
                let setup = try MiningOptions.setup(profile: profile, storeOptions, fittedRule: true)
                let rule = try RuleChoice("fitted", setup: setup, scorer: try ExampleScorer(setup)).rule
                try writeAtomically(Data(rule.yaml.utf8), to: output)
                print("wrote \(output): \(rule.equation)")
            }
        }
    }
}
