/// Ingesting a source would lose data: it loaded to no records, to fewer than MANIFEST.tsv says, or to fewer than
/// the store holds. Nothing was written; `imine data ingest --allow-shrink` accepts it on purpose.
public struct ShrinkError: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String
    public var problem: String

    public init(file: String, _ problem: String) {
        self.file = file
        self.problem = problem
    }

    public var description: String {
        "\(file): \(problem); the stored copy was kept. Check the file, or pass --allow-shrink to replace it anyway"
    }
}
