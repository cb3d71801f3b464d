/// Named regressor columns of equal length: the right-hand side of a regression, without the intercept.
///
/// ```swift
/// let design = try Design(["Rew": rew, "Len": len, "KNN_6": knn])   // columns are kept in sorted-name order
/// let fit = try OLS.fit(logLoss, design)
/// let smaller = try design.selecting(["Rew", "KNN_6"])
/// ```
public struct Design: Sendable, Codable, Equatable {
    public let names: [String]
    public let columns: [[Double]]
    /// Rows (kept explicitly so that an empty design, the intercept-only model, still knows its size).
    public let rowCount: Int

    /// Columns in the given order. Throws when names repeat, lengths differ or a value is not finite.
    /// - Parameter rowCount: needed only for a design without columns.
    public init(names: [String], columns: [[Double]], rowCount: Int? = nil) throws {
        guard names.count == columns.count else {
            throw StatsError.invalidInput("design has \(names.count) names but \(columns.count) columns")
        }
        guard Set(names).count == names.count else { throw StatsError.invalidInput("design repeats a regressor name: \(names)") }
        if let bad = names.first(where: { $0 == OLS.interceptName }) {
            throw StatsError.invalidInput("'\(bad)' is reserved for the intercept; OLS adds it itself")
        }
        let n = columns.first?.count ?? rowCount ?? 0
        if let rowCount, rowCount != n { throw StatsError.invalidInput("design says \(rowCount) rows, its columns have \(n)") }
        for (name, column) in zip(names, columns) {
            guard column.count == n else {
                throw StatsError.invalidInput("regressor '\(name)' has \(column.count) values, the first has \(n)")
            }
            if let i = column.firstIndex(where: { !$0.isFinite }) {
                throw StatsError.invalidInput("regressor '\(name)' row \(i) is not finite (\(column[i]))")
            }
        }
        self.names = names
        self.columns = columns
        self.rowCount = n
    }

    /// Columns from a dictionary, ordered by name so that the result does not depend on hashing order.
    public init(_ columns: [String: [Double]]) throws {
        let names = columns.keys.sorted()
        try self.init(names: names, columns: names.map { columns[$0]! })
    }

    /// The design restricted to `names`, in that order.
    public func selecting(_ subset: [String]) throws -> Design {
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        let picked = try subset.map { name -> [Double] in
            guard let j = index[name] else { throw StatsError.invalidInput("no regressor named '\(name)' in \(names)") }
            return columns[j]
        }
        return try Design(names: subset, columns: picked, rowCount: rowCount)
    }

    /// The design restricted to the given rows (rows may repeat, as in a bootstrap resample).
    public func rows(_ indices: [Int]) -> Design {
        // Safe to skip validation: a row subset of a valid design is valid.
        Design(uncheckedNames: names, columns: columns.map { column in indices.map { column[$0] } }, rowCount: indices.count)
    }

    init(uncheckedNames names: [String], columns: [[Double]], rowCount: Int) {
        (self.names, self.columns, self.rowCount) = (names, columns, rowCount)
    }
}
