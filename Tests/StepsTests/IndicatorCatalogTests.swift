import Foundation
import GRDB
import Indicators
import Store
import Workbench
import XCTest
@testable import Steps

/// The indicators cell with one indicator more: the paper's catalog plus one line.
enum IndicatorsWithCharactersStep: Step {
    static let name = IndicatorsStep.name
    static let version = IndicatorsStep.version
    static let profileKeys = IndicatorsStep.profileKeys
    static let inputs = IndicatorsStep.inputs
    static func externalInputs(_ context: ExternalInputsContext) throws -> [String: String] { try IndicatorsStep.externalInputs(context) }

    static func run(_ context: StepContext) throws -> StepOutput {
        try IndicatorsStep.run(context, catalog: .paper(knnI: try context.profile.int("indicators.knn_i"))
            .adding(ResponseCharactersIndicator()))
    }
}

final class IndicatorCatalogTests: XCTestCase {
    /// A new indicator is one file and one catalog line: the indicators cell computes and stores it beside the
    /// paper's seven, under its own variant, and hands it on as one more regressor.
    func testANewIndicatorIsComputedByTheIndicatorsCell() throws {
        let bench = try ScratchWorkbench("catalog", for: self)
        let steps = WorkbenchInfo.builtInSteps + StepCatalog.all.filter { $0.name != IndicatorsStep.name } + [IndicatorsWithCharactersStep.self]
        let registry = try StepRegistry(steps)
        // Pools, tokenizer and base model as the rule-fit notebook has them, then the reward model and the indicators.
        let upToBase = ScratchWorkbench.ruleFinetunesNotebook.components(separatedBy: "```step\nid: subsets")[0]
        let notebook = try bench.notebook("indicators.md", upToBase + """
            ```step
            id: reward
            step: indicators.reward-model
            uses: [pools]
            ```

            ```step
            id: indicators
            step: indicators.compute
            uses: [pools, tokenizer, base, reward]
            ```
            """)
        XCTAssertTrue(upToBase.contains("step: lm.pretrain"))
        let plan = try Plan(files: [notebook], registry: registry)
        let runner = try bench.runner()
        let result = try runner.run(plan, render: false)
        XCTAssertEqual(result.failed.map(\.0), [], "\(result.failed)")

        let state = try XCTUnwrap(try runner.status(plan).first { $0.key.hasSuffix("indicators") })
        let record = try XCTUnwrap(state.record)
        let payload = try JSONDecoder().decode(IndicatorsPayload.self, from: runner.store.artifact(record.outputDigest))
        XCTAssertEqual(payload.indicators.map(\.name), ["input_length", "output_length", "mtld", "knn6", "ppl", "ifd", "reward", "response_characters"])
        let entry = try XCTUnwrap(payload.indicators.last)
        XCTAssertEqual(entry.description, "characters of the response")
        XCTAssertEqual(entry.key, IndicatorVariant(name: "response_characters", parameters: ["unit": "characters"], textField: .response).key)

        // Every scored example has its character count, read back through the table the rule reads.
        let table = try IndicatorTable(payload, store: runner.store, loaded: runner.loaded)
        XCTAssertEqual(table.names.last, "response_characters")
        let examples = try runner.store.read { db in
            try Row.fetchAll(db, sql: "SELECT e.id, e.response FROM example e JOIN indicator_value v ON v.example_id = e.id WHERE v.variant_key = ?",
                             arguments: [entry.key])
        }
        XCTAssertGreaterThan(examples.count, 100)
        for row in examples {
            let id: String = row[0], response: String = row[1]
            XCTAssertEqual(try table.value("response_characters", id), Double(response.count))
        }
    }
}
