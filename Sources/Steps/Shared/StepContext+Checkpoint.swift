import Neural
import Store
import Workbench

extension StepContext {
    /// The MicroLM checkpoint stored under `digest`, decoded once per run (see ``LoadedValues``).
    func checkpoint(_ digest: String) throws -> MicroLMCheckpoint {
        try loaded.value("checkpoint:" + digest) { try MicroLMCheckpoint.stored(digest, in: store) }
    }
}

extension MicroLMCheckpoint {
    /// The checkpoint stored as artifact `digest` (a job program's trainer has no run to remember it in).
    static func stored(_ digest: String, in store: Store) throws -> MicroLMCheckpoint {
        try MicroLMCheckpoint(data: try store.artifact(digest), name: "checkpoint \(digest.prefix(12))")
    }
}
