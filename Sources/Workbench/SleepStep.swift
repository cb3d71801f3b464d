import Foundation

/// `workbench.sleep`: a diagnostic step that waits `ms` milliseconds and returns its parameters.
///
/// It does no analysis. It exists so that you can try the runner (caching, `--force`, staleness, killing a run
/// half-way) without real work, and the workbench's own tests use it to land kills mid-cell:
///
///     ```step
///     id: wait
///     step: workbench.sleep
///     params: {ms: 500, label: first}
///     ```
public enum SleepStep: Step {
    public static let name = "workbench.sleep"
    public static let version = 1
    public static let summary = "Diagnostic: sleeps `ms` milliseconds and returns its parameters and inputs (for trying the runner)."
    public static let parameters = [
        ParameterSpec("ms", .int, default: 0, "how long to sleep, in milliseconds", range: 0...3_600_000),
        ParameterSpec("label", .string, default: "", "any text; changing it changes the cache key"),
        ParameterSpec("scratch", .int, default: 0, "artifacts written to the store before sleeping (tests: an interrupted cell must leave none)", range: 0...10_000),
    ]
    public static let inputs = StepInputs.anything  // it only reports its inputs' digests
    public static let profileKeys: [String] = []

    struct Payload: Codable {
        var ms: Int
        var label: String
        /// Digests of the inputs, so a chain of sleeps shows which outputs it saw.
        var inputs: [String]
    }

    public static func run(_ context: StepContext) throws -> StepOutput {
        let ms = try context.parameters.int("ms")
        let label = try context.parameters.string("label")
        for index in 0..<max(0, try context.parameters.int("scratch")) {
            try context.store.putArtifact(Data("scratch \(index) of \(context.notebook)/\(context.cellID) \(label)".utf8), kind: "scratch")
        }
        let progress = context.progress("sleeping", total: max(ms / 50, 1))
        var remaining = ms
        while remaining > 0 {
            let slice = min(remaining, 50)
            usleep(useconds_t(slice * 1000))
            remaining -= slice
            progress.advance()
        }
        progress.finish()
        return try StepOutput(payload: Payload(ms: ms, label: label, inputs: context.inputs.map(\.digest)))
            .table(Table(title: "Slept", columns: ["ms", "label"], rows: [[String(ms), label]]))
    }
}
