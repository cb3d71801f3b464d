import Foundation
import XCTest
@testable import Indicators
import Store

final class IndicatorStoreTests: XCTestCase {
    func testVariantKeyIsStableAndChangesWithAnyField() {
        let base = IndicatorVariant.mtld(.lexicalRichness)
        XCTAssertEqual(base.key, IndicatorVariant.mtld(.lexicalRichness).key)
        XCTAssertEqual(base.key.count, 64)
        var threshold = MTLD.lexicalRichness
        threshold.threshold = 0.7
        var pool = base
        pool.referencePool = "rule-fit"
        var model = base
        model.modelHash = "abc"
        var field = base
        field.textField = .instructionInputResponse
        let keys = [base, .mtld(threshold), .mtld(.lexicalDiversity), .mtld(.mccarthyJarvis), pool, model, field].map(\.key)
        XCTAssertEqual(Set(keys).count, keys.count)
        // The canonical JSON is what the key hashes; it records every setting.
        XCTAssertTrue(base.canonicalJSON.contains("\"threshold\":\"0.72\""))
        XCTAssertTrue(base.canonicalJSON.contains("lexicalrichness-0.5.1"))
    }

    func testWriteReadAndSubsetMeans() throws {
        let examples = toyExamples(4)
        let store = try makeIndicatorStore(examples)
        let variant = IndicatorVariant.mtld(.lexicalRichness)
        let values = examples.enumerated().map { IndicatorValue(exampleID: $1.id, value: Double($0) + 0.5, flag: $0 == 0 ? "short" : nil) }
        let key = try store.putIndicatorValues(values, variant: variant)
        XCTAssertEqual(key, variant.key)
        XCTAssertEqual(try store.indicatorValues(variantKey: key), values.sorted { $0.exampleID < $1.exampleID })
        XCTAssertEqual(try store.indicatorVariant(key: key), variant)
        XCTAssertEqual(try store.indicatorVariants(named: "mtld"), [key: variant])

        let subset = try store.indicatorMean(variantKey: key, exampleIDs: [examples[1].id, examples[3].id, examples[3].id, "nope"])
        XCTAssertEqual(subset.mean, 2.5)
        XCTAssertEqual(subset.count, 2)
        XCTAssertEqual(subset.missing, ["nope"])
        XCTAssertEqual(try store.indicatorMean(variantKey: key, pool: "eval").mean, 2.0)

        // Writing the same values again changes nothing.
        try store.putIndicatorValues(values, variant: variant)
        XCTAssertEqual(try store.indicatorValues(variantKey: key).count, 4)
    }

    func testChangedVariantIsANewKeyNeverAnOverwrite() throws {
        let examples = toyExamples(2)
        let store = try makeIndicatorStore(examples)
        let old = IndicatorVariant.mtld(.lexicalRichness), new = IndicatorVariant.mtld(.lexicalDiversity)
        try store.putIndicatorValues([IndicatorValue(exampleID: examples[0].id, value: 1)], variant: old)
        try store.putIndicatorValues([IndicatorValue(exampleID: examples[0].id, value: 2)], variant: new)
        XCTAssertEqual(try store.indicatorValues(variantKey: old.key).map(\.value), [1])
        XCTAssertEqual(try store.indicatorValues(variantKey: new.key).map(\.value), [2])
        // The same variant with a different value is refused, and the whole batch is rolled back.
        XCTAssertThrowsError(try store.putIndicatorValues([IndicatorValue(exampleID: examples[1].id, value: 7),
                                                           IndicatorValue(exampleID: examples[0].id, value: 3)], variant: old)) {
            XCTAssertEqual($0 as? IndicatorStoreError,
                           .conflictingValue(variant: "mtld", exampleID: examples[0].id, stored: 1, new: 3))
        }
        XCTAssertEqual(try store.indicatorValues(variantKey: old.key).map(\.value), [1])
    }

    func testBadBatchesWriteNothing() throws {
        let examples = toyExamples(2)
        let store = try makeIndicatorStore(examples)
        let variant = IndicatorVariant(name: "reward", textField: .instructionInputResponse, modelHash: "h")
        let good = IndicatorValue(exampleID: examples[0].id, value: 1)
        XCTAssertThrowsError(try store.putIndicatorValues([good, IndicatorValue(exampleID: "unknown", value: 2)], variant: variant)) {
            XCTAssertEqual($0 as? IndicatorStoreError, .unknownExamples(variant: "reward", exampleIDs: ["unknown"]))
        }
        XCTAssertThrowsError(try store.putIndicatorValues([good, good], variant: variant)) {
            XCTAssertEqual($0 as? IndicatorStoreError, .duplicateExample(variant: "reward", exampleID: examples[0].id))
        }
        XCTAssertThrowsError(try store.putIndicatorValues([IndicatorValue(exampleID: examples[1].id, value: .nan)], variant: variant))
        XCTAssertEqual(try store.indicatorValues(variantKey: variant.key), [])
        XCTAssertEqual(try store.indicatorVariants(named: "reward"), [:])
    }
}
