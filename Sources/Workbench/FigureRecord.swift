import GRDB

/// One rendered figure (table `figure`): which cell made it and the spec it was drawn from.
public struct FigureRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "figure"
    public var notebook: String
    public var name: String
    public var cellID: String
    public var specDigest: String
    public var directory: String
    public var renderedAt: String

    enum CodingKeys: String, CodingKey {
        case notebook, name, cellID = "cell_id", specDigest = "spec_digest", directory, renderedAt = "rendered_at"
    }

    public init(notebook: String, name: String, cellID: String, specDigest: String, directory: String, renderedAt: String) {
        self.notebook = notebook
        self.name = name
        self.cellID = cellID
        self.specDigest = specDigest
        self.directory = directory
        self.renderedAt = renderedAt
    }
}
