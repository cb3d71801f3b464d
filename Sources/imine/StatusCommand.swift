import ArgumentParser
import Foundation
import Store
import Workbench

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each cell as fresh, stale or missing, without running anything.",
        discussion: """
            fresh    a result under the cell's current cache key is stored;
                     `imine run` would reuse it.
            stale    the cell ran before, but its step version, parameters,
                     inputs or profile values changed.
            missing  the cell never finished.
            Status depends on the profile (--profile): cells read profile values.
            """)

    @OptionGroup var notebook: NotebookOptions
    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        try reportingErrors {
            let (profile, plan, runner) = try notebook.runner(storeOptions)
            let states = try runner.status(plan)
            let width = states.map(\.key.count).max() ?? 0
            for state in states {
                let key = state.key.padding(toLength: width, withPad: " ", startingAt: 0)
                let reason = state.reason.isEmpty ? "" : "  (\(state.reason))"
                print("\(state.freshness.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(key)  \(state.step)\(reason)")
            }
            let stale = states.filter { $0.freshness != .fresh }.count
            print(stale == 0 ? "all \(states.count) cells fresh (profile \(profile.name))"
                             : "\(stale) of \(states.count) cells to run (profile \(profile.name)): imine run --profile \(notebook.profile) ...")
        }
    }
}
