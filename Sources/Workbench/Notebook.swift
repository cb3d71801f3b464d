import Core
import Foundation
import Yams

/// A notebook: a Markdown file whose fenced ```` ```step ```` blocks are cells; everything else is prose for people.
///
///     Some prose explaining what the next cell does.
///
///     ```step
///     id: fit                       # unique in the notebook; letters, digits, '-', '_'
///     step: rule.fit                # a registered step name (optionally pinned: rule.fit@2)
///     uses: [finetunes, indicators] # cells whose outputs it reads; "01-data/ingest" names another notebook's cell
///     params:
///       alpha: 0.05
///     ```
///
/// Prose never enters a cache key: editing it makes nothing stale.
public struct Notebook: Sendable {
    /// The file as given (relative paths stay relative, so messages match what the user typed).
    public let file: String
    /// The file name without `.md`: the notebook's identity in the store and under `out/` and `figures/`.
    public let name: String
    public let cells: [Cell]
    /// The source split into prose and cells, in file order, for rendering.
    public let blocks: [Block]

    public enum Block: Sendable {
        case prose(String)
        case cell(Int)  // index into `cells`
    }

    /// One step cell as written.
    public struct Cell: Sendable {
        public let id: String
        /// The step name without any `@version` pin.
        public let step: String
        /// The pinned version (`step: rule.fit@2`), if any.
        public let pinnedVersion: Int?
        public let uses: [String]
        /// Parameters as written (before defaults and type checks).
        public let params: [String: JSONValue]
        /// Line of the opening fence, and of the `id:`, `step:`, `uses:` keys and each parameter key.
        public let line: Int
        public let idLine: Int
        public let stepLine: Int
        public let usesLine: Int
        public let paramLines: [String: Int]
        /// The cell's YAML exactly as written (shown in the rendered notebook).
        public let source: String
    }

    /// The largest notebook file accepted, and the largest single cell (a cell is a few lines of YAML).
    public static let maxBytes = 16 * 1024 * 1024
    public static let maxCellBytes = 64 * 1024

    /// Reads and parses a notebook file; one without cells is an error.
    public static func load(file: String) throws -> Notebook {
        let notebook = try parse(try FileReading.text(file, maxBytes: maxBytes), file: file)
        guard !notebook.cells.isEmpty else {
            throw InputError(file: file, "the notebook has no ```step cells; there is nothing to run")
        }
        return notebook
    }

    /// Parses notebook text; `file` is used for the name and in error messages.
    public static func parse(_ text: String, file: String) throws -> Notebook {
        let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        let lines = text.components(separatedBy: "\n")
        var cells: [Cell] = []
        var blocks: [Block] = []
        var prose: [String] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            if let fence = otherFence(line) {
                // An ordinary code block is prose, even if it shows an example ```step cell.
                prose.append(line)
                index += 1
                while index < lines.count {
                    prose.append(lines[index])
                    index += 1
                    if lines[index - 1].trimmingCharacters(in: .whitespaces).hasPrefix(fence) { break }
                }
                continue
            }
            guard isStepFence(line) else { prose.append(line); index += 1; continue }
            let fenceLine = index + 1
            var body: [String] = []
            index += 1
            while index < lines.count, !isClosingFence(lines[index]) { body.append(lines[index]); index += 1 }
            guard index < lines.count else {
                throw InputError(file: file, line: fenceLine, "this ```step cell is never closed with ```")
            }
            index += 1  // the closing fence
            if !prose.isEmpty { blocks.append(.prose(prose.joined(separator: "\n"))); prose = [] }
            let cell = try parseCell(body.joined(separator: "\n"), file: file, fenceLine: fenceLine)
            if let first = cells.first(where: { $0.id == cell.id }) {
                throw InputError(file: file, line: cell.idLine, field: "id",
                                 "duplicate cell id '\(cell.id)' (first used on line \(first.idLine))")
            }
            blocks.append(.cell(cells.count))
            cells.append(cell)
        }
        if !prose.isEmpty { blocks.append(.prose(prose.joined(separator: "\n"))) }
        return Notebook(file: file, name: name, cells: cells, blocks: blocks)
    }

    private static func isStepFence(_ line: String) -> Bool {
        line.trimmingCharacters(in: .whitespaces) == "```step"
    }

    /// The fence (``` or ~~~, as long as written) opening a non-step code block, or nil.
    private static func otherFence(_ line: String) -> String? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !isStepFence(line), let mark = trimmed.first, mark == "`" || mark == "~" else { return nil }
        let fence = String(trimmed.prefix(while: { $0 == mark }))
        guard fence.count >= 3, !(mark == "`" && trimmed.dropFirst(fence.count).contains("`")) else { return nil }
        return fence
    }

    private static func isClosingFence(_ line: String) -> Bool {
        line.trimmingCharacters(in: .whitespaces) == "```"
    }

    private static let cellKeys: Set<String> = ["id", "step", "uses", "params"]

    private static func parseCell(_ yaml: String, file: String, fenceLine: Int) throws -> Cell {
        let node: Node?
        do { node = try YAMLConversion.compose(yaml, file: file, maxBytes: maxCellBytes, lineOffset: fenceLine) } catch let error as InputError {
            throw error
        } catch {
            let line = (error as? YamlError).flatMap(yamlErrorLine).map { $0 + fenceLine } ?? fenceLine
            throw InputError(file: file, line: line,
                             "the cell is not valid YAML: \(error)")
        }
        guard let node, let mapping = node.mapping else {
            throw InputError(file: file, line: fenceLine, "a step cell must be a YAML mapping with id, step, uses and params")
        }
        func keyLine(_ key: String) -> Int {
            for (k, _) in mapping where k.string == key { return YAMLConversion.line(of: k, fenceLine) ?? fenceLine }
            return fenceLine
        }
        for (key, _) in mapping {
            guard let name = key.string, cellKeys.contains(name) else {
                throw InputError(file: file, line: YAMLConversion.line(of: key, fenceLine) ?? fenceLine, field: key.string,
                                 "unknown cell key '\(key.string ?? "?")'; a cell has id, step, uses and params")
            }
        }
        guard let id = mapping["id"]?.string, !id.isEmpty else {
            throw InputError(file: file, line: fenceLine, field: "id", "the cell has no id")
        }
        guard id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw InputError(file: file, line: keyLine("id"), field: "id", "cell id '\(id)' may only use letters, digits, '-' and '_'")
        }
        guard let stepText = mapping["step"]?.string, !stepText.isEmpty else {
            throw InputError(file: file, line: fenceLine, field: "step", "cell '\(id)' names no step")
        }
        var step = stepText
        var pinned: Int?
        if let at = stepText.firstIndex(of: "@") {
            step = String(stepText[..<at])
            guard let version = Int(stepText[stepText.index(after: at)...]) else {
                throw InputError(file: file, line: keyLine("step"), field: "step", "'\(stepText)': a version pin is @<integer>")
            }
            pinned = version
        }
        var uses: [String] = []
        if let usesNode = mapping["uses"] {
            if let single = usesNode.string, usesNode.scalar != nil { uses = single.isEmpty ? [] : [single] }
            else if let sequence = usesNode.sequence {
                for item in sequence {
                    guard let use = item.string, item.scalar != nil else {
                        throw InputError(file: file, line: keyLine("uses"), field: "uses", "uses: lists cell ids (strings)")
                    }
                    uses.append(use)
                }
            } else {
                throw InputError(file: file, line: keyLine("uses"), field: "uses", "uses: must be a list of cell ids")
            }
        }
        var params: [String: JSONValue] = [:]
        var paramLines: [String: Int] = [:]
        if let paramsNode = mapping["params"] {
            if case .scalar(let scalar) = paramsNode, scalar.string.isEmpty || scalar.string == "null" {
                // `params:` with nothing under it: no parameters.
            } else {
                guard let paramMapping = paramsNode.mapping else {
                    throw InputError(file: file, line: keyLine("params"), field: "params", "params: must be a mapping of name: value")
                }
                for (key, _) in paramMapping {
                    if let name = key.string { paramLines[name] = YAMLConversion.line(of: key, fenceLine) ?? fenceLine }
                }
                guard case .object(let object) = try YAMLConversion.value(paramsNode, file: file, lineOffset: fenceLine) else {
                    throw InputError(file: file, line: keyLine("params"), field: "params", "params: must be a mapping")
                }
                params = object
            }
        }
        return Cell(id: id, step: step, pinnedVersion: pinned, uses: uses, params: params, line: fenceLine,
                    idLine: keyLine("id"), stepLine: keyLine("step"), usesLine: keyLine("uses"), paramLines: paramLines,
                    source: yaml)
    }

    private static func yamlErrorLine(_ error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }
}
