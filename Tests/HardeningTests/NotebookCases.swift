import Foundation
import XCTest

/// Notebooks that are empty, hostile YAML, unreadable or wrong: refused before the store is opened (exit 2), each
/// naming the file and line.
final class NotebookCaseTests: XCTestCase {
    static func cell(_ body: String) -> String { "Prose.\n\n```step\n\(body)\n```\n" }

    func notebookCase(_ name: String, _ text: String, _ messages: [String], command: String = "status") -> HostileCase {
        notebookCase(name, Data(text: text), messages, command: command)
    }

    func notebookCase(_ name: String, _ bytes: Data, _ messages: [String], command: String = "status") -> HostileCase {
        HostileCase("notebook (\(command)): \(name)", [command, "--profile", CLI.tinyProfile.path, "--store", "store.sqlite", "nb.md"],
                    status: 2, ["nb.md"] + messages, files: ["nb.md": bytes])
    }

    func testHostileNotebooksAreRefusedBeforeAnythingRuns() throws {
        let bomb = ProfileCaseTests.aliasBomb(levels: 12).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        var cases: [HostileCase] = []
        for command in ["status", "run"] {
            cases += [
                notebookCase("empty file", "", ["no ```step cells"], command: command),
                notebookCase("prose only", "# Title\n\nJust words.\n", ["no ```step cells"], command: command),
                notebookCase("whitespace only", "   \n\n\t\n", ["no ```step cells"], command: command),
                notebookCase("alias bomb in params", Self.cell("id: a\nstep: workbench.sleep\nparams:\n" + bomb), ["anchors and aliases"], command: command),
                notebookCase("anchor in params", Self.cell("id: a\nstep: workbench.sleep\nparams: {ms: &m 1, label: x}"), ["anchors and aliases"], command: command),
                notebookCase("deep flow nesting", Self.cell("id: a\nstep: workbench.sleep\nparams: {label: " + String(repeating: "[", count: 50_000) + "}"), ["nested more than 64 levels"], command: command),
                notebookCase("huge cell", Self.cell("id: a\nstep: workbench.sleep\nparams: {label: \"" + String(repeating: "y", count: 70_000) + "\"}"), ["at most 65536 are accepted"], command: command),
                notebookCase("unclosed cell", "```step\nid: a\nstep: workbench.sleep\n", ["never closed"], command: command),
                notebookCase("not YAML", Self.cell("id: a\nstep: [workbench.sleep\n"), ["not valid YAML"], command: command),
                notebookCase("a list, not a mapping", Self.cell("- id: a\n- step: workbench.sleep"), ["must be a YAML mapping"], command: command),
                notebookCase("a sleep of 31 years", Self.cell("id: a\nstep: workbench.sleep\nparams: {ms: 1000000000000}"), ["parameter 'ms'", "allowed: 0.0 to 3600000.0"], command: command),
                notebookCase("negative scratch count", Self.cell("id: a\nstep: workbench.sleep\nparams: {scratch: -1}"), ["parameter 'scratch'"], command: command),
                notebookCase("unknown cell key", Self.cell("id: a\nstep: workbench.sleep\nparam: {ms: 1}"), ["unknown cell key 'param'"], command: command),
                notebookCase("no id", Self.cell("step: workbench.sleep"), ["has no id"], command: command),
                notebookCase("bad id", Self.cell("id: a/b\nstep: workbench.sleep"), ["may only use letters"], command: command),
                notebookCase("duplicate id", Self.cell("id: a\nstep: workbench.sleep") + Self.cell("id: a\nstep: workbench.sleep"), ["duplicate cell id 'a'"], command: command),
                notebookCase("unknown step", Self.cell("id: a\nstep: no.such.step"), ["no.such.step"], command: command),
                notebookCase("bad version pin", Self.cell("id: a\nstep: workbench.sleep@x"), ["a version pin is @<integer>"], command: command),
                notebookCase("wrong parameter type", Self.cell("id: a\nstep: workbench.sleep\nparams: {ms: soon}"), ["ms"], command: command),
                notebookCase("unknown parameter", Self.cell("id: a\nstep: workbench.sleep\nparams: {seconds: 1}"), ["seconds"], command: command),
                notebookCase("uses an unknown cell", Self.cell("id: a\nstep: workbench.sleep\nuses: [ghost]"), ["ghost"], command: command),
                notebookCase("dependency cycle", Self.cell("id: a\nstep: workbench.sleep\nuses: [b]") + Self.cell("id: b\nstep: workbench.sleep\nuses: [a]"), ["cycle"], command: command),
                notebookCase("duplicate parameter", Self.cell("id: a\nstep: workbench.sleep\nparams:\n  ms: 1\n  ms: 2"), ["not valid YAML", "'ms'"], command: command),
                notebookCase("params as a list", Self.cell("id: a\nstep: workbench.sleep\nparams: [1, 2]"), ["params: must be a mapping"], command: command),
                notebookCase("uses as a mapping", Self.cell("id: a\nstep: workbench.sleep\nuses: {x: 1}"), ["uses: must be a list"], command: command),
                notebookCase("not UTF-8", Data([0x60, 0x60, 0x60, 0xFF, 0x0A]), ["is not UTF-8 text"], command: command),
            ]
            cases += [
                HostileCase("notebook (\(command)): missing file", [command, "--profile", CLI.tinyProfile.path, "--store", "store.sqlite", "gone.md"],
                            status: 2, ["gone.md", "does not exist"]),
                HostileCase("notebook (\(command)): a folder", [command, "--profile", CLI.tinyProfile.path, "--store", "store.sqlite", "dir.md"],
                            status: 2, ["dir.md", "is a folder"], files: ["dir.md/x": Data()]),
                HostileCase("notebook (\(command)): a symlink loop", [command, "--profile", CLI.tinyProfile.path, "--store", "store.sqlite", "loop.md"],
                            status: 2, ["loop.md", "loop of symbolic links"], links: ["loop.md": "loop.md"]),
                HostileCase("notebook (\(command)): a named pipe", [command, "--profile", CLI.tinyProfile.path, "--store", "store.sqlite", "pipe.md"],
                            status: 2, ["pipe.md", "not a regular file"], fifos: ["pipe.md"]),
            ]
        }
        XCTAssertGreaterThanOrEqual(try check(cases, in: try scratchFolder()), 50)
    }

    func testCommandLineMistakesSayWhatIsWrong() throws {
        let cases = [
            HostileCase("export --limit -1", ["data", "export", "rule-fit", "-o", "x.json", "--limit", "-1"], status: 64, ["--limit must be 0 or more"]),
            HostileCase("unknown option", ["run", "--profil", "tiny"], status: 64, ["--profil"]),
            HostileCase("unknown subcommand", ["rum"], status: 64, ["rum"]),
            HostileCase("steps: unknown step", ["steps", "no.such"], status: 2, ["no step 'no.such'"]),
            HostileCase("data ingest: unknown source", ["data", "ingest", "--store", "store.sqlite", "no-such-source"], status: 2, ["unknown source"]),
        ]
        try check(cases, in: try scratchFolder())
        let help = try CLI.run(["--help"], in: try scratchFolder())
        XCTAssertTrue(help.stdout.contains("Exit status:") && help.stdout.contains("143"), help.stdout)
        // The help names every shipped profile, and only those.
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("paper-repro/profiles")
        let shipped = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
            .map { String($0.dropLast(5)) }.sorted()
        // The help wraps lines, so the list is read from "(profiles: " to the next ")" across line breaks.
        let start = try XCTUnwrap(help.stdout.range(of: "(profiles: "), help.stdout)
        let end = try XCTUnwrap(help.stdout[start.upperBound...].firstIndex(of: ")"))
        let list = help.stdout[start.upperBound..<end]
        let named = list.split(whereSeparator: { ", ;\n".contains($0) }).map(String.init).sorted()
        XCTAssertEqual(named, shipped, String(list))
    }
}
