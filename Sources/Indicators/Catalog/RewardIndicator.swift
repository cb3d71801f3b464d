/// The reward model's score of the response to its prompt (instruction, then a newline and the input when there is
/// one): the workbench's Bradley–Terry head on MiniLM embeddings, in place of the paper's OpenAssistant model.
public struct RewardIndicator: Indicator {
    public let name = "reward"
    public let needs: Set<IndicatorNeed> = [.reward]
    /// A Bradley–Terry head is trained to score the preferred response higher.
    public let qualityDirection: QualityDirection? = .higherIsBetter
    public init() {}

    public func compute(_ inputs: IndicatorInputs) throws -> IndicatorColumn {
        let reward = try inputs.required(inputs.reward, .reward, by: name)
        let scores = try reward.model.scores(of: inputs.examples, backbone: MiniLMRewardBackbone(encoder: reward.encoder))
        let variant = IndicatorVariant(name: "reward", parameters: ["head": "bradley-terry", "prompt": "instruction+input", "training_prompt": "last user turn"],
                                       textField: .instructionInputResponse, tokenizer: "wordpiece:all-minilm-l6-v2", modelHash: reward.digest)
        return IndicatorColumn(variant: variant, description: "reward model score (Bradley–Terry on MiniLM)", values: scores.map(Optional.some))
    }
}
