import Workbench

/// Every step the reproduction's notebooks may name. The `imine` tool registers these beside the workbench's own.
public enum StepCatalog {
    public static let all: [any Step.Type] = [
        PoolsStep.self, TokenizerStep.self, PretrainStep.self,
        SubsetsStep.self, RuleFinetunesStep.self, RuleFitStep.self, RuleAuditsStep.self,
        SubsetSizeSearchStep.self, SelectionCompareStep.self,
        SizeSweepStep.self, DoubleDescentStep.self, BalancePointStep.self,
        AblationStep.self, VariantsStep.self, VerdictsStep.self,
    ]
}
