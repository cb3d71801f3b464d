import Core
import Foundation

/// Notebooks checked against the step registry and ordered for running: nothing has run yet.
///
/// Building a plan finds every error a notebook can have before any cell runs (unknown step, wrong or missing
/// parameter, unknown cell in `uses:`, dependency cycle, duplicate id), each naming file and line. Cells that a
/// notebook uses from another notebook (`uses: [01-data/ingest]`) are loaded from the same folder and planned too;
/// that notebook's other cells are checked but not planned, so running one notebook computes only what it needs.
public struct Plan: Sendable {
    /// One cell, ready to run once its inputs are.
    public struct Node: Sendable {
        /// "<notebook>/<cell id>": unique across the plan.
        public let key: String
        public let notebook: Notebook
        public let cell: Notebook.Cell
        public let step: any Step.Type
        public let parameters: Parameters
        /// Plan keys of the used cells, in `uses:` order.
        public let inputs: [String]
        /// The digest of the step's code, when its registry has one (see ``StepRegistry/init(_:code:)``).
        public let code: String?
    }

    /// Every notebook in the plan: those asked for first, then those they reference.
    public let notebooks: [Notebook]
    /// Names of the notebooks asked for (rendered after a run).
    public let requested: [String]
    /// Every cell of the requested notebooks and every cell they use, directly or not, in a dependency order (inputs
    /// before users; otherwise file order).
    public let nodes: [Node]

    /// Loads `files`, loads the notebooks they reference, and checks everything.
    public init(files: [String], registry: StepRegistry) throws {
        var notebooks: [Notebook] = []
        var errors: [InputError] = []
        for file in files {
            do { notebooks.append(try Notebook.load(file: file)) } catch let error as InputError { errors.append(error) }
        }
        if !errors.isEmpty { throw NotebookErrors(errors) }
        try self.init(notebooks: notebooks, registry: registry)
    }

    /// Checks already-parsed notebooks; referenced notebooks are loaded from the folder of the first that names them.
    public init(notebooks requestedNotebooks: [Notebook], registry: StepRegistry) throws {
        var errors: [InputError] = []
        var notebooks: [Notebook] = []
        var byName: [String: Notebook] = [:]
        func add(_ notebook: Notebook) {
            if let other = byName[notebook.name] {
                if other.file != notebook.file {
                    errors.append(InputError(file: notebook.file, "another notebook with the name '\(notebook.name)' is \(other.file)"))
                }
                return
            }
            byName[notebook.name] = notebook
            notebooks.append(notebook)
        }
        requestedNotebooks.forEach(add)
        let requested = notebooks.map(\.name)

        // Resolve `uses:` (loading other notebooks on demand) and check steps and parameters.
        var nodes: [String: Node] = [:]
        var order: [String] = []
        var index = 0
        while index < notebooks.count {
            let notebook = notebooks[index]
            index += 1
            for cell in notebook.cells {
                var inputs: [String] = []
                var usedSteps: [(use: String, step: String)] = []
                for use in cell.uses {
                    let parts = use.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
                    let target: (notebook: String, cell: String)
                    if parts.count == 1 { target = (notebook.name, parts[0]) }
                    else if parts.count == 2 { target = (parts[0], parts[1]) }
                    else {
                        errors.append(InputError(file: notebook.file, line: cell.usesLine, field: "uses",
                                                 "'\(use)' is neither a cell id nor <notebook>/<cell id>"))
                        continue
                    }
                    if byName[target.notebook] == nil {
                        let folder = URL(fileURLWithPath: notebook.file).deletingLastPathComponent()
                        let path = folder.appendingPathComponent(target.notebook + ".md").path
                        if FileManager.default.fileExists(atPath: path) {
                            do { add(try Notebook.load(file: path)) } catch let error as InputError { errors.append(error) }
                        }
                    }
                    guard let other = byName[target.notebook] else {
                        errors.append(InputError(file: notebook.file, line: cell.usesLine, field: "uses",
                                                 "cell '\(cell.id)' uses '\(use)', but there is no notebook '\(target.notebook)'"))
                        continue
                    }
                    guard let used = other.cells.first(where: { $0.id == target.cell }) else {
                        let known = other.cells.map(\.id).joined(separator: ", ")
                        errors.append(InputError(file: notebook.file, line: cell.usesLine, field: "uses",
                                                 "cell '\(cell.id)' uses '\(use)', but \(other.file) has no cell '\(target.cell)' (cells: \(known))"))
                        continue
                    }
                    inputs.append("\(target.notebook)/\(target.cell)")
                    usedSteps.append((use, used.step))
                }
                guard let step = Plan.checkStep(cell, in: notebook, registry: registry, errors: &errors) else { continue }
                guard let parameters = Plan.checkParameters(cell, step: step, in: notebook, errors: &errors) else { continue }
                for problem in step.inputs.problems(owner: step.name, usedSteps: usedSteps) {
                    errors.append(InputError(file: notebook.file, line: cell.usesLine, field: "uses", "cell '\(cell.id)': \(problem)"))
                }
                let key = "\(notebook.name)/\(cell.id)"
                nodes[key] = Node(key: key, notebook: notebook, cell: cell, step: step, parameters: parameters, inputs: inputs,
                              code: registry.code(of: step.name))
                order.append(key)
            }
        }
        if errors.isEmpty, let cycleError = Plan.findCycle(order: order, nodes: nodes) { errors.append(cycleError) }
        if !errors.isEmpty { throw NotebookErrors(errors) }

        self.notebooks = notebooks
        self.requested = requested
        let asked = Set(requested)
        self.nodes = Plan.topologicalOrder(order: order.filter { asked.contains(nodes[$0]!.notebook.name) }, nodes: nodes)
    }

    /// The planned cells of one notebook, in dependency order.
    public func nodes(of notebook: String) -> [Node] { nodes.filter { $0.notebook.name == notebook } }

    /// This plan cut down to the cells `keys` and the cells they use, directly or not: for a command that needs some
    /// cells' outputs, not everything their notebooks compute. Throws if a key is not in the plan.
    public func only(_ keys: [String]) throws -> Plan {
        let byKey = Dictionary(uniqueKeysWithValues: nodes.map { ($0.key, $0) })
        for key in keys where byKey[key] == nil {
            throw InputError(file: notebooks.first?.file ?? "(no notebook)", "the plan has no cell \(key) (cells: \(nodes.map(\.key).joined(separator: ", ")))")
        }
        return Plan(notebooks: notebooks, requested: requested, nodes: Plan.topologicalOrder(order: keys, nodes: byKey))
    }

    private init(notebooks: [Notebook], requested: [String], nodes: [Node]) {
        (self.notebooks, self.requested, self.nodes) = (notebooks, requested, nodes)
    }

    static func checkStep(_ cell: Notebook.Cell, in notebook: Notebook, registry: StepRegistry,
                          errors: inout [InputError]) -> (any Step.Type)? {
        guard let step = registry[cell.step] else {
            let near = registry.suggestions(for: cell.step)
            let hint = near.isEmpty ? "run `imine steps` to list the registered steps" : "did you mean \(near.joined(separator: ", "))?"
            errors.append(InputError(file: notebook.file, line: cell.stepLine, field: "step",
                                     "cell '\(cell.id)' names unknown step '\(cell.step)'; \(hint)"))
            return nil
        }
        if let pinned = cell.pinnedVersion, pinned != step.version {
            errors.append(InputError(file: notebook.file, line: cell.stepLine, field: "step",
                                     "cell '\(cell.id)' pins \(cell.step)@\(pinned), but the registered step is version \(step.version)"))
            return nil
        }
        return step
    }

    static func checkParameters(_ cell: Notebook.Cell, step: any Step.Type, in notebook: Notebook,
                                errors: inout [InputError]) -> Parameters? {
        let specs = step.parameters
        var values: [String: JSONValue] = [:]
        var ok = true
        for name in cell.params.keys.sorted() where !specs.contains(where: { $0.name == name }) {
            let known = specs.map(\.name).joined(separator: ", ")
            errors.append(InputError(file: notebook.file, line: cell.paramLines[name] ?? cell.line, field: "params.\(name)",
                                     "step \(step.name) has no parameter '\(name)' (its parameters: \(known.isEmpty ? "none" : known))"))
            ok = false
        }
        for spec in specs {
            if let value = cell.params[spec.name] {
                guard spec.type.accepts(value) else {
                    errors.append(InputError(file: notebook.file, line: cell.paramLines[spec.name] ?? cell.line,
                                             field: "params.\(spec.name)",
                                             "parameter '\(spec.name)' of \(step.name) must be \(spec.type.phrase), not \(value.yamlTypeName) (\(value))"))
                    ok = false
                    continue
                }
                if let number = spec.outOfRange(value), let range = spec.range {
                    errors.append(InputError(file: notebook.file, line: cell.paramLines[spec.name] ?? cell.line,
                                             field: "params.\(spec.name)",
                                             "parameter '\(spec.name)' of \(step.name) is \(number); allowed: \(range.lowerBound) to \(range.upperBound)"))
                    ok = false
                    continue
                }
                values[spec.name] = spec.type.canonical(value)
            } else if let value = spec.defaultValue {
                values[spec.name] = value == .null ? value : spec.type.canonical(value)
            } else {
                errors.append(InputError(file: notebook.file, line: cell.line, field: "params.\(spec.name)",
                                         "cell '\(cell.id)' must set parameter '\(spec.name)' (\(spec.type.phrase)): \(spec.help)"))
                ok = false
            }
        }
        return ok ? Parameters(values, step: step.name) : nil
    }

    /// The first dependency cycle in file order, as an error at the `uses:` line of a cell on it.
    static func findCycle(order: [String], nodes: [String: Node]) -> InputError? {
        var state: [String: Int] = [:]  // 1: on the current path, 2: done
        var path: [String] = []
        func visit(_ key: String) -> [String]? {
            if state[key] == 2 { return nil }
            if state[key] == 1 { return Array(path[path.firstIndex(of: key)!...]) + [key] }
            state[key] = 1
            path.append(key)
            for input in nodes[key]?.inputs ?? [] { if let cycle = visit(input) { return cycle } }
            path.removeLast()
            state[key] = 2
            return nil
        }
        for key in order {
            if let cycle = visit(key), let node = nodes[cycle[0]] {
                return InputError(file: node.notebook.file, line: node.cell.usesLine, field: "uses",
                                  "dependency cycle: \(cycle.joined(separator: " → "))")
            }
        }
        return nil
    }

    /// Depth-first post-order from each cell in file order: inputs come first, otherwise the file order is kept.
    static func topologicalOrder(order: [String], nodes: [String: Node]) -> [Node] {
        var seen: Set<String> = []
        var result: [Node] = []
        func visit(_ key: String) {
            guard !seen.contains(key), let node = nodes[key] else { return }
            seen.insert(key)
            node.inputs.forEach(visit)
            result.append(node)
        }
        order.forEach(visit)
        return result
    }
}

/// Every problem found while checking notebooks, each naming file and line.
public struct NotebookErrors: Error, CustomStringConvertible {
    public let errors: [InputError]
    public init(_ errors: [InputError]) { self.errors = errors }
    public var description: String {
        let noun = errors.count == 1 ? "problem" : "problems"
        return "\(errors.count) notebook \(noun); nothing was run:\n" + errors.map { "  \($0)" }.joined(separator: "\n")
    }
}
