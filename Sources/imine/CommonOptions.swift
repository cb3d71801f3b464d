import ArgumentParser
import Core
import Corpus
import Foundation
import Steps
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

/// The profiles shipped under paper-repro/profiles/, as every `--profile` help names them (a test checks the list
/// against the folder).
enum ShippedProfiles {
    static let names = "tiny, quick, real-quick, real, paper; tiny-gguf, gpu, slurm"
}

/// Options for commands that plan notebooks.
struct NotebookOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Notebook files (default: every notebooks/*.md).", valueName: "notebook"))
    var notebooks: [String] = []

    @Option(name: .long, help: ArgumentHelp(
        "Profile name under paper-repro/profiles/ (\(ShippedProfiles.names)) or a path to a .yaml file.", valueName: "name"))
    var profile: String = "quick"

    func files(_ paths: WorkbenchPaths) throws -> [String] {
        let files = notebooks.isEmpty ? paths.allNotebooks() : notebooks
        guard !files.isEmpty else {
            throw ValidationError("no notebooks given and none under notebooks/; name a notebook file")
        }
        return files
    }

    /// The checked profile, the plan of these notebooks and a runner on the store: what `run` and `status` start from.
    func runner(_ storeOptions: StoreOptions) throws -> (profile: Profile, plan: Plan, runner: Runner) {
        let paths = storeOptions.paths
        let profile = try paths.loadCheckedProfile(self.profile)
        let plan = try Plan(files: try files(paths), registry: try registeredSteps())
        return (profile, plan, Runner(store: try WorkbenchStore.open(paths.store), profile: profile, paths: paths))
    }
}

/// Prints a user-facing error (`imine: <message>` on stderr, the one error style) and returns the exit to throw.
func fail(_ message: String, _ status: ExitStatus = .unexpected) -> ExitCode {
    FileHandle.standardError.write(Data("imine: \(message)\n".utf8))
    return status.code
}

/// Runs `body`, turning every error into one `imine: ...` line (or block) on stderr and the exit status of
/// ``ExitStatus`` that says what kind of failure it was.
func reportingErrors(_ body: () throws -> Void) throws {
    do { try body() } catch let error as NotebookErrors {
        throw fail("\(error)", .badInput)
    } catch let error as ProfileErrors {
        throw fail("\(error)", .badInput)
    } catch let error as InputError {
        throw fail("\(error)", .badInput)
    } catch let error as ShrinkError {
        throw fail("\(error)", .wouldLoseData)
    } catch let error as StoreError {
        switch error {
        case .busy: throw fail("\(error)", .storeBusy)
        case .foreign, .newerSchema, .unknownMigration, .damaged: throw fail("\(error)", .storeRefused)
        default: throw fail("\(error)")
        }
    } catch let error as ExitCode {
        throw error
    } catch let error as ValidationError {
        throw error
    } catch let error as CocoaError {
        // A Foundation file error that no loader turned into an InputError: still the path and plain words.
        throw fail("\(FileReading.path(of: error) ?? "a file"): \(FileReading.describe(error))", .badInput)
    } catch {
        throw fail("\(error)")
    }
}

extension WorkbenchPaths {
    /// Loads a profile and validates every value against ``ProfileSchema/reproduction`` before anything runs.
    func loadCheckedProfile(_ nameOrPath: String) throws -> Profile {
        let profile = try loadProfile(nameOrPath)
        try ProfileSchema.reproduction.validate(profile)
        return profile
    }
}
