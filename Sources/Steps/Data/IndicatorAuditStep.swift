import Core
import Corpus
import Foundation
import Indicators
import Neural
import Training
import Workbench

struct IndicatorAuditPayload: Codable {
    var probes: [IndicatorAudit.Row]
    var filtered: [IndicatorAudit.Row]
}

/// Audits the indicators on data of known quality: eight models' answers to the 252 self-instruct instructions, and
/// AlpaGasus/Cherry-filtered Alpaca against random Alpaca.
///
/// Version 2: the IFD row is the ratio of the mean losses (see ``IndicatorsStep``), no longer of the perplexities.
/// Version 3: the judge indicators join the audit under a real `indicators.lm` (see ``IndicatorsStep``).
/// Version 4: so does `reward_lm`, the reward head on that model's hidden states.
/// Version 5: ρ over examples gets a permutation p, a bootstrap interval and a verdict (Holm over each table).
/// Version 6: the payload's rows no longer store ρ over examples twice (it is their association's); values unchanged.
enum IndicatorAuditStep: ScoringStep {
    static let name = "indicators.audit"
    static let version = 6
    static let summary = "Mean of each indicator per known-quality group, its Spearman correlation with the quality order, and whether that is more than chance."
    static let inputs = StepInputs.reads(PoolsStep.self, RewardModelStep.self, PretrainStep.self, TokenizerStep.self)
    static let profileKeys = ["indicators", "audits.permutations", "audits.bootstrap"]

    static func run(_ context: StepContext) throws -> StepOutput {
        BLAS.pinForReproducibility()
        let pools = try PoolsRef(context)
        let perGroup = try context.profile.int("indicators.audit_per_group")
        var random = context.random("audit-sample")
        func sample(_ xs: [Example]) -> [Example] {
            xs.count <= perGroup ? xs : random.sample(perGroup, from: xs.count).sorted().map { xs[$0] }
        }
        let probes = try pools.pool("probes").examples
        let probeGroups = Catalog.probeModels.map { model, tier in
            AuditGroup(name: model, tier: tier, examples: sample(probes.filter { Catalog.probeModel(ofSource: $0.source) == model }))
        }
        let training = try pools.examples("rule-fit") + pools.examples("selection")
        let filteredGroups = [
            AuditGroup(name: "Alpaca random 9k", tier: 0, examples: sample(training.filter { $0.source.hasSuffix("random_9k") })),
            AuditGroup(name: "AlpaGasus helpfulness ≥ 4.5", tier: 1, examples: sample(training.filter { $0.source.hasSuffix("helpfulness_t45") })),
            AuditGroup(name: "AlpaGasus Claude ≥ 4.5", tier: 1, examples: sample(training.filter { $0.source.hasSuffix("claude_t45") })),
            AuditGroup(name: "Cherry 5% (IFD)", tier: 1, examples: sample(training.filter { $0.source.contains("cherry") })),
        ].filter { !$0.examples.isEmpty }

        let catalog = try ScoringLMs.catalog(context.profile)
        let permutations = try context.profile.int("audits.permutations"), replicates = try context.profile.int("audits.bootstrap")
        let directions = Dictionary(uniqueKeysWithValues: catalog.entries.compactMap { i in i.qualityDirection.map { (i.name, $0) } })

        // Every indicator of the catalog over the audited examples; KNN-i within them (the paper's "pool = the
        // dataset being scored"). An example without a value (MTLD of a response without words) is left out.
        func audit(_ groups: [AuditGroup]) throws -> [IndicatorAudit.Row] {
            let all = groups.flatMap(\.examples)
            let inputs = try IndicatorInputs.prepare(catalog, examples: all, referenceCount: all.count, referenceLabel: "audited", context: context)
            var row: [String: Int] = [:]
            for (r, example) in all.enumerated() where row[example.id] == nil { row[example.id] = r }
            return try catalog.entries.map { indicator in
                let values = try indicator.compute(inputs).values
                return try IndicatorAudit.audit(indicator: indicator.name, groups: groups, permutations: permutations,
                                                replicates: replicates, seed: context.seed) { example in values[row[example.id]!] }
            }
        }
        let probeRows = try audit(probeGroups)
        let filteredRows = try audit(filteredGroups)
        func table(_ rows: [IndicatorAudit.Row], groups: [AuditGroup], title: String, note: String) -> Table {
            let verdicts = IndicatorAudit.verdicts(rows, directions: directions), adjusted = IndicatorAudit.adjustedP(rows)
            return Table(title: title, columns: ["indicator"] + groups.map { "\($0.name) (tier \($0.tier))" }
                            + ["ρ of means", "ρ over examples [95% interval]", "p (permutation)", "p (Holm)", "claim", "verdict"],
                  rows: rows.indices.map { i -> [String] in
                      let r = rows[i]
                      let means: [String] = r.groups.map { $0.mean.map { RegressionTables.significant($0) } ?? "—" }
                      let ofMeans: String = r.spearmanOfMeans.map { Table.number($0, digits: 3) } ?? "—"
                      var tail: [String] = [ofMeans, "—", "—", "—"]
                      if let a = r.association {
                          tail[1] = "\(Table.number(a.rho, digits: 3)) [\(Table.number(a.lower, digits: 3)), \(Table.number(a.upper, digits: 3))]"
                          tail[2] = Table.number(a.permutationP, digits: 4)
                      }
                      if let p = adjusted[i] { tail[3] = Table.number(p, digits: 4) }
                      return [r.indicator] + means + tail + [directions[r.indicator]?.rawValue ?? "none", verdicts[i].rawValue]
                  }, note: note + " ρ over examples: Spearman of each example's value against its group's tier; p: two-sided permutation test of no association (\(permutations) shuffles of the tiers), Holm-adjusted over this table's indicators; interval: percentile bootstrap (\(replicates) replicates, resampled within each tier). Verdict at Holm-adjusted p < 0.05; claim: the direction the indicator's source claims quality goes.")
        }
        let figure = FigureSpec(name: "indicator-audit", title: "Spearman correlation of each indicator with known quality",
                                xLabel: "", yLabel: "Spearman ρ (group means vs quality tier)",
                                series: [.init("self-instruct models", kind: .bars, points: probeRows.enumerated().map { .init(x: Double($0.offset) - 0.2, y: $0.element.spearmanOfMeans ?? 0) }),
                                         .init("filtered vs random Alpaca", kind: .bars, points: filteredRows.enumerated().map { .init(x: Double($0.offset) + 0.2, y: $0.element.spearmanOfMeans ?? 0) })],
                                horizontalLines: [.init(at: 0, label: "")],
                                xTickLabels: probeRows.enumerated().map { .init(at: Double($0.offset), label: $0.element.indicator) })
        let output = try StepOutput(payload: IndicatorAuditPayload(probes: probeRows, filtered: filteredRows))
            .table(table(probeRows, groups: probeGroups, title: "Eight models' answers to the 252 self-instruct instructions (up to \(perGroup) each)",
                         note: "Tiers: davinci 0 < davinci finetunes 1 < text-davinci-001 2 < -002 3 < -003 4. A useful quality indicator correlates with the tier; for loss-like indicators (perplexity) a negative ρ is the useful direction."))
            .table(table(filteredRows, groups: filteredGroups, title: "Filtered vs random Alpaca (up to \(perGroup) each)",
                         note: "AlpaGasus kept Alpaca examples a judge rated ≥ 4.5; Cherry kept the 5% with the highest IFD. Tier 1 = filtered, 0 = random."))
            .figure(figure)
        return catalog.needs.contains(.judge) ? output
            : output.text("Not computed: the judge indicators (UniEval-style naturalness, coherence, understandability) need indicators.lm to be a real GGUF model (the real profiles); this profile scores with MicroLM.")
    }
}
