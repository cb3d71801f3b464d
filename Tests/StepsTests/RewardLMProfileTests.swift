import Core
import Foundation
@testable import Steps
import Workbench
import XCTest

/// When the language-model reward head exists: exactly when the profile's `indicators.lm` is a real GGUF model (the
/// condition of the judge indicators). Then the catalog has `reward_lm` right after `reward`, and the profile must
/// cap its pairs with `indicators.reward_lm_pairs`; under MicroLM (tiny) nothing changes.
final class RewardLMProfileTests: XCTestCase {
    static let profiles = JudgeProfileTests.repository.appendingPathComponent("paper-repro/profiles")

    private func view(_ profile: Profile) -> ProfileView {
        ProfileView(profile: profile, allowedKeys: ["indicators"], stepName: "test")
    }

    func testRewardLMComesWithAGGUFIndicatorsLM() throws {
        for name in ["real", "real-quick"] {
            let profile = try Profile.load(named: name, in: Self.profiles)
            let names = try ScoringLMs.catalog(view(profile)).names
            XCTAssertEqual(names.firstIndex(of: "reward_lm"), names.firstIndex(of: "reward").map { $0 + 1 }, name)
            XCTAssertNotNil(try ScoringLMs.rewardBackbone(view(profile), models: JudgeProfileTests.repository.appendingPathComponent("models")), name)
            XCTAssertNoThrow(try ProfileSchema.reproduction.validate(profile), name)
            XCTAssertGreaterThanOrEqual(try profile.int("indicators.reward_lm_pairs"), 2, name)
        }
        let tiny = try Profile.load(named: "tiny", in: Self.profiles)
        XCTAssertFalse(try ScoringLMs.catalog(view(tiny)).names.contains("reward_lm"))
        XCTAssertNil(try ScoringLMs.rewardBackbone(view(tiny), models: JudgeProfileTests.repository.appendingPathComponent("models")))
    }

    func testBadOrMissingRewardLMPairsIsAClearError() throws {
        let lm: JSONValue = .object(["backend": .string("gguf"), "model": .string("smollm2-135m-instruct")])
        func problems(_ indicators: [String: JSONValue]) -> [InputError] {
            var values = try! Profile.load(named: "real-quick", in: Self.profiles).values.objectValue!
            var section = values["indicators"]!.objectValue!
            section["reward_lm_pairs"] = nil
            for (key, value) in indicators { section[key] = value }
            values["indicators"] = .object(section)
            do { try ProfileSchema.reproduction.validate(Profile(name: "p", file: "p.yaml", values: .object(values))); return [] } catch {
                return (error as? ProfileErrors)?.errors ?? []
            }
        }
        XCTAssertEqual(problems(["lm": lm, "reward_lm_pairs": .string("many")]).map(\.field), ["indicators.reward_lm_pairs"])
        XCTAssertEqual(problems(["lm": lm, "reward_lm_pairs": .int(1)]).map(\.field), ["indicators.reward_lm_pairs"])
        let missing = problems(["lm": lm])
        XCTAssertEqual(missing.count, 1)
        XCTAssertTrue(missing.first?.message.contains("set 'indicators.reward_lm_pairs'") ?? false, "\(missing)")
        XCTAssertEqual(problems(["lm": .object(["backend": .string("microlm")])]).count, 0, "MicroLM trains no language-model head")
    }
}
