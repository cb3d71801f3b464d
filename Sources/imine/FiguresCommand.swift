import ArgumentParser
import Foundation
import Steps
import Store
import Workbench

struct FiguresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figures",
        abstract: "Redraw every figure from stored results (nothing is recomputed), or preview one in the terminal.",
        discussion: """
            Each figure lives in figures/<notebook>/ as <name>.png, .svg and .pdf
            beside <name>.gp and <name>.dat. To restyle one by hand, edit its .gp
            and run `gnuplot <name>.gp` in that folder.

            Examples:
              imine figures                         redraw all stored figures
              imine figures --notebook 05-double-descent
              imine figures --preview double-descent
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(name: .long, help: ArgumentHelp("Only this notebook's figures.", valueName: "notebook"))
    var notebook: String?

    @Option(name: .long, help: ArgumentHelp("Print this figure (name or notebook/name) in the terminal instead.", valueName: "name"))
    var preview: String?

    func run() throws {
        try reportingErrors {
            let figures = Figures(store: try WorkbenchStore.open(storeOptions.paths.store), paths: storeOptions.paths)
            if let preview {
                print(try figures.preview(preview), terminator: "")
                return
            }
            let count = try figures.redrawAll(notebook: notebook)
            print(count == 0 ? "no stored figures yet: run a notebook first (imine run ...)"
                             : "redrew \(count) figure\(count == 1 ? "" : "s") under \(storeOptions.paths.figures.path)")
        }
    }
}
