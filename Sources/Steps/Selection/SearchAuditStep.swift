import Foundation
import Stats
import Workbench

/// Sets the search's trials against the size sweep's measured curve: the largest k tried, the share of the log
/// range covered, and whether the sweep shows a better k than the one reported (``SearchCoverage``). BlendSearch
/// starts at the cheap end and can stay there (issue #19); this step says so when it happens.
enum SearchAuditStep: Step {
    static let name = "search.audit"
    static let version = 1
    static let summary = "Audits the search over k against the size sweep: how far it explored, and whether the sweep shows a better k."
    static let inputs = StepInputs.reads(SubsetSizeSearchStep.self, SizeSweepStep.self)

    static func run(_ context: StepContext) throws -> StepOutput {
        let search = try context.input(SubsetSizeSearchStep.self, as: SearchPayload.self)
        let sweep = try context.input(SizeSweepStep.self, as: SweepPayload.self)
        let tried = search.trials.compactMap { $0.integer("k") }
        let coverage: SearchCoverage
        do {
            coverage = try SearchCoverage(triedK: tried, reportedK: search.bestK, kMin: search.kMin, kMax: search.kMax,
                                          sweepSizes: sweep.sizes, sweepLosses: sweep.losses("rule", set: Finetunes.mainSet))
        } catch let error as CoverageError {
            throw StepError.failed(step: name, error.description)
        }
        let rows = [
            ["searcher", search.searcher],
            ["range searched", "\(coverage.kMin) … \(coverage.kMax)"],
            ["trials (stop)", "\(search.trials.count) (\(search.stopReason.rawValue))"],
            ["smallest / largest k tried", "\(coverage.smallestTried) / \(coverage.largestTried)"],
            ["share of the log range spanned", Table.number(coverage.logRangeShare * 100, digits: 1) + "%"],
            ["reported best k", "\(coverage.reportedK)"],
            ["sweep's best size (mean ± sd over \(coverage.sweepSeeds) seeds)", "\(coverage.sweepBestSize): "
                + Table.meanSD(sweep.losses("rule", set: Finetunes.mainSet)[sweep.sizes.firstIndex(of: coverage.sweepBestSize)!])],
            ["sweep size nearest the reported k", "\(coverage.sweepSizeNearReported)"],
            ["sweep: best − nearest (± standard error)", Table.number(coverage.sweepDifference) + " ± " + Table.number(coverage.sweepDifferenceSE)],
            ["sweep shows a better k", coverage.sweepShowsBetterK ? "yes" : "no"],
        ]
        let curve = FigureSpec.Series("size sweep: rule top k (mean, band ±1 sd)", kind: .linesPoints, points: coverage.sweepSizes.indices.map { i in
            .init(x: coverage.sweepSizes[i], y: coverage.sweepMeans[i], low: coverage.sweepMeans[i] - coverage.sweepSDs[i],
                  high: coverage.sweepMeans[i] + coverage.sweepSDs[i])
        })
        let trials = FigureSpec.Series("\(search.searcher) trials (one seed each)", kind: .points, points: search.trials.compactMap { t in
            guard let k = t.integer("k"), let loss = t.objective else { return nil }
            return .init(x: k, y: loss)
        })
        let figure = FigureSpec(name: "search-audit", title: "The search's trials against the size sweep's curve (self-instruct loss)",
                                xLabel: "k (rule's top k, log scale)", yLabel: "eval loss", xLog: true, series: [curve, trials],
                                verticalLines: [.init(at: Double(coverage.reportedK), label: "reported k"),
                                                .init(at: Double(coverage.largestTried), label: "largest k tried")])
        return try StepOutput(payload: coverage)
            .table(Table(title: "How far the search explored, against the size sweep", columns: ["", "value"], rows: rows,
                         note: "The sweep compares only its sizes within the searched range. A better k: the sweep's mean loss at its best size is lower than at the size nearest the reported k by more than two standard errors."))
            .text("**Verdict.** " + coverage.verdict)
            .figure(figure)
    }
}
