import ArgumentParser
import Foundation

/// `imine`: the InstructMining workbench's command-line tool.
@main
struct IMine: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imine",
        abstract: "Reproduce and audit InstructMining (arXiv 2307.06290): run notebooks of analysis steps, cached in SQLite.",
        discussion: """
            Notebooks are Markdown files under notebooks/ with ```step cells.
            A typical session:

              imine steps
                  list the steps a notebook cell may name
              imine status notebooks/01-data-and-indicators.md
                  which cells are fresh, stale or missing
              imine run notebooks/01-data-and-indicators.md
                  run the stale cells; render out/<notebook>/<notebook>.{md,html}
              imine run --profile tiny
                  every notebook at test scale (profiles: \(ShippedProfiles.names))
              imine figures --preview double-descent
                  look at a figure in the terminal
              imine lm info --model gemma-3-270m
                  a real GGUF model's metadata (also: lm perplexity, lm generate)

            Results live in .imine/store.sqlite (--store for another file);
            figures in figures/<notebook>/.

            Errors are one `imine: <what, where>` message on stderr.
            """ + "\n" + ExitStatus.table,
        version: "0.1.0",
        subcommands: IMine.subcommands
    )

    // ┌──────────────────────────────────────────────────────────────────────────────────────────────┐
    // │ SUBCOMMANDS: add yours here (one file per command in Sources/imine/, e.g. DataCommand.swift). │
    // └──────────────────────────────────────────────────────────────────────────────────────────────┘
    static let subcommands: [ParsableCommand.Type] = [
        RunCommand.self,
        StatusCommand.self,
        StepsCommand.self,
        FiguresCommand.self,
        DataCommand.self,
        FinetuneJobCommand.self,
        SweepCommand.self,
        ScoreCommand.self,
        MineCommand.self,
        RuleCommand.self,
        IndicatorsCommand.self,
        LMCommand.self,
    ]
}
