import XCTest
@testable import Search

final class SearchSpaceTests: XCTestCase {
    func testRealDomainsRoundTrip() {
        let domains: [Domain] = [.uniform(-5, 10), .logUniform(1e-4, 1)]
        for domain in domains {
            for x in stride(from: 0.0, through: 1.0, by: 0.05) {
                XCTAssertEqual(domain.normalize(domain.denormalize(x)), x, accuracy: 1e-12, "\(domain) at \(x)")
            }
        }
        XCTAssertEqual(Domain.uniform(-5, 10).normalize(2.5), 0.5, accuracy: 1e-15)
        XCTAssertEqual(Domain.logUniform(1e-4, 1).normalize(1e-2), 0.5, accuracy: 1e-12)
    }

    func testIntegerDomainsRoundTripEveryValue() {
        for domain in [Domain.integer(-3, 40), .logInteger(16, 4096), .logInteger(1, 1024)] {
            let (l, u) = domain.bounds
            for v in Int(l)...Int(u) {
                let x = domain.normalize(Double(v))
                XCTAssert((0...1).contains(x))
                XCTAssertEqual(domain.denormalize(x), Double(v), "\(domain) at \(v)")
            }
        }
        // Upper bounds are inclusive: 4096 normalises to exactly 1 (FLAML's lograndint(16, 4097)).
        XCTAssertEqual(Domain.logInteger(16, 4096).normalize(4096), 1, accuracy: 1e-15)
        XCTAssertEqual(Domain.logInteger(16, 4096).normalize(256), 0.5, accuracy: 1e-15)
    }

    func testDenormalizeClipsAndRounds() {
        XCTAssertEqual(Domain.integer(0, 10).denormalize(-0.3), 0)
        XCTAssertEqual(Domain.integer(0, 10).denormalize(1.7), 10)
        XCTAssertEqual(Domain.integer(0, 10).denormalize(0.44), 4)
        XCTAssertEqual(Domain.integer(0, 10).denormalize(0.46), 5)
        XCTAssertEqual(Domain.logUniform(0.1, 10).denormalize(2), 10, accuracy: 1e-12)
    }

    func testStepLowerBounds() {
        // Integer: 1/(u − l + 1) (FLAML's exclusive upper end); log-integer: ln(1 + 1/v)/ln(u/l) at the value v.
        XCTAssertEqual(Domain.integer(0, 9).smallestStep(at: 4)!, 0.1, accuracy: 1e-15)
        XCTAssertEqual(Domain.logInteger(16, 4096).smallestStep(at: 16)!, log(17.0 / 16) / log(256.0), accuracy: 1e-15)
        XCTAssertNil(Domain.uniform(0, 1).smallestStep(at: 0.5))
        let space = try! SearchSpace([Dimension("k", .logInteger(16, 4096)), Dimension("x", .uniform(0, 1))])
        XCTAssertEqual(FLOW2.stepLowerBound(space: space, at: [16, 0.5]), log(17.0 / 16) / log(256.0) * 2.0.squareRoot(), accuracy: 1e-15)
        let real = try! SearchSpace([Dimension("x", .uniform(0, 1))])
        XCTAssertEqual(FLOW2.stepLowerBound(space: real, at: [0.5]), 1e-4)
    }

    func testInvalidSpacesAndConfigurationsAreRejected() {
        XCTAssertThrowsError(try SearchSpace([]))
        XCTAssertThrowsError(try SearchSpace([Dimension("k", .logInteger(0, 10))]))
        XCTAssertThrowsError(try SearchSpace([Dimension("x", .uniform(1, 1))]))
        XCTAssertThrowsError(try SearchSpace([Dimension("x", .uniform(0, 1)), Dimension("x", .integer(0, 3))]))
        let space = try! SearchSpace([Dimension("k", .logInteger(16, 4096))])
        XCTAssertThrowsError(try BlendSearch(space: space, budget: SearchBudget(trials: 5), lowCost: ["n": 16])) { error in
            XCTAssertEqual(error as? SearchError, .invalidConfiguration("unknown dimension 'n'"))
        }
        XCTAssertThrowsError(try BlendSearch(space: space, budget: SearchBudget(trials: 5), lowCost: ["k": 8]))
    }

    func testSignatureRoundsIntegersOnly() {
        let space = try! SearchSpace([Dimension("k", .integer(0, 100)), Dimension("x", .uniform(0, 1))])
        XCTAssertEqual(space.signature([3.0000001, 0.25]), space.signature([3, 0.25]))
        XCTAssertNotEqual(space.signature([3, 0.25]), space.signature([3, 0.2500001]))
    }

    func testTrialRoundTripsThroughJSON() throws {
        let trial = Trial(number: 3, configuration: ["k": 128, "lr": 0.01], objective: 1.25, cost: 128, proposer: "local-2", seed: 20)
        let data = try JSONEncoder().encode(trial)
        XCTAssertEqual(try JSONDecoder().decode(Trial.self, from: data), trial)
        XCTAssertEqual(trial.integer("k"), 128)
    }
}
