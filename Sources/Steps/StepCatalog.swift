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
}
