import Core
import Foundation
@testable import Steps
import Workbench
import XCTest

/// Where the judge indicators come from: the profile's `indicators.lm`. A real GGUF model adds them to the catalog
/// (and the paper's v2 rule can then be applied through them); MicroLM, the tiny profile's scorer, does not.
final class JudgeProfileTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    private func catalogNames(_ profile: Profile) throws -> [String] {
        try ScoringLMs.catalog(ProfileView(profile: profile, allowedKeys: ["indicators"], stepName: "test")).names
    }

    func testTheJudgeIndicatorsComeWithARealIndicatorsLM() throws {
        let profiles = Self.repository.appendingPathComponent("paper-repro/profiles")
        let judged = ["judge_naturalness", "judge_coherence", "judge_understandability"]
        XCTAssertEqual(Array(try catalogNames(try Profile.load(named: "real", in: profiles)).suffix(3)), judged)
        XCTAssertEqual(Array(try catalogNames(try Profile.load(named: "real-quick", in: profiles)).suffix(3)), judged)
        let tiny = try catalogNames(try Profile.load(named: "tiny", in: profiles))
        XCTAssertEqual(tiny, ["input_length", "output_length", "mtld", "knn6", "ppl", "ifd", "reward"], "MicroLM cannot judge: no judge_* indicators")
        let explicitMicroLM = Profile(name: "p", file: "p.yaml", values: .object(["indicators": .object(["knn_i": .int(6), "lm": .object(["backend": .string("microlm")])])]))
        XCTAssertFalse(try catalogNames(explicitMicroLM).contains { $0.hasPrefix("judge_") })
    }

    /// The paper's v2 rule uses UniEval's own scores when they are there, else the judge stand-ins, else it is not
    /// applied (nil: the selection notebook says "not computed").
    func testThePaperV2RuleReadsTheJudgeStandIns() throws {
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(Self.repository.path))  // the reference is read from the repository root
        let reference = try PaperReference.load()
        let base = ["input_length", "output_length", "mtld", "knn6", "ppl", "ifd", "reward"]
        XCTAssertNil(reference.rule("v2", available: base))
        let judged = try XCTUnwrap(reference.rule("v2", available: base + ["judge_naturalness", "judge_coherence", "judge_understandability"]))
        XCTAssertEqual(judged.coefficients, ["reward": -0.0078, "judge_understandability": 0.4421, "judge_naturalness": -0.3212, "judge_coherence": -0.1520])
        XCTAssertEqual(judged.intercept, 0.0274)
        XCTAssertTrue(judged.procedure.contains("indicators.lm judge"), judged.procedure)
        let imported = try XCTUnwrap(reference.rule("v2", available: base + ["unieval_naturalness", "unieval_coherence", "unieval_understandability",
                                                                               "judge_naturalness", "judge_coherence", "judge_understandability"]))
        XCTAssertEqual(imported.indicators, ["reward", "unieval_coherence", "unieval_naturalness", "unieval_understandability"])
        XCTAssertNotNil(reference.rule("v1", available: base))
    }
}
