import Corpus
import PretrainedLM

/// A UniEval dialogue dimension, asked as UniEval asks it: its Boolean question, about the response alone or the
/// response given the dialogue history (here the example's instruction and input).
///
/// The questions are UniEval's own wording for the dialogue task (Zhong et al. 2022, `utils.py`, `add_question`,
/// `task == 'dialogue'`), the model the paper's Nat, Coh and Und came from.
public enum UniEvalDimension: String, Sendable, CaseIterable {
    case naturalness, coherence, understandability

    /// UniEval's question for this dimension.
    public var question: String {
        switch self {
        case .naturalness: "Is this a natural response in the dialogue?"
        case .coherence: "Is this a coherent response given the dialogue history?"
        case .understandability: "Is this an understandable response in the dialogue?"
        }
    }

    /// The question about `example`, with the texts UniEval gives it for this dimension, in UniEval's order.
    public func question(about example: Example) -> BooleanQuestion {
        var sections = [BooleanQuestion.Section("Response", example.response)]
        if self == .coherence { sections.append(.init("Dialogue history", example.promptText)) }
        return BooleanQuestion(question, sections: sections)
    }
}

/// UniEval-style naturalness, coherence or understandability with an instruction-tuned language model as the judge
/// instead of UniEval's T5: P(Yes) / (P(Yes) + P(No)) for the dimension's Boolean question, in [0, 1], higher =
/// better. Named `judge_<dimension>` so that it is never mistaken for UniEval's own scores (`unieval_<dimension>`,
/// imported with `imine indicators import`); its variant names the judge model and the prompt.
public struct JudgeIndicator: Indicator {
    public let dimension: UniEvalDimension
    public var name: String { "judge_\(dimension.rawValue)" }
    public let needs: Set<IndicatorNeed> = [.judge]
    /// UniEval scores a dimension as the probability of "Yes": higher is better.
    public let qualityDirection: QualityDirection? = .higherIsBetter
    public init(_ dimension: UniEvalDimension) { self.dimension = dimension }

    /// The three dimensions of the paper's v2 rule.
    public static let all = UniEvalDimension.allCases.map(JudgeIndicator.init)

    public func compute(_ inputs: IndicatorInputs) throws -> IndicatorColumn {
        let judge = try inputs.required(inputs.judge, .judge, by: name)
        let values = try judge.yesShare(inputs.examples.map(dimension.question(about:)))
        return IndicatorColumn(variant: IndicatorVariant(name: name, parameters: ["judge": judge.model, "prompt": "unieval-dialogue-question,chat-template,v1",
                                                                                 "score": "p_yes/(p_yes+p_no)"],
                                                         textField: .instructionInputResponse, tokenizer: judge.model, modelHash: judge.modelHash),
                               description: "P(Yes)/(P(Yes)+P(No)) for UniEval's question \"\(dimension.question)\" (judge: \(judge.model), UniEval-style, not UniEval)",
                               values: values)
    }
}
