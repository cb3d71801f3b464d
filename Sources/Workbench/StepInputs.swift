/// What a step reads from the cells its `uses:` names, declared by the step and checked twice: when a plan is built
/// (each declared step has exactly one cell among `uses:`, and `uses:` names no cell the step does not read), and when
/// the step runs (reading an input it did not declare is an error). So a notebook that wires a cell wrongly is
/// refused before anything runs, and a step's code cannot quietly start depending on another cell.
///
///     enum FitRule: Step {
///         static let inputs = StepInputs.reads(MakeSubsets.self, RunFinetunes.self)
///         static func run(_ context: StepContext) throws -> StepOutput {
///             let losses = try context.input(RunFinetunes.self, as: Losses.self)
///             ...
///
/// Steps whose results do not depend on their inputs' contents but only on their order (a test step that waits) say
/// ``anything``: every `uses:` entry is accepted and every input may be read.
public struct StepInputs: Sendable, Equatable {
    /// Names of the steps of which exactly one cell must be among `uses:`.
    public let steps: [String]
    /// `uses:` may list any cells, and the step may read any of them.
    public let acceptsAny: Bool

    /// Exactly one cell of each of these steps, and nothing else.
    public static func reads(_ steps: any Step.Type...) -> StepInputs { StepInputs(steps: steps.map { $0.name }, acceptsAny: false) }
    /// Exactly one cell of each named step (for steps that cannot name the type, e.g. one defined in another module
    /// that does not import this one's), and nothing else.
    public static func reads(named steps: [String]) -> StepInputs { StepInputs(steps: steps, acceptsAny: false) }
    /// No inputs: `uses:` must be empty.
    public static let none = StepInputs(steps: [], acceptsAny: false)
    /// Any inputs, unchecked (their digests still enter the cache key).
    public static let anything = StepInputs(steps: [], acceptsAny: true)

    /// Whether the step may read the output of a cell of `step`.
    public func allows(_ step: String) -> Bool { acceptsAny || steps.contains(step) }

    /// What is wrong with a cell of `owner` whose `uses:` produce these steps, in `uses:` order; empty when nothing is.
    func problems(owner: String, usedSteps: [(use: String, step: String)]) -> [String] {
        if acceptsAny { return [] }
        var out: [String] = []
        for step in steps {
            let count = usedSteps.filter { $0.step == step }.count
            if count != 1 {
                out.append("step \(owner) reads one cell of step '\(step)', and uses: names \(count == 0 ? "none" : "\(count)")")
            }
        }
        for use in usedSteps where !steps.contains(use.step) {
            let reads = steps.isEmpty ? "no cell" : "only cells of " + steps.map { "'\($0)'" }.joined(separator: ", ")
            out.append("uses: names '\(use.use)' (step \(use.step)), but step \(owner) reads \(reads)")
        }
        return out
    }
}
