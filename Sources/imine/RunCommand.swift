import ArgumentParser
import Foundation
import Store
import Workbench

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the stale cells of notebooks in dependency order and render them.",
        discussion: """
            Every notebook is checked first: steps exist, parameters have the right
            types, `uses:` names existing cells, no cycles. A problem stops everything
            before any cell runs, naming file and line.

            A cell runs only if no result is stored under its cache key (step name
            and version, parameters, inputs' outputs, the profile values it reads).
            Each finished cell is saved at once, so an interrupted run resumes where
            it stopped. Output: out/<notebook>/<notebook>.md and .html, and
            figures/<notebook>/.

            Examples:
              imine run notebooks/01-data-and-indicators.md
              imine run --profile tiny              every notebook, test scale
              imine run --force notebooks/02-rule-fit.md
                                                    re-run every cell of it
            """)

    @OptionGroup var notebook: NotebookOptions
    @OptionGroup var storeOptions: StoreOptions

    @Flag(name: .long, help: "Run every cell of the named notebooks even if a fresh result is stored.")
    var force = false

    func run() throws {
        try reportingErrors {
            let (profile, plan, runner) = try notebook.runner(storeOptions)
            runner.stopOnSignals()
            let summary = try runner.run(plan, force: force)
            print("ran \(summary.ran.count), reused \(summary.cached.count) cached, failed \(summary.failed.count), skipped \(summary.skipped.count) (profile \(profile.name))")
            for url in summary.rendered { print("wrote \(url.path)") }
            if !summary.succeeded {
                for (cell, message) in summary.failed { print("failed: \(cell): \(message)") }
                throw fail("some cells failed; fix them and run again (finished cells are kept)", .cellsFailed)
            }
        }
    }
}
