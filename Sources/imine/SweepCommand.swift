import ArgumentParser
import Foundation
import ScaleOut
import Steps
import Store
import Training

/// `imine sweep status|ingest|cancel`: the Slurm job arrays that notebook cells submitted (oracle backend `slurm`).
struct SweepCommand: ParsableCommand {
    enum Action: String, ExpressibleByArgument, CaseIterable {
        case status, ingest, cancel
    }

    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Show, ingest or cancel the Slurm job arrays that notebook cells submitted.",
        discussion: """
            A cell whose finetunes go to Slurm (profile: oracle: {backend: slurm, ...})
            exports its jobs as one array under <store folder>/scale-out/<name>/sweeps/.
              status   each sweep's jobs: finished, failed, still queued or running
                       (reads results, writes nothing)
              ingest   records finished and failed jobs in the store's job ledger
                       (`imine run` does this too before it submits anything)
              cancel   scancel every array that still has tasks out
            Slurm is found through the environment (SLURM_CONF, PATH), as for sbatch.
            """)

    @Argument(help: "status, ingest or cancel.")
    var action: Action

    @OptionGroup var storeOptions: StoreOptions

    @Option(name: .long, help: ArgumentHelp("A jobs folder (oracle.jobs_dir) instead of <store folder>/scale-out/*.", valueName: "path"))
    var jobsDir: String?

    func run() throws {
        try reportingErrors {
            let path = storeOptions.paths.store
            guard FileManager.default.fileExists(atPath: path) else { throw ValidationError("no store at \(path); pass --store") }
            let store = try WorkbenchStore.open(path)
            let ledger = JobLedger(store: store)
            let sweeps = try sweepFolders(store: store)
            guard !sweeps.isEmpty else {
                print("no Slurm sweeps under " + (jobsDir ?? URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("scale-out").path))
                return
            }
            for folder in sweeps {
                let sweep = try SlurmSweep.open(folder)
                guard let arrayID = sweep.arrayID else {
                    // A re-export after every result came in leaves an empty manifest: say so, not "not submitted".
                    let tasks = sweep.manifest.tasks.count
                    print("\(folder.path): " + (tasks == 0 ? "nothing left to run (every job it held is finished in the store)"
                                                           : "\(tasks) jobs exported, not submitted"))
                    continue
                }
                let queue = SlurmQueue(log: folder.appendingPathComponent("logs/squeue.log"))
                let live = try queue.liveTasks(of: arrayID)
                let status = try sweep.ingest(into: ledger, liveTasks: live, record: action == .ingest)
                print("\(folder.path): array \(arrayID): \(status.summary)")
                for failure in status.failed { print("  failed \(failure.key.prefix(12)): \(failure.error)") }
                if action == .cancel && !status.pending.isEmpty {
                    try queue.cancel(arrayID)
                    print("  cancelled array \(arrayID) (\(status.pending.count) tasks were out)")
                }
            }
        }
    }

    private func searchRoots(store: Store) -> [URL] {
        if let jobsDir { return [URL(fileURLWithPath: jobsDir)] }
        let root = URL(fileURLWithPath: store.path).deletingLastPathComponent().appendingPathComponent("scale-out")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.sorted().map { root.appendingPathComponent($0) }
    }

    private func sweepFolders(store: Store) throws -> [URL] {
        searchRoots(store: store).flatMap { root -> [URL] in
            let sweeps = root.appendingPathComponent("sweeps")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: sweeps.path)) ?? []
            return names.sorted().map { sweeps.appendingPathComponent($0) }
                .filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent("manifest.json").path) }
        }
    }
}
