import GRDB

/// One rendered figure (table `figure`): which cell made it and the spec it was drawn from.
public struct FigureRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "figure"
    public var notebook, name, cellID, specDigest, directory, renderedAt: String

    enum CodingKeys: String, CodingKey {
        case notebook, name, cellID = "cell_id", specDigest = "spec_digest", directory, renderedAt = "rendered_at"
    }

    public init(notebook: String, name: String, cellID: String, specDigest: String, directory: String, renderedAt: String) {
        (self.notebook, self.name, self.cellID) = (notebook, name, cellID)
        (self.specDigest, self.directory, self.renderedAt) = (specDigest, directory, renderedAt)
    }
}
