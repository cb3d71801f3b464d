import ArgumentParser
import Core
import Foundation
import Store
import Workbench

/// Options shared by the commands that read the store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The SQLite store to use.", valueName: "path"))
    var store: String = ".imine/store.sqlite"

    var paths: WorkbenchPaths {
        var paths = WorkbenchPaths(root: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        paths.store = URL(fileURLWithPath: store, relativeTo: paths.root).path
        return paths
    }
}

/// Options for commands that plan notebooks.
struct NotebookOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Notebook files (default: every notebooks/*.md).", valueName: "notebook"))
    var notebooks: [String] = []

    @Option(name: .long, help: ArgumentHelp(
        "Profile name under paper-repro/profiles/ (tiny, quick, paper) or a path to a .yaml file.", valueName: "name"))
    var profile: String = "quick"

    func files(_ paths: WorkbenchPaths) throws -> [String] {
        let files = notebooks.isEmpty ? paths.allNotebooks() : notebooks
        guard !files.isEmpty else {
            throw ValidationError("no notebooks given and none under notebooks/; name a notebook file")
        }
        return files
    }
}

/// Prints a user-facing error and exits with `code`; for errors that already say what to do.
func fail(_ message: String, code: Int32 = 1) -> ExitCode {
    FileHandle.standardError.write(Data("imine: \(message)\n".utf8))
    return ExitCode(code)
}

/// Runs `body`, turning the workbench's known errors into clear messages and distinct exit codes:
/// 2 bad notebook or input, 3 store busy, 1 anything else.
func reportingErrors(_ body: () throws -> Void) throws {
    do { try body() } catch let error as NotebookErrors {
        throw fail("\(error)", code: 2)
    } catch let error as InputError {
        throw fail("\(error)", code: 2)
    } catch let error as StoreError {
        if case .busy = error { throw fail("\(error)", code: 3) }
        throw fail("\(error)")
    } catch let error as ExitCode {
        throw error
    } catch let error as ValidationError {
        throw error
    } catch {
        throw fail("\(error)")
    }
}
