import ArgumentParser
import Core
import Foundation
import ScaleOut
import Steps
import Store

/// `imine finetune-job`: the workbench as the job program of the command and Slurm backends.
struct FinetuneJobCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finetune-job",
        abstract: "Run one finetune job from its spec.json with an in-process backend and write its result.json.",
        discussion: """
            The program side of the command and Slurm oracles (docs/scale-out.md): it reads
            the job folder's spec.json, checks the subset and evaluation files against their
            SHA-256, finetunes (MicroLM: the checkpoint named by the spec's model, read from
            the store; gguf: the spec's model is a reference gguf:<model>@<sha256>:<mode>:len<n>,
            the file read from $IMINE_MODELS, else ./models, and checked against the digest)
            and writes result.json atomically. A failed finetune writes its error
            into result.json and exits 1; a bad spec exits 2 naming the file and field.

            Example profile section:
              oracle:
                backend: command
                name: microlm-cli
                command: [.build/release/imine, finetune-job, --spec, "{spec}"]
              oracle:
                backend: command
                name: smollm2-cli
                model: "gguf:smollm2-135m-instruct:last-2-blocks:len256"
                command: [.build/release/imine, finetune-job, --backend, gguf, --spec, "{spec}"]
            """)

    @Option(name: .long, help: ArgumentHelp("The job's spec.json.", valueName: "path"))
    var spec: String

    @Option(name: .long, help: ArgumentHelp("In-process backend that trains the job.", valueName: "name"))
    var backend: String = "microlm"

    @Option(name: .long, help: ArgumentHelp(
        "The store holding the base model (default: $IMINE_STORE, else .imine/store.sqlite).", valueName: "path"))
    var store: String?

    func run() throws {
        try reportingErrors {
            let path = store ?? ProcessInfo.processInfo.environment["IMINE_STORE"] ?? ".imine/store.sqlite"
            guard FileManager.default.fileExists(atPath: path) else {
                throw InputError(file: path, field: "store", "no store here; pass --store or set IMINE_STORE")
            }
            let job = try JobProgram.load(spec: URL(fileURLWithPath: spec))
            let trainer = try JobTrainers.make(backend, model: job.spec.model, store: try WorkbenchStore.open(path))
            let result = try JobProgram.run(job, trainer: trainer)
            print("job \(job.spec.jobKey.prefix(12)): " + result.evalLosses.keys.sorted()
                .map { "\($0) \(result.evalLosses[$0]!)" }.joined(separator: ", ") + "; wrote \(job.result.path)")
        }
    }
}
