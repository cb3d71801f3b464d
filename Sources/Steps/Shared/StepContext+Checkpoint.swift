import Neural
import Workbench

extension StepContext {
    /// The MicroLM checkpoint stored under `digest`, decoded once per run (see ``LoadedValues``).
    func checkpoint(_ digest: String) throws -> MicroLMCheckpoint {
        try loaded.value("checkpoint:" + digest) {
            try MicroLMCheckpoint(data: try store.artifact(digest), name: "checkpoint \(digest.prefix(12))")
        }
    }
}
