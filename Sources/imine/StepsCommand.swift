import ArgumentParser
import Foundation
import Workbench

struct StepsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "steps",
        abstract: "List the steps a notebook cell may name, with their parameters and the profile keys they read.",
        discussion: "Give a step name for just that step: imine steps workbench.sleep")

    @Argument(help: "A step name (default: all).")
    var name: String?

    func run() throws {
        try reportingErrors {
            let registry = try registeredSteps()
            let steps = registry.all.filter { name == nil || $0.name == name }
            if let name, steps.isEmpty { throw fail("no step '\(name)'; run `imine steps` to list them", .badInput) }
            for step in steps {
                print("\(step.name) (version \(step.version))")
                if !step.summary.isEmpty { print("  \(step.summary)") }
                for spec in step.parameters {
                    let requirement = spec.defaultValue.map { "default \($0)" } ?? "required"
                    print("  params.\(spec.name): \(spec.type.phrase), \(requirement)\(spec.help.isEmpty ? "" : ". \(spec.help)")")
                }
                if !step.profileKeys.isEmpty { print("  reads profile: \(step.profileKeys.joined(separator: ", "))") }
                print("")
            }
        }
    }
}
