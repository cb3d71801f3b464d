import Workbench

/// Every step the reproduction's notebooks may name. The `imine` tool registers these beside the workbench's own.
public enum StepCatalog {
    public static let all: [any Step.Type] = [
        // 01: data, base model, indicators
        PoolsStep.self, TokenizerStep.self, PretrainStep.self, RewardModelStep.self, IndicatorsStep.self, IndicatorAuditStep.self,
        // 02: the rule
        SubsetsStep.self, RuleFinetunesStep.self, RuleFitStep.self, RuleAuditsStep.self,
        // 03, 04: search and selection
        SubsetSizeSearchStep.self, SearchAuditStep.self, SelectionCompareStep.self,
        // 05, 06: size sweeps
        SizeSweepStep.self, DoubleDescentStep.self, RegimeCheckStep.self, BalancePointStep.self,
        // 07, 08: robustness and the reviewers' audits
        AblationStep.self, VariantsStep.self, VerdictsStep.self,
    ]

    /// The digest of the code these steps run: this module's sources and those of every module of the package it
    /// imports, directly or not, made at build time (Plugins/CodeDigestPlugin). Part of each of their cells' cache
    /// keys: a change to that code makes every cell of these steps stale, whether or not a version was bumped.
    public static let code = CodeDigest.sources

    /// The steps `imine` knows: the workbench's built-in diagnostics and this catalog, with its code digest.
    public static func registry() throws -> StepRegistry {
        var registry = try StepRegistry(WorkbenchInfo.builtInSteps)
        for step in all { try registry.register(step, code: code) }
        return registry
    }
}
