/// Exact duplicates across sources: how many content hashes each pair of sources shares.
public struct DuplicateCount: Codable, Equatable, Sendable {
    public var first: String
    public var second: String
    public var shared: Int
}

public enum Duplicates {
    /// Pairs of files sharing at least one example, pair or document by content hash, sorted by source names.
    public static func across(_ files: [LoadedFile]) -> [DuplicateCount] {
        let sorted = files.sorted { $0.name < $1.name }
        let sets = sorted.map { file in
            Set(file.examples.map(\.id) + file.judged.map(\.example.id) + file.preferences.map(\.id) + file.documents.map(\.id))
        }
        var result: [DuplicateCount] = []
        for i in sorted.indices {
            for j in sorted.indices where j > i {
                let shared = sets[i].intersection(sets[j]).count
                if shared > 0 { result.append(DuplicateCount(first: sorted[i].name, second: sorted[j].name, shared: shared)) }
            }
        }
        return result
    }
}
