import Core
import Foundation

/// One catalogued file checked against MANIFEST.tsv: present, same bytes, same count.
public struct SourceStatus: Sendable {
    public var entry: CatalogEntry
    public var licence: String
    public var stated: ManifestEntry?
    /// Nil when the file could not be loaded; `problem` says why.
    public var report: LoadReport?
    public var sha256: String?
    public var problem: String?

    /// Checksum and count both agree with the manifest (a file the manifest does not list cannot be verified).
    public var verified: Bool {
        guard let stated, let report, let sha256, problem == nil else { return false }
        return sha256 == stated.sha256 && report.records == stated.count && report.unit == stated.unit
    }
}

extension DataFolder {
    /// Loads every catalogued file and compares it with MANIFEST.tsv; missing or malformed files are reported,
    /// not thrown, so one bad file does not hide the others.
    public func inventory(policy: LoadPolicy = .standard) throws -> [SourceStatus] {
        let manifest = try self.manifest()
        return Catalog.entries.map { entry in
            var status = SourceStatus(entry: entry, licence: manifest[entry.path]?.licence ?? "unknown", stated: manifest[entry.path])
            do {
                let file = try load(entry, policy: policy)
                status.report = file.report
                status.sha256 = file.sha256
                if let stated = status.stated {
                    if file.sha256 != stated.sha256 { status.problem = "checksum differs from MANIFEST.tsv" }
                    else if file.report.records != stated.count { status.problem = "\(file.report.records) \(file.report.unit), MANIFEST.tsv says \(stated.count) \(stated.unit)" }
                }
            } catch {
                status.problem = "\(error)"
            }
            return status
        }
    }
}
