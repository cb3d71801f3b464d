import Foundation
import PackagePlugin

/// Gives a module the digest of its own code and of every module of this package it depends on, directly or not
/// (`CodeDigest.sources`, generated at build time by `code-digest`). The Steps module puts it into every cell's cache
/// key, so that a change to the code that computes a cell makes the cell stale even if no one bumped its version.
@main
struct CodeDigestPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let local = Set(context.package.targets.map(\.id))
        let modules = ([target] + target.recursiveTargetDependencies).filter { local.contains($0.id) }
        // Swift sources, and the C headers and module maps of system-library modules (CBLAS).
        let files = modules.flatMap { module -> [URL] in
            if let source = module as? SourceModuleTarget { return source.sourceFiles.map(\.url).filter { $0.pathExtension == "swift" } }
            guard let folder = (module as? SystemLibraryTarget)?.directoryURL,
                  let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
            return names.sorted().map { folder.appendingPathComponent($0) }
        }
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("CodeDigest.swift")
        return [.buildCommand(
            displayName: "Digesting the code of \(target.name) and the \(modules.count - 1) modules it uses",
            executable: try context.tool(named: "code-digest").url,
            arguments: [output.path, context.package.directoryURL.path] + files.map(\.path),
            inputFiles: files, outputFiles: [output])]
    }
}
