// bench-notebook: how long a no-op re-run of a finished notebook takes (everything fresh, nothing recomputed).
//
// Workload: one notebook of 30 cells (a DAG: each cell uses the one or two before it; every third cell draws a
// gnuplot figure and a table), run once to fill a fresh store, then re-run with nothing stale: parse and check
// the notebook, compute 30 cache keys, find 30 stored results, re-render Markdown + HTML (figures unchanged, so
// not redrawn). Measured in-process (the Runner) and, when the `imine` binary is built beside this one, as a
// real `imine run` process (30 workbench.sleep cells) including process start-up.
//
// Peer: the requirement itself (issue 2: "a no-op re-run of a finished notebook takes under 5 seconds");
// there is no other implementation to race, so the ratio printed is time / 5 s (must be < 1).
//
//   swift build -c release --product bench-notebook && .build/release/bench-notebook
import Core
import Foundation
import Store
import Workbench

/// A cell that does a little work and draws a figure, like a real analysis step's output.
enum BenchCurve: Step {
    static let name = "bench.curve"
    static let version = 1
    static let parameters = [ParameterSpec("index", .int), ParameterSpec("figure", .bool, default: false)]
    static let profileKeys = ["sweep.sizes"]

    static func run(_ context: StepContext) throws -> StepOutput {
        let index = try context.parameters.int("index")
        let sizes = try context.profile.ints("sweep.sizes")
        var random = context.random("curve-\(index)")
        let points = sizes.map { FigureSpec.Point(x: $0, y: 1 / Double($0).squareRoot() + 0.01 * random.uniform(), error: 0.01) }
        var output = try StepOutput(payload: points.map(\.y))
            .table(Table(title: "Curve \(index)", columns: ["size", "loss"],
                         rows: points.map { [Table.number($0.x, digits: 0), Table.number($0.y)] }))
        if try context.parameters.bool("figure") {
            output = output.figure(FigureSpec(name: "curve-\(index)", title: "Curve \(index)", xLabel: "examples",
                                              yLabel: "loss", xLog: true, series: [.init("loss", kind: .linesPoints, points: points)]))
        }
        return output
    }
}

func notebook(step: String, count: Int) -> String {
    (0..<count).map { i in
        let uses = i == 0 ? "" : i == 1 ? "uses: [c0]\n" : "uses: [c\(i - 1), c\(i - 2)]\n"
        let params = step == "bench.curve" ? "params: {index: \(i), figure: \(i % 3 == 0)}" : "params: {ms: 0, label: c\(i)}"
        return "Cell \(i) explains itself in prose.\n\n```step\nid: c\(i)\nstep: \(step)\n\(uses)\(params)\n```\n"
    }.joined(separator: "\n")
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
let profile = try Profile.load(file: repo.appendingPathComponent("paper-repro/profiles/tiny.yaml"))
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("imine-bench-notebook-\(ProcessInfo.processInfo.processIdentifier)")
try? FileManager.default.removeItem(at: folder)
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }

let cells = 30
let file = folder.appendingPathComponent("bench.md")
try Data(notebook(step: "bench.curve", count: cells).utf8).write(to: file)
var paths = WorkbenchPaths(root: folder)
paths.store = folder.appendingPathComponent("store.sqlite").path
let registry = try StepRegistry(WorkbenchInfo.builtInSteps + [BenchCurve.self])
let runner = Runner(store: try Store(path: paths.store, schemas: [.workbench]), profile: profile, paths: paths)
runner.log = { _ in }

print("workload: \(cells)-cell notebook (DAG, \(cells / 3) gnuplot figures, \(cells) tables), profile tiny, 2-core CPU")
let cold = try seconds {
    let summary = try runner.run(try Plan(files: [file.path], registry: registry))
    precondition(summary.ran.count == cells, "the first run must run every cell")
}
print(String(format: "first run (every cell runs, figures drawn): %.3f s", cold))

var inProcess: [Double] = []
for _ in 0..<5 {
    inProcess.append(try seconds {
        let summary = try runner.run(try Plan(files: [file.path], registry: registry))
        precondition(summary.ran.isEmpty && summary.cached.count == cells, "a no-op re-run must run nothing")
    })
}
let limit = 5.0
print(String(format: "no-op re-run, in-process: median %.3f s, max %.3f s over 5 → ratio to the 5 s requirement %.4f",
             median(inProcess), inProcess.max()!, inProcess.max()! / limit))

// The same through the real command line, when the binary is built beside this benchmark.
let imine = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("imine")
if FileManager.default.isExecutableFile(atPath: imine.path) {
    let cliFile = folder.appendingPathComponent("cli.md")
    try Data(notebook(step: "workbench.sleep", count: cells).utf8).write(to: cliFile)
    func cli() throws {
        let process = Process()
        process.executableURL = imine
        process.arguments = ["run", "--profile", repo.appendingPathComponent("paper-repro/profiles/tiny.yaml").path,
                             "--store", "store.sqlite", "cli.md"]
        process.currentDirectoryURL = folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        precondition(process.terminationStatus == 0, "imine run failed")
    }
    try cli()
    var viaCLI: [Double] = []
    for _ in 0..<5 { viaCLI.append(try seconds { try cli() }) }
    print(String(format: "no-op re-run, `imine run` process (\(cells) cells): median %.3f s, max %.3f s → ratio to 5 s %.4f",
                 median(viaCLI), viaCLI.max()!, viaCLI.max()! / limit))
    if viaCLI.max()! >= limit { print("FAIL: over the 5 s requirement"); exit(1) }
} else {
    print("(no imine binary at \(imine.path): build it to time the command line too)")
}
if inProcess.max()! >= limit { print("FAIL: over the 5 s requirement"); exit(1) }
print("PASS: under the 5 s requirement")
