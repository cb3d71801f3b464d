import Foundation
import Steps
import Store
import Workbench
import XCTest

/// A workbench on the repository's data, notebooks and profiles whose store, `out/` and `figures/` live in a fresh
/// temporary folder, removed when the test ends. Steps read `paper-repro/` relative to the repository root, as
/// `imine` run from there does, so the current directory moves there.
struct ScratchWorkbench {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    let folder: URL
    let paths: WorkbenchPaths
    let registry: StepRegistry

    init(_ label: String, for test: XCTestCase) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("imine-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        test.addTeardownBlock { [folder] in try? FileManager.default.removeItem(at: folder) }
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(Self.root.path))
        paths = Self.paths(under: folder)
        registry = try StepCatalog.registry()
    }

    /// A second, independent workbench in a subfolder: its own store, outputs and figures.
    func sibling(_ name: String) throws -> WorkbenchPaths {
        let sub = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        return Self.paths(under: sub)
    }

    /// A quiet runner on `paths` (this workbench's by default) under the named profile.
    func runner(profile: String = "tiny", paths: WorkbenchPaths? = nil) throws -> Runner {
        let paths = paths ?? self.paths
        let runner = Runner(store: try WorkbenchStore.open(paths.store), profile: try paths.loadProfile(profile), paths: paths)
        runner.log = { _ in }
        return runner
    }

    /// Pools, tokenizer, base model, the tiny profile's 12 rule-fit subsets and their finetunes.
    static let ruleFinetunesNotebook = """
        ```step
        id: pools
        step: corpus.pools
        ```

        ```step
        id: tokenizer
        step: lm.tokenizer
        uses: [pools]
        ```

        ```step
        id: base
        step: lm.pretrain
        uses: [pools, tokenizer]
        ```

        ```step
        id: subsets
        step: rule.subsets
        uses: [pools]
        ```

        ```step
        id: finetunes
        step: rule.finetunes
        uses: [subsets, pools, base]
        ```
        """

    /// Writes `text` as a notebook in the scratch folder and returns its path.
    func notebook(_ name: String, _ text: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    private static func paths(under folder: URL) -> WorkbenchPaths {
        var paths = WorkbenchPaths(root: root)
        paths.store = folder.appendingPathComponent("store.sqlite").path
        paths.out = folder.appendingPathComponent("out")
        paths.figures = folder.appendingPathComponent("figures")
        return paths
    }
}
