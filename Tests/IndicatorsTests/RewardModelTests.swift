import Core
import Foundation
@testable import Indicators
import Neural
import XCTest

final class RewardModelTests: XCTestCase {
    func randomFeatures(_ count: Int, _ dimension: Int, seed: UInt64) -> [Double] {
        var random = SeededRandom(seed: seed)
        return (0..<(count * dimension)).map { _ in random.gaussian() }
    }

    /// The analytic gradient of the Bradley–Terry loss (with weight decay) equals central differences.
    func testGradientMatchesFiniteDifferences() {
        for hidden in [0, 5] {
            var head = RewardHead(inputs: 7, hidden: hidden, seed: 3)
            var random = SeededRandom(seed: 4)
            for j in head.parameters.indices { head.parameters[j] += 0.1 * random.gaussian() }  // biases non-zero too
            let x = randomFeatures(8, 7, seed: 5)  // 4 pairs
            let (_, gradient) = head.lossAndGradient(x, pairs: 4, weightDecay: 0.01)
            for j in head.parameters.indices {
                var plus = head, minus = head
                plus.parameters[j] += 1e-6
                minus.parameters[j] -= 1e-6
                let numeric = (plus.lossAndGradient(x, pairs: 4, weightDecay: 0.01).loss
                    - minus.lossAndGradient(x, pairs: 4, weightDecay: 0.01).loss) / 2e-6
                XCTAssertEqual(gradient[j], numeric, accuracy: 1e-6, "hidden \(hidden), parameter \(j)")
            }
        }
    }

    /// A planted preference (chosen responses lean along a hidden direction) is learnt and generalises.
    func testLearnsAPlantedPreference() {
        let dimension = 12
        var random = SeededRandom(seed: 9)
        let direction = (0..<dimension).map { _ in random.gaussian() }
        func sample() -> [Double] { (0..<dimension).map { _ in random.gaussian() } }
        func score(_ v: [Double]) -> Double { zip(v, direction).reduce(0) { $0 + $1.0 * $1.1 } }
        var pairs: [(chosen: [Double], rejected: [Double])] = []
        for _ in 0..<600 {
            let a = sample(), b = sample()
            pairs.append(score(a) > score(b) ? (a, b) : (b, a))
        }
        var settings = RewardModelSettings()
        settings.hidden = 16
        settings.epochs = 30
        settings.learningRate = 3e-3
        let head = RewardHead.fit(Array(pairs[..<500]), settings: settings)
        XCTAssertGreaterThan(head.accuracy(Array(pairs[500...])), 0.9)
        XCTAssertEqual(head, RewardHead.fit(Array(pairs[..<500]), settings: settings), "same data and seed, same model")
    }

    func testSplitIsSeededByPromptAndDigestCoversEveryField() {
        let settings = RewardModelSettings()
        let pairs = (0..<2000).map { RewardPair(prompt: "prompt \($0)", chosen: "a", rejected: "b") }
        let heldOut = pairs.filter { RewardModel.isHeldOut($0, settings: settings) }.count
        XCTAssertEqual(Double(heldOut) / 2000, settings.heldOutFraction, accuracy: 0.03)
        let samePrompt = RewardPair(prompt: "prompt 7", chosen: "other", rejected: "answers")
        XCTAssertEqual(RewardModel.isHeldOut(samePrompt, settings: settings), RewardModel.isHeldOut(pairs[7], settings: settings))
        let base = RewardModel.digest(of: pairs)
        XCTAssertNotEqual(base, RewardModel.digest(of: [RewardPair(prompt: "prompt 0", chosen: "b", rejected: "a")] + pairs.dropFirst()))
        XCTAssertNotEqual(RewardModel.digest(of: [RewardPair(prompt: "ab", chosen: "c", rejected: "")]),
                          RewardModel.digest(of: [RewardPair(prompt: "a", chosen: "bc", rejected: "")]))
    }

    func testSerialisedModelRoundTrips() throws {
        var settings = RewardModelSettings()
        settings.hidden = 3
        let head = RewardHead(inputs: 6, hidden: 3, seed: 1)
        let model = RewardModel(settings: settings, encoderModel: MiniLMEncoder.modelName, encoderDigest: "e",
                                trainingDataDigest: "d", trainingPairs: 10, heldOutPairs: 2, heldOutAccuracy: 0.5,
                                trainingAccuracy: 0.75, head: head)
        let data = try CanonicalJSON.encode(model)
        XCTAssertEqual(try JSONDecoder().decode(RewardModel.self, from: data), model)
    }
}
