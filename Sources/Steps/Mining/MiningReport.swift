import Core
import Corpus
import Foundation
import Stats
import Workbench

/// The report `imine mine` writes beside its output: `OUT.report.md`, a self-contained `OUT.report.html`, and the
/// gnuplot figures (script, data, PNG, SVG, PDF) in `OUT.report-figures/`. It shows the distributions, where the
/// dataset and the selection lie against the range the rule was fitted on (outside it, the ranking extrapolates),
/// the best and worst examples, and the duplicates that were removed.
public struct MiningReport {
    public let files: UserFiles
    public let columns: [String: [Double]]
    public let rule: MiningRule
    public let selection: MiningSelection
    /// What the output was written to (named in the report).
    public let output: String
    /// The subset-size search that chose k (`imine mine --search`), if one ran.
    public let search: MiningSearch?

    public init(files: UserFiles, columns: [String: [Double]], rule: MiningRule, selection: MiningSelection, output: String, search: MiningSearch? = nil) {
        self.files = files
        self.columns = columns
        self.rule = rule
        self.selection = selection
        self.output = output
        self.search = search
    }

    /// The examples the rule ranked: the files' examples, each content once.
    public var examples: [Example] { files.examples }

    /// Writes the report files beside `output` and returns their URLs (Markdown, HTML).
    @discardableResult
    public func write() throws -> [URL] {
        let base = URL(fileURLWithPath: output)
        let folder = URL(fileURLWithPath: output + ".report-figures")
        var markdown = text(figureFolder: folder.lastPathComponent)
        for spec in figures() { try Gnuplot.render(script: try Gnuplot.write(spec, origin: "imine mine → \(base.lastPathComponent)", to: folder)) }
        let md = URL(fileURLWithPath: output + ".report.md"), html = URL(fileURLWithPath: output + ".report.html")
        try Data(markdown.utf8).write(to: md, options: .atomic)
        // The HTML embeds the SVGs, whose names the Markdown gives relative to the figure folder.
        markdown = markdown.replacingOccurrences(of: "](\(folder.lastPathComponent)/", with: "](")
        try Data(ReportPage.html(title: "Mining report: \(base.lastPathComponent)", markdown: markdown, folder: folder).utf8).write(to: html, options: .atomic)
        return [md, html]
    }

    /// The fit-range check: per indicator, the dataset's and the selection's mean against the fitted subsets'.
    public var outsideFitRange: [String] {
        rule.terms.compactMap { term in
            guard let range = term.fitRange else { return nil }
            let mean = Sample.mean(selection.selected.map { columns[term.name]![$0] })
            return mean < range[0] || mean > range[1] ? term.name : nil
        }
    }

    func text(figureFolder: String) -> String {
        let n = examples.count, k = selection.selected.count
        var lines = ["# Mining report: \(URL(fileURLWithPath: output).lastPathComponent)", ""]
        lines.append("The rule ranked \(n) examples by predicted log eval loss (lower is better) and kept the best \(k) in `\(output)`.")
        lines.append("")
        lines.append("**Rule:** \(rule.procedure): `\(rule.equation)`")
        lines.append("")
        lines += table(["input file", "records", "examples", "skipped (bad records)", "duplicates within file"],
                       files.files.map { [$0.path, "\($0.report.records)", "\($0.examples.count)", "\($0.skipped.count)", "\($0.report.duplicatesWithinFile)"] })
        lines.append("Exact duplicates removed (same content, any file): \(files.exactDuplicates). Near-duplicates skipped while selecting (same words, ignoring case and punctuation): \(selection.nearDuplicates.count).")
        lines.append("")
        if !files.skipped.isEmpty {
            lines.append("Skipped records (first 20 of \(files.skipped.count)):")
            lines.append("")
            lines += files.skipped.prefix(20).map { "- \($0.description)" }
            lines.append("")
        }
        if let search { lines += search.reportLines() }
        lines += ["## Where the data lies against the rule's fit range", ""]
        let warned = outsideFitRange
        if rule.terms.allSatisfy({ $0.fitRange == nil }) {
            lines.append("The rule carries no fit range (a published rule): whether it extrapolates here cannot be checked.")
        } else if warned.isEmpty {
            lines.append("The selection's mean of every indicator lies inside the range of subset means the rule was fitted on.")
        } else {
            lines.append("**Warning: extrapolation.** The selection's mean of \(warned.joined(separator: ", ")) lies outside the range of subset means the rule was fitted on; there the rule's ranking is an extrapolation, and in the workbench's own reproduction such a top k did worse than random.")
        }
        lines.append("")
        lines += table(["indicator", "coefficient", "fit range of subset means", "dataset mean", "selection mean", "examples outside the fit range"],
                       rule.terms.map { term in
            let all = columns[term.name]!, chosen = selection.selected.map { all[$0] }
            let mean = Sample.mean(all), picked = Sample.mean(chosen)
            guard let range = term.fitRange else { return [term.name, Self.number(term.coefficient), "not given", Self.number(mean), Self.number(picked), "—"] }
            let outside = all.filter { $0 < range[0] || $0 > range[1] }.count
            return [term.name, Self.number(term.coefficient), "\(Self.number(range[0])) – \(Self.number(range[1]))", Self.number(mean),
                    Self.number(picked) + " (\(Self.distance(picked, range, term.fitSD)))", "\(outside) of \(all.count)"]
        })
        lines.append("In brackets: how far the selection's mean lies outside the fit range, in standard deviations of the fitted subsets' means.")
        lines.append("")
        lines += ["## Distributions", ""]
        for spec in figures() { lines += ["![\(spec.title)](\(figureFolder)/\(spec.name).svg)", ""] }
        lines += ["## Best and worst examples", ""]
        for (title, indices) in [("Best 5 (kept first)", Array(selection.ranking.prefix(5))), ("Worst 5", Array(selection.ranking.suffix(5).reversed()))] {
            lines += ["### \(title)", ""]
            lines += table(["predicted log loss", "instruction", "response"], indices.map {
                [Self.number(selection.predicted[$0]), Self.clip(examples[$0].promptText), Self.clip(examples[$0].response)]
            })
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func figures() -> [FigureSpec] {
        var specs = [histogram(name: "predicted-log-loss", title: "Predicted log loss: dataset and selection", label: "predicted log loss",
                               all: selection.predicted, chosen: selection.selected.map { selection.predicted[$0] }, range: nil)]
        for (i, term) in rule.terms.enumerated() {
            let all = columns[term.name]!
            specs.append(histogram(name: "indicator-\(i + 1)", title: "\(term.name): dataset, selection and the rule's fit range", label: term.name,
                                   all: all, chosen: selection.selected.map { all[$0] }, range: term.fitRange))
        }
        if let search { specs.append(search.figure()) }
        return specs
    }

    private func histogram(name: String, title: String, label: String, all: [Double], chosen: [Double], range: [Double]?) -> FigureSpec {
        let lo = all.min() ?? 0, hi = all.max() ?? 1
        let bins = 30, width = hi > lo ? (hi - lo) / Double(bins) : 1
        func shares(_ xs: [Double]) -> [FigureSpec.Point] {
            var counts = [Int](repeating: 0, count: bins)
            for x in xs { counts[min(bins - 1, max(0, Int((x - lo) / width)))] += 1 }
            return counts.indices.map { FigureSpec.Point(x: lo + (Double($0) + 0.5) * width, y: Double(counts[$0]) / Double(max(xs.count, 1))) }
        }
        let markers = range.map { [FigureSpec.Marker(at: $0[0], label: "fit min"), FigureSpec.Marker(at: $0[1], label: "fit max")] } ?? []
        return FigureSpec(name: name, title: title, xLabel: label, yLabel: "share of examples",
                          series: [.init("dataset (\(all.count))", kind: .linesPoints, points: shares(all)),
                                   .init("selection (\(chosen.count))", kind: .linesPoints, points: shares(chosen))],
                          verticalLines: markers)
    }

    private func table(_ header: [String], _ rows: [[String]]) -> [String] {
        func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "│").replacingOccurrences(of: "\n", with: " ") }
        func line(_ cells: [String]) -> String { "| " + cells.map(cell).joined(separator: " | ") + " |" }
        let rule = "|" + String(repeating: " --- |", count: header.count)
        return [line(header), rule] + rows.map(line) + [""]
    }

    static func number(_ x: Double) -> String { String(format: "%.4g", x) }
    static func clip(_ text: String) -> String { text.count > 240 ? String(text.prefix(240)) + " …" : text }
    static func distance(_ x: Double, _ range: [Double], _ sd: Double?) -> String {
        let beyond = x < range[0] ? range[0] - x : x > range[1] ? x - range[1] : 0
        guard beyond > 0 else { return "inside" }
        guard let sd, sd > 0 else { return x < range[0] ? "below" : "above" }
        return (x < range[0] ? "−" : "+") + String(format: "%.1f", beyond / sd) + " sd"
    }
}
