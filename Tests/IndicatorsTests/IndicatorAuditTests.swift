import Corpus
import Foundation
import Stats
import XCTest
@testable import Indicators

final class IndicatorAuditTests: XCTestCase {
    private func group(_ name: String, tier: Int, responses: [String]) -> AuditGroup {
        AuditGroup(name: name, tier: tier, examples: responses.map {
            Example(instruction: "same prompt", response: $0, source: name, licence: "test")
        })
    }

    func testMeansAndSpearmanAgainstTheKnownOrder() throws {
        let groups = [group("worst", tier: 0, responses: ["a", "a b"]),
                      group("middle", tier: 1, responses: ["a b c", "a b c d e", ""]),
                      group("best", tier: 2, responses: ["a b c d e f g h"])]
        let row = try IndicatorAudit.audit(indicator: "words", groups: groups, seed: 1) { e in
            e.response.isEmpty ? nil : Double(LengthIndicators.words(in: e.response))
        }
        XCTAssertEqual(row.groups.map(\.mean), [1.5, 4, 8])
        XCTAssertEqual(row.groups.map(\.count), [2, 2, 1])
        XCTAssertEqual(row.groups.map(\.undefined), [0, 1, 0])
        XCTAssertEqual(row.spearmanOfMeans!, 1, accuracy: 1e-12)
        // Per example: tiers [0,0,1,1,2] vs values [1,2,3,5,8] are in the same order, ties only in the tiers.
        // Ranks: tiers [1.5,1.5,3.5,3.5,5], values [1,2,3,4,5] → Pearson of ranks = 0.9486832980505138.
        XCTAssertEqual(row.spearmanOfExamples!, 0.9486832980505138, accuracy: 1e-12)
        XCTAssertEqual(row.notes, ["middle: 1 example(s) without a value"])
    }

    func testConstantIndicatorHasNoCorrelationAndSaysWhy() throws {
        let groups = [group("a", tier: 0, responses: ["x"]), group("b", tier: 1, responses: ["y"])]
        let row = try IndicatorAudit.audit(indicator: "constant", groups: groups, seed: 1) { _ in 1 }
        XCTAssertNil(row.spearmanOfMeans)
        XCTAssertNil(row.spearmanOfExamples)
        XCTAssertEqual(row.notes.count, 2)
        XCTAssertTrue(row.notes[0].contains("constant"), row.notes[0])
    }

    /// Verdicts: Holm over the table decides significance, the claimed direction decides agreement; without a claim
    /// the verdict says which way the indicator moves; an undefined ρ has no verdict.
    func testVerdictsUseHolmAndTheClaimedDirection() throws {
        func row(_ name: String, rho: Double, p: Double) -> IndicatorAudit.Row {
            IndicatorAudit.Row(indicator: name, groups: [], spearmanOfMeans: nil,
                               association: RankAssociation(rho: rho, permutationP: p, lower: rho - 0.1, upper: rho + 0.1, confidence: 0.95,
                                                            permutations: 2000, replicates: 2000, undefinedReplicates: 0, seed: 1),
                               notes: [])
        }
        let rows = [row("reward", rho: 0.3, p: 0.001), row("ppl", rho: 0.2, p: 0.004), row("mtld", rho: -0.2, p: 0.01),
                    row("judge_coherence", rho: 0.1, p: 0.03),
                    IndicatorAudit.Row(indicator: "constant", groups: [], spearmanOfMeans: nil, association: nil, notes: [])]
        // Holm over the four tested rows (the undefined one is not tested): 4·0.001, 3·0.004, 2·0.01, 1·0.03.
        let adjusted = IndicatorAudit.adjustedP(rows)
        XCTAssertEqual(adjusted[0]!, 0.004, accuracy: 1e-12)
        XCTAssertEqual(adjusted[1]!, 0.012, accuracy: 1e-12)
        XCTAssertEqual(adjusted[2]!, 0.02, accuracy: 1e-12)
        XCTAssertEqual(adjusted[3]!, 0.03, accuracy: 1e-12)
        XCTAssertNil(adjusted[4])
        let directions: [String: QualityDirection] = ["reward": .higherIsBetter, "ppl": .lowerIsBetter, "judge_coherence": .higherIsBetter]
        XCTAssertEqual(IndicatorAudit.verdicts(rows, directions: directions),
                       [.ordersAsClaimed, .ordersAgainstClaim, .fallsWithQuality, .ordersAsClaimed, .undefined])
        // Two more rows at p = 0.02 make the family six: judge_coherence's 0.03 then adjusts to at least 0.06.
        let family = rows + [row("knn6", rho: 0.05, p: 0.02), row("ifd", rho: 0.05, p: 0.02)]
        XCTAssertEqual(IndicatorAudit.verdicts(family, directions: directions)[3], .noEvidence)
        XCTAssertEqual(IndicatorAudit.verdicts([row("reward", rho: 0.3, p: 0.2)], directions: directions), [.noEvidence])
    }

    /// The eight self-instruct models' answers to the 252 user-oriented prompts, from the real data folder.
    func testSelfInstructProbesOnRealData() throws {
        let data = ProcessInfo.processInfo.environment["IMINE_DATA"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("data")
        let tiers = ["davinci": 0, "davinci-self-instruct": 1, "davinci-superni-ft": 1, "davinci-t0-ft": 1,
                     "davinci-self-instruct-and-superni-ft": 1, "text-davinci-001": 2, "text-davinci-002": 3, "text-davinci-003": 4]
        var groups: [AuditGroup] = []
        for (model, tier) in tiers.sorted(by: { $0.key < $1.key }) {
            let url = data.appendingPathComponent("self-instruct/predictions/\(model)_predictions.jsonl")
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                return XCTFail("missing \(url.path): run `make setup` or set IMINE_DATA")
            }
            let examples = try text.split(separator: "\n").map { line -> Example in
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                return Example(instruction: object["instruction"] as! String, input: object["input"] as! String,
                               response: object["response"] as! String, source: model, licence: "Apache-2.0", split: "probe")
            }
            groups.append(AuditGroup(name: model, tier: tier, examples: examples))
        }
        XCTAssertEqual(groups.map(\.examples.count), Array(repeating: 252, count: 8))
        let meter = MTLDMeter(.lexicalRichness)
        let mtld = try IndicatorAudit.audit(indicator: "mtld", groups: groups, permutations: 200, replicates: 200, seed: 1) { meter.measure($0.response).value }
        let words = try IndicatorAudit.audit(indicator: "output_words", groups: groups, permutations: 200, replicates: 200, seed: 1) { Double(LengthIndicators.words(in: $0.response)) }
        for row in [mtld, words] {
            XCTAssertNotNil(row.spearmanOfMeans, row.notes.joined(separator: "; "))
            XCTAssertNotNil(row.spearmanOfExamples, row.notes.joined(separator: "; "))
        }
        // Raw davinci rambles on (its file is four times the others'): the longest answers, the worst tier.
        let mean = Dictionary(uniqueKeysWithValues: words.groups.map { ($0.name, $0.mean!) })
        XCTAssertGreaterThan(mean["davinci"]!, 2 * mean["text-davinci-003"]!)
        XCTAssertEqual(words.groups.map(\.count).reduce(0, +), 8 * 252)
    }
}
