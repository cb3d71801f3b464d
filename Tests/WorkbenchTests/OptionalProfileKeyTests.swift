import Core
import Workbench
import XCTest

/// An optional profile key (``Step/optionalProfileKeys``) that a profile leaves out adds nothing to a cell's cache
/// key, so declaring one keeps every stored cell fresh; once set, it changes the key like any declared value.
final class OptionalProfileKeyTests: XCTestCase {
    enum Before: Step {
        static let name = "demo.finetune"
        static let version = 1
        static let profileKeys = ["finetune"]
        static func run(_ context: StepContext) throws -> StepOutput { try StepOutput(payload: 0) }
    }

    enum After: Step {
        static let name = "demo.finetune"
        static let version = 1
        static let profileKeys = ["finetune"]
        static let optionalProfileKeys = ["oracle"]
        static func run(_ context: StepContext) throws -> StepOutput {
            try StepOutput(payload: try context.profile.value("oracle")?.objectValue?["backend"]?.stringValue ?? "unset")
        }
    }

    func testAnUnsetOptionalKeyKeepsTheCacheKeyAndASetOneChangesIt() throws {
        let finetune: JSONValue = .object(["epochs": .int(2)])
        let without = Profile(name: "p", file: "p.yaml", values: .object(["seed": .int(1), "finetune": finetune]))
        let with = Profile(name: "p", file: "p.yaml", values: .object(["seed": .int(1), "finetune": finetune,
                                                                       "oracle": .object(["backend": .string("command")])]))
        func key(_ step: any Step.Type, _ profile: Profile) throws -> String {
            try CacheKey(step: step, parameters: Parameters([:], step: step.name), inputDigests: [], profile: profile).digest()
        }
        XCTAssertEqual(try key(After.self, without), try key(Before.self, without), "declaring an optional key changes no stored cell")
        XCTAssertNotEqual(try key(After.self, with), try key(After.self, without), "setting it makes the cell stale")
        XCTAssertEqual(try key(Before.self, with), try key(Before.self, without), "a step that does not declare it ignores it")
        XCTAssertEqual(After.readableProfileKeys, ["finetune", "oracle"])
    }
}
