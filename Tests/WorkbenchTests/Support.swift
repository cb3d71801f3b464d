import Core
import Foundation
import Store
import Workbench
import XCTest

/// `demo.sum`: a test-only step. Its payload is the sum of its `values` and of its inputs' sums, so tests can
/// check both that cells ran in dependency order and that they saw their inputs' outputs.
enum DemoSum: Step {
    static let name = "demo.sum"
    static let version = 1
    static let summary = "Test demo: sums its values and its inputs' sums."
    static let inputs = StepInputs.anything  // any demo.sum cells, in any number
    static let parameters = [
        ParameterSpec("values", .doubles, default: [], "numbers to add"),
        ParameterSpec("scale", .double, default: 1.0, "multiplies the sum"),
        ParameterSpec("note", .string, default: "", "ignored text"),
    ]
    static let profileKeys = ["finetune.epochs"]

    struct Payload: Codable, Equatable { var sum: Double }

    static func run(_ context: StepContext) throws -> StepOutput {
        let own = try context.parameters.doubles("values").reduce(0, +)
        let inputs = try context.inputs.map { try $0.decode(Payload.self).sum }.reduce(0, +)
        let epochs = try context.profile.int("finetune.epochs")
        let sum = (own + inputs) * (try context.parameters.double("scale")) + Double(epochs) * 0
        return try StepOutput(payload: Payload(sum: sum))
            .table(Table(title: "Sum", columns: ["sum"], rows: [[Table.number(sum, digits: 2)]]))
            .text("The sum is **\(sum)**.")
    }
}

/// `demo.sneaky`: reads a profile key it did not declare (the runner must refuse).
enum DemoSneaky: Step {
    static let name = "demo.sneaky"
    static let version = 1
    static func run(_ context: StepContext) throws -> StepOutput {
        try StepOutput(payload: try context.profile.int("finetune.epochs"))
    }
}

/// `demo.figure`: draws one figure with an error bar series and a band.
enum DemoFigure: Step {
    static let name = "demo.figure"
    static let version = 1
    static let parameters = [ParameterSpec("name", .string, default: "curve")]
    static func run(_ context: StepContext) throws -> StepOutput {
        let points = (1...6).map { FigureSpec.Point(x: Double(1 << $0), y: 1 / Double($0), error: 0.05, low: 0.8 / Double($0), high: 1.2 / Double($0)) }
        let spec = FigureSpec(name: try context.parameters.string("name"), title: "Loss against size", xLabel: "examples",
                              yLabel: "loss", xLog: true,
                              series: [FigureSpec.Series("random", kind: .linesPoints, points: points),
                                       FigureSpec.Series("bars", kind: .bars, points: points.map { .init(x: $0.x, y: $0.y / 2) })],
                              verticalLines: [.init(at: 16, label: "balance")])
        return try StepOutput(payload: points.map(\.y)).figure(spec)
    }
}

/// `demo.file`: reads a file of the data folder, fingerprinted through `externalInputs`.
enum DemoFile: Step {
    static let name = "demo.file"
    static let version = 1
    static let parameters = [ParameterSpec("file", .string)]
    static func externalInputs(_ context: ExternalInputsContext) throws -> [String: String] {
        let url = context.dataDirectory.appendingPathComponent(try context.parameters.string("file"))
        return ["file": SHA256.hex(try Data(contentsOf: url))]
    }
    static func run(_ context: StepContext) throws -> StepOutput {
        let url = context.dataDirectory.appendingPathComponent(try context.parameters.string("file"))
        return try StepOutput(payload: try String(contentsOf: url, encoding: .utf8))
    }
}

/// `demo.reader`: declares a profile key no profile sets.
enum DemoReader: Step {
    static let name = "demo.reader"
    static let version = 1
    static let profileKeys = ["no_such.section"]
    static func run(_ context: StepContext) throws -> StepOutput { try StepOutput(payload: 0) }
}

enum TestSupport {
    static let registry = try! StepRegistry(WorkbenchInfo.builtInSteps
        + [DemoSum.self, DemoSneaky.self, DemoFigure.self, DemoFile.self, DemoReader.self])

    /// The repository root (this file is Tests/WorkbenchTests/Support.swift).
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let tinyProfile = repoRoot.appendingPathComponent("paper-repro/profiles/tiny.yaml")


    @discardableResult
    static func write(_ text: String, to folder: URL, as name: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// A runner on a store in `folder`, writing its outputs there too.
    static func runner(in folder: URL, profile: Profile? = nil) throws -> Runner {
        var paths = WorkbenchPaths(root: folder)
        paths.store = folder.appendingPathComponent("store.sqlite").path
        let runner = Runner(store: try Store(path: paths.store, schemas: [.workbench]), profile: try profile ?? Profile.load(file: tinyProfile), paths: paths)
        runner.log = { _ in }
        return runner
    }

    static func freshness(_ states: [CellState]) -> [String: Freshness] {
        Dictionary(uniqueKeysWithValues: states.map { ($0.cellID, $0.freshness) })
    }
}

extension XCTestCase {
    /// A fresh empty folder under the system temp folder, removed when the test ends.
    func temporaryFolder(_ name: String = #function) throws -> URL {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("imine-wb-\(safe)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
