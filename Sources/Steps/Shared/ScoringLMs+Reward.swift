import Core
import Foundation
import Indicators
import PretrainedLM
import Workbench

extension ScoringLMs {
    /// The `indicators.lm` GGUF model, loaded, with its name, file SHA-256 and prompt length; nil when
    /// `indicators.lm` is not a GGUF model (MicroLM has no chat template to read an exchange in).
    static func ggufModel(_ profile: ProfileView, models: URL) throws -> (name: String, sha256: String, model: PretrainedModel, maxLength: Int)? {
        let value = try profile.value("indicators.lm"), file = profile.profile.file
        guard try backendName(value, file: file) == "gguf" else { return nil }
        let (name, maxLength) = try gguf(value, file: file)
        let url = try GGUFModels.file(name, models: models, file: file, field: "indicators.lm.model")
        let sha = try GGUFModels.sha256(url)
        return (name, sha, try GGUFModels.load(url, sha256: sha), maxLength)
    }

    /// The reward backbone of the `indicators.lm` GGUF model (its hidden state at the end of each exchange, read
    /// within its `max_length`), or nil when `indicators.lm` is not a GGUF model.
    static func rewardBackbone(_ profile: ProfileView, models: URL) throws -> LanguageModelRewardBackbone? {
        guard let lm = try ggufModel(profile, models: models) else { return nil }
        return LanguageModelRewardBackbone(reader: ExchangeHiddenState(model: lm.model, maxLength: lm.maxLength), model: lm.name, fileSHA256: lm.sha256)
    }

    /// Whether the profile's `indicators.lm` is a real GGUF model: the judge and `reward_lm` indicators exist then.
    static func isGGUF(_ profile: ProfileView) throws -> Bool {
        try backendName(try profile.value("indicators.lm"), file: profile.profile.file) == "gguf"
    }
}
