import Core
import Foundation
import ScaleOut
@testable import Steps
import Store
import Training
import Workbench
import XCTest

/// The shipped `gpu` and `slurm` profiles build their backends, and a mistaken `oracle` key is named.
final class OracleProfileTests: XCTestCase {
    private func oracle(_ profile: Profile) throws -> OracleSpec {
        try OracleSpec(ProfileView(profile: profile, allowedKeys: [OracleSpec.key], stepName: "test"))
    }

    func testTheGPUAndSlurmProfilesBuildTheSameJobsThroughTheirBackends() throws {
        let bench = try ScratchWorkbench("oracle-profiles", for: self)
        let store = try WorkbenchStore.open(bench.paths.store)
        let gpu = try Oracles.backend(try oracle(bench.paths.loadProfile("gpu")), baseModel: "meta-llama/Llama-2-7b-hf", store: store)
        let slurm = try Oracles.backend(try oracle(bench.paths.loadProfile("slurm")), baseModel: "meta-llama/Llama-2-7b-hf", store: store)
        XCTAssertTrue(gpu is CommandTrainer)
        let array = try XCTUnwrap(slurm as? SlurmBackend)
        XCTAssertEqual(gpu.name, "command:llama2-7b-full")
        XCTAssertEqual(slurm.name, gpu.name, "the same program on the same jobs: one identity")
        XCTAssertEqual(slurm.options, gpu.options)
        XCTAssertEqual(gpu.options["max_length"], "2048")
        XCTAssertEqual(array.configuration.slurm.partition, "gpu")
        XCTAssertEqual(array.configuration.slurm.gpusPerTask, 1)
        XCTAssertEqual(array.configuration.command.executable, ".venv-gpu/bin/python")
        XCTAssertEqual(try oracle(bench.paths.loadProfile("gpu")).baseModel(workbench: "abc", isDefaultBase: false), "meta-llama/Llama-2-13b-hf")
        XCTAssertEqual(try oracle(bench.paths.loadProfile("tiny")).backend, "microlm", "no oracle: MicroLM")
    }

    func testAMistakenOracleKeyIsNamedWithItsFile() throws {
        func profile(_ oracle: JSONValue) -> Profile {
            Profile(name: "p", file: "p.yaml", values: .object(["oracle": oracle]))
        }
        XCTAssertThrowsError(try oracle(profile(.object(["backend": .string("gpu-magic")])))) { error in
            XCTAssertEqual((error as? InputError)?.field, "oracle.backend", "\(error)")
            XCTAssertTrue("\(error)".contains("command, gguf, microlm, slurm"), "\(error)")
        }
        XCTAssertThrowsError(try oracle(profile(.object(["backend": .string("command"), "partition": .string("gpu")])))) { error in
            XCTAssertEqual((error as? InputError)?.field, "oracle.partition", "\(error)")
            XCTAssertEqual((error as? InputError)?.file, "p.yaml")
        }
        XCTAssertThrowsError(try oracle(profile(.object(["backend": .string("microlm"), "model": .string("x")])))) { error in
            XCTAssertEqual((error as? InputError)?.field, "oracle.model", "\(error)")
        }
        let noCommand = try oracle(profile(.object(["backend": .string("command"), "name": .string("n")])))
        let bench = try ScratchWorkbench("oracle-keys", for: self)
        let store = try WorkbenchStore.open(bench.paths.store)
        XCTAssertThrowsError(try Oracles.backend(noCommand, baseModel: "m", store: store)) { error in
            XCTAssertEqual((error as? InputError)?.field, "oracle.command", "\(error)")
        }
    }
}
