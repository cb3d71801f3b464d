import Core
import Foundation
import GRDB

/// Content-addressed blobs: a step's output, a checkpoint, a figure's data. The key is the SHA-256 of the bytes,
/// so storing the same result twice is a no-op and a digest names one result forever.
public struct Artifact: Codable, FetchableRecord, PersistableRecord, Sendable {
    public static let databaseTableName = "artifact"
    public var digest: String
    public var kind: String
    public var mediaType: String
    public var size: Int
    public var bytes: Data
    public var createdAt: String

    enum CodingKeys: String, CodingKey {
        case digest, kind, mediaType = "media_type", size, bytes, createdAt = "created_at"
    }
}

extension Store {
    /// Stores `bytes` (if new) and returns their digest.
    @discardableResult
    public func putArtifact(_ bytes: Data, kind: String, mediaType: String = "application/json", in db: Database) throws -> String {
        let digest = SHA256.hex(bytes)
        if try Artifact.exists(db, key: digest) { return digest }
        try Artifact(digest: digest, kind: kind, mediaType: mediaType, size: bytes.count, bytes: bytes,
                     createdAt: ISO8601DateFormatter().string(from: Date())).insert(db)
        return digest
    }

    @discardableResult
    public func putArtifact(_ bytes: Data, kind: String, mediaType: String = "application/json") throws -> String {
        try write { db in try putArtifact(bytes, kind: kind, mediaType: mediaType, in: db) }
    }

    public func artifact(_ digest: String) throws -> Data {
        guard let data = try read({ db in try Data.fetchOne(db, sql: "SELECT bytes FROM artifact WHERE digest = ?", arguments: [digest]) }) else {
            throw StoreError.missingArtifact(digest)
        }
        return data
    }

    /// Encodes `value` as canonical JSON (sorted keys) and stores it.
    @discardableResult
    public func putJSON<T: Encodable>(_ value: T, kind: String, in db: Database) throws -> String {
        try putArtifact(try CanonicalJSON.encode(value), kind: kind, in: db)
    }

    /// Encodes `value` as canonical JSON and stores it in its own transaction.
    @discardableResult
    public func putJSON<T: Encodable>(_ value: T, kind: String) throws -> String {
        try write { db in try putJSON(value, kind: kind, in: db) }
    }

    public func json<T: Decodable>(_ type: T.Type, digest: String) throws -> T {
        try JSONDecoder().decode(T.self, from: try artifact(digest))
    }
}
