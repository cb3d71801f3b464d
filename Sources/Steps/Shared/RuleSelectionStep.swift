import Workbench

/// A step that finetunes on subsets that the fitted rule selects from the selection pool: it reads the pools, the
/// indicators, the base model and the rule cell.
protocol RuleSelectionStep: FinetuningStep {}

extension RuleSelectionStep {
    static var inputs: StepInputs { .reads(PoolsStep.self, IndicatorsStep.self, PretrainStep.self, RuleFitStep.self) }
}
