import Core

/// Exactly which indicator a stored value is: the name and everything that can change its value.
///
/// Two values are comparable only under the same variant. The ``key`` is the SHA-256 of the variant's canonical
/// JSON, so changing any field (the threshold, the tokenizer, the model's hash, the reference pool) gives a new key
/// and new rows; values stored under the old key stay as they were.
///
/// ```swift
/// let variant = IndicatorVariant.mtld(.lexicalRichness)
/// let knn = IndicatorVariant(name: "knn", parameters: ["i": "6", "metric": "cosine"],
///                            textField: .instructionInputResponse, tokenizer: "wordpiece:all-minilm-l6-v2",
///                            modelHash: minilmSHA256, referencePool: "rule-fit")
/// ```
public struct IndicatorVariant: Codable, Hashable, Sendable {
    /// Which part of an example the indicator reads.
    public enum TextField: String, Codable, Sendable, CaseIterable {
        case instruction
        /// The instruction, then a newline and the input when the input is not empty: the prompt's content.
        case instructionInput = "instruction+input"
        case response
        case instructionResponse = "instruction+response"
        case instructionInputResponse = "instruction+input+response"
    }

    /// The indicator's name, e.g. `mtld`, `output_length`, `knn`, `reward`, `unieval_naturalness`.
    public var name: String
    /// Every setting that changes the value, as strings so the canonical form is unambiguous (`"0.72"`, `"6"`).
    public var parameters: [String: String]
    public var textField: TextField
    /// The tokenizer and its version or hash (`lexicalrichness-0.5.1`, `bpe:<sha256>`), when tokens are counted.
    public var tokenizer: String?
    /// The SHA-256 of the model's weights, when a model computes the value.
    public var modelHash: String?
    /// The pool the value is relative to (KNN's neighbours), when there is one.
    public var referencePool: String?
    /// Where the values came from when they were imported (`unieval-dialog run 2024-03-01`); nil when computed here.
    public var source: String?

    public init(name: String, parameters: [String: String] = [:], textField: TextField, tokenizer: String? = nil,
                modelHash: String? = nil, referencePool: String? = nil, source: String? = nil) {
        (self.name, self.parameters, self.textField, self.tokenizer) = (name, parameters, textField, tokenizer)
        (self.modelHash, self.referencePool, self.source) = (modelHash, referencePool, source)
    }

    /// The variant's identity: SHA-256 of its canonical JSON (sorted keys; absent optionals are omitted).
    public var key: String {
        // Encoding a struct of strings and a string dictionary cannot fail.
        try! CanonicalJSON.digest(self)
    }

    /// The canonical JSON stored in `indicator_variant.variant_json`.
    public var canonicalJSON: String { try! CanonicalJSON.string(self) }

    /// The text of `example`'s `field`, as every indicator in the workbench reads it.
    public static func text(instruction: String, input: String, response: String, field: TextField) -> String {
        let prompt = input.isEmpty ? instruction : instruction + "\n" + input
        switch field {
        case .instruction: return instruction
        case .instructionInput: return prompt
        case .response: return response
        case .instructionResponse: return instruction + "\n" + response
        case .instructionInputResponse: return prompt + "\n" + response
        }
    }
}

extension IndicatorVariant {
    /// MTLD of the response under `mtld`'s settings.
    public static func mtld(_ mtld: MTLD, textField: TextField = .response) -> IndicatorVariant {
        IndicatorVariant(name: "mtld", parameters: [
            "threshold": "\(mtld.threshold)",
            "comparison": mtld.comparison.rawValue,
            "minimum_factor_length": "\(mtld.minimumFactorLength)",
            "last_token_always_partial": "\(mtld.lastTokenAlwaysPartial)",
            "no_factor": mtld.noFactor.rawValue,
        ], textField: textField, tokenizer: mtld.tokenization.identifier)
    }
}

extension MTLDTokenization {
    /// The tokenizer's name in an ``IndicatorVariant``: the package and version whose behaviour it reproduces.
    public var identifier: String {
        switch self {
        case .lexicalRichness: "lexicalrichness-0.5.1"
        case .lexicalDiversity: "lexical-diversity-0.1.1"
        case .words: "imine-words-1"
        }
    }
}
