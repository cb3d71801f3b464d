/// The score of the response to its prompt (instruction, then a newline and the input when there is one) by the
/// reward head trained on a real language model's hidden states (``LanguageModelRewardBackbone``): the same
/// Bradley–Terry training as `reward`, on the features the paper's kind of reward model reads, the final-norm hidden
/// state at the end of the exchange. Only where the profile's `indicators.lm` is a real GGUF model.
public struct RewardLMIndicator: Indicator {
    public let name = "reward_lm"
    public let needs: Set<IndicatorNeed> = [.rewardLM]
    /// A Bradley–Terry head is trained to score the preferred response higher.
    public let qualityDirection: QualityDirection? = .higherIsBetter
    public init() {}

    public func compute(_ inputs: IndicatorInputs) throws -> IndicatorColumn {
        let reward = try inputs.required(inputs.rewardLM, .rewardLM, by: name)
        let scores = try reward.model.scores(of: inputs.examples, backbone: reward.backbone)
        let variant = IndicatorVariant(name: name, parameters: ["head": "bradley-terry", "prompt": "instruction+input", "training_prompt": "last user turn",
                                                                "features": "last-token final-norm hidden state, chat template"],
                                       textField: .instructionInputResponse, tokenizer: reward.backbone.model, modelHash: reward.digest)
        return IndicatorColumn(variant: variant, description: "reward model score (Bradley–Terry on \(reward.backbone.model) hidden states)",
                               values: scores.map(Optional.some))
    }
}
