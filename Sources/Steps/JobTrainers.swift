import Store
import Neural
import Training

/// The in-process trainers a job program can run (`imine finetune-job --backend <name>`), from the same registry
/// as the profile's `oracle.backend` (``Oracles``), so a job run through a command or on a cluster trains exactly
/// as it would in the workbench's process.
public enum JobTrainers {
    public static var names: [String] { Oracles.trainers.keys.sorted() }

    /// The trainer `name` starting from `model` (MicroLM: a checkpoint digest in `store`), with BLAS pinned to one
    /// thread as in process, so that results match bit for bit.
    public static func make(_ name: String, model: String, store: Store) throws -> any Trainer {
        guard let factory = Oracles.trainers[name] else {
            throw JobTrainerError.unknown(name, known: names)
        }
        BLAS.pinForReproducibility()
        return try factory(model, store)
    }
}

public enum JobTrainerError: Error, CustomStringConvertible {
    case unknown(String, known: [String])

    public var description: String {
        switch self {
        case let .unknown(name, known): "no in-process backend '\(name)'; known: \(known.joined(separator: ", "))"
        }
    }
}
