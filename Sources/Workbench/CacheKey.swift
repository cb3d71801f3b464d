import Core
import Foundation

/// A cell's cache key: SHA-256 over everything that can change its result, and nothing else.
///
/// In: the step's name and version, the digest of the code that computes it (when its registry has one), its canonical
/// parameters (defaults applied, sorted keys), the payload digests of the cells it uses (in `uses:` order), the
/// values of the profile keys it declares, the profile's seed, and the fingerprints of files outside the store that
/// the step names (``Step/externalInputs(_:)``).
/// Never: paths, cell ids, notebook names, run ids, times or prose. So renaming a cell or editing the text around
/// it keeps it fresh, and the same cell in two notebooks is computed once.
public struct CacheKey: Encodable, Sendable {
    /// Bumped only if the key's recipe itself changes (it would make every cell stale).
    public let recipe = "imine-cell-1"
    public let step: String
    public let version: Int
    /// The digest of the step's code (``StepRegistry/code(of:)``); absent from the key when nil.
    public let code: String?
    public let parameters: [String: JSONValue]
    public let inputs: [String]
    public let profile: [String: JSONValue]
    public let seed: UInt64
    /// Fingerprints of files outside the store (``Step/externalInputs(_:)``).
    public let external: [String: String]

    public init(step: any Step.Type, code: String? = nil, parameters: Parameters, inputDigests: [String], profile: Profile,
                external: [String: String] = [:]) {
        self.step = step.name
        self.version = step.version
        self.code = code
        self.parameters = parameters.values
        self.inputs = inputDigests
        var values: [String: JSONValue] = [:]
        for key in step.profileKeys { values[key] = profile.value(key) ?? .null }
        for key in step.optionalProfileKeys { if let value = profile.value(key) { values[key] = value } }
        self.profile = values
        self.seed = profile.seed
        self.external = external
    }

    /// The key of a planned cell, asking its step for its external inputs.
    public static func digest(of node: Plan.Node, inputDigests: [String], profile: Profile, paths: WorkbenchPaths) throws -> String {
        let view = ProfileView(profile: profile, allowedKeys: node.step.readableProfileKeys, stepName: node.step.name)
        let external = try node.step.externalInputs(ExternalInputsContext(
            parameters: node.parameters, profile: view, dataDirectory: paths.data, modelsDirectory: paths.models))
        return try CacheKey(step: node.step, code: node.code, parameters: node.parameters, inputDigests: inputDigests, profile: profile,
                            external: external).digest()
    }

    /// The hex digest.
    public func digest() throws -> String { try CanonicalJSON.digest(self) }
}
