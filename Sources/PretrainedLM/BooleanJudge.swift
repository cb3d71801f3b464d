import Foundation
import Neural

/// A yes/no question about some texts, put to an instruction-tuned model as one user message:
///
/// ```text
/// <question>
///
/// <label 1>: <text 1>
///
/// <label 2>: <text 2>
///
/// Answer Yes or No.
/// ```
public struct BooleanQuestion: Sendable, Equatable {
    /// One labelled text the question is about (`Response`, `Dialogue history`).
    public struct Section: Sendable, Equatable {
        public var label: String
        public var text: String
        public init(_ label: String, _ text: String) { self.label = label; self.text = text }
    }

    public var question: String
    public var sections: [Section]
    public init(_ question: String, sections: [Section]) { self.question = question; self.sections = sections }
}

/// Asks an instruction-tuned model Boolean questions and reads its answer off the next-token distribution, as
/// UniEval scores a dimension: P(Yes) / (P(Yes) + P(No)) for the first token of the assistant's turn.
///
/// The prompt is the model's chat template around the question's message. When it would exceed `maxLength` tokens
/// the sections' texts are cut (at their ends, in tokens): the longest is shortened one token at a time until the
/// whole fits, so short sections stay whole. Each piece is tokenised on its own and the ids concatenated (what
/// `bench/pretrained-lm/make_judge_fixture.py` reproduces); the sections' texts are read as plain text (a control
/// token's spelling in them stays text).
public struct BooleanJudge: Sendable {
    public let model: PretrainedModel
    public let maxLength: Int
    public let workers: Int
    /// The single tokens the answer is read from: `Yes` and `No`.
    public let yes: Int32, no: Int32

    /// An error when `Yes` or `No` is not one token of the model's vocabulary.
    public init(model: PretrainedModel, maxLength: Int, workers: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        func single(_ word: String) throws -> Int32 {
            let ids = model.tokenizer.encode(word)
            guard ids.count == 1 else { throw BooleanJudgeError.answerNotOneToken(word: word, tokens: ids.count) }
            return ids[0]
        }
        self.model = model
        self.maxLength = maxLength
        self.workers = max(1, workers)
        yes = try single("Yes")
        no = try single("No")
    }

    /// The prompt's token ids: the template's opening of a user turn, the message (sections cut to fit), and the
    /// opening of the assistant's turn.
    public func prompt(_ question: BooleanQuestion) throws -> [Int32] {
        let tokenizer = model.tokenizer, turn = model.template.userTurn
        var fixed: [[Int32]] = [tokenizer.encode(turn.before + question.question, addSpecial: true, parseSpecial: true)]
        var texts: [[Int32]] = []
        for section in question.sections {
            fixed.append(tokenizer.encode("\n\n\(section.label): "))
            texts.append(tokenizer.encode(section.text))
        }
        fixed.append(tokenizer.encode("\n\nAnswer Yes or No.", addSpecial: false, parseSpecial: false)
                     + tokenizer.encode(turn.after, addSpecial: false, parseSpecial: true))
        let budget = maxLength - fixed.reduce(0) { $0 + $1.count }
        guard budget >= question.sections.count else { throw BooleanJudgeError.tooShort(maxLength: maxLength, fixedTokens: maxLength - budget) }
        var lengths = texts.map(\.count)
        while lengths.reduce(0, +) > budget {
            // The longest section loses a token; among equals the last one, so earlier sections stay longer.
            let longest = lengths.indices.max { (lengths[$0], $0) < (lengths[$1], $1) }!
            lengths[longest] -= 1
        }
        var ids = fixed[0]
        for i in texts.indices { ids += fixed[i + 1] + texts[i].prefix(lengths[i]) }
        return ids + fixed[fixed.count - 1]
    }

    /// P(Yes) / (P(Yes) + P(No)) of each question, in order. OpenBLAS runs on one thread while the `workers`
    /// engines share the questions, so the scores do not depend on the core count.
    public func yesShare(_ questions: [BooleanQuestion]) throws -> [Double] {
        let (yes, no) = (Int(yes), Int(no))
        return model.weights.eachSequence(try questions.map(prompt), workers: workers) { engine, w, prompt in
            let logits = engine.lastLogits(w, tokens: prompt)
            // P(Yes)/(P(Yes)+P(No)): the softmax's normaliser cancels, leaving a logistic of the difference.
            return 1 / (1 + exp(Double(logits[no]) - Double(logits[yes])))
        }
    }
}

/// Why a model cannot serve as a Boolean judge.
public enum BooleanJudgeError: Error, CustomStringConvertible, Equatable {
    case answerNotOneToken(word: String, tokens: Int)
    case tooShort(maxLength: Int, fixedTokens: Int)

    public var description: String {
        switch self {
        case .answerNotOneToken(let word, let tokens):
            "the judge reads the answer '\(word)' from one next token, but the model's tokenizer writes it as \(tokens) tokens"
        case .tooShort(let maxLength, let fixed):
            "a judge prompt needs \(fixed) tokens of template and question before any text; max_length \(maxLength) leaves no room"
        }
    }
}
