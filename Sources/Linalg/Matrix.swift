import CBLAS

/// A dense matrix of `Double` stored column by column (column-major), the layout BLAS and LAPACK use natively,
/// so that factorisations run on the storage without transposing copies.
///
/// ```swift
/// var x = Matrix(rows: [[1, 2], [3, 4], [5, 6]])   // 3 × 2, written row by row for readability
/// x[2, 1] = 7
/// let gram = x.transposed() * x                     // 2 × 2, through cblas_dgemm
/// ```
public struct Matrix: Equatable, Sendable, CustomStringConvertible {
    public let rowCount: Int
    public let columnCount: Int
    /// Column-major storage: element (i, j) lives at `storage[i + j * rowCount]`.
    public var storage: [Double]

    /// A `rowCount × columnCount` matrix filled with `value`.
    public init(rowCount: Int, columnCount: Int, repeating value: Double = 0) {
        precondition(rowCount >= 0 && columnCount >= 0, "matrix dimensions must be non-negative")
        self.rowCount = rowCount
        self.columnCount = columnCount
        storage = [Double](repeating: value, count: rowCount * columnCount)
    }

    /// A matrix over existing column-major storage.
    public init(rowCount: Int, columnCount: Int, columnMajor storage: [Double]) {
        precondition(storage.count == rowCount * columnCount, "storage has \(storage.count) values, need \(rowCount * columnCount)")
        (self.rowCount, self.columnCount, self.storage) = (rowCount, columnCount, storage)
    }

    /// A matrix from its rows (all of equal length).
    public init(rows: [[Double]]) {
        let columnCount = rows.first?.count ?? 0
        self.init(rowCount: rows.count, columnCount: columnCount)
        for (i, row) in rows.enumerated() {
            precondition(row.count == columnCount, "row \(i) has \(row.count) values, expected \(columnCount)")
            for j in 0..<columnCount { storage[i + j * rowCount] = row[j] }
        }
    }

    /// A matrix from its columns (all of equal length): the natural way to build a design matrix.
    public init(columns: [[Double]]) {
        let rowCount = columns.first?.count ?? 0
        for (j, column) in columns.enumerated() {
            precondition(column.count == rowCount, "column \(j) has \(column.count) values, expected \(rowCount)")
        }
        self.init(rowCount: rowCount, columnCount: columns.count, columnMajor: columns.flatMap { $0 })
    }

    /// The `n × n` identity.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rowCount: n, columnCount: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    public subscript(row: Int, column: Int) -> Double {
        get { storage[row + column * rowCount] }
        set { storage[row + column * rowCount] = newValue }
    }

    public func column(_ j: Int) -> [Double] { Array(storage[(j * rowCount)..<((j + 1) * rowCount)]) }
    public func row(_ i: Int) -> [Double] { (0..<columnCount).map { self[i, $0] } }

    /// The sub-matrix made of the given columns, in the given order.
    public func columns(_ indices: [Int]) -> Matrix {
        var out = [Double]()
        out.reserveCapacity(rowCount * indices.count)
        for j in indices { out.append(contentsOf: storage[(j * rowCount)..<((j + 1) * rowCount)]) }
        return Matrix(rowCount: rowCount, columnCount: indices.count, columnMajor: out)
    }

    /// The sub-matrix made of the given rows, in the given order (rows may repeat: bootstrap resamples).
    public func rows(_ indices: [Int]) -> Matrix {
        var m = Matrix(rowCount: indices.count, columnCount: columnCount)
        for j in 0..<columnCount {
            for (k, i) in indices.enumerated() { m.storage[k + j * indices.count] = storage[i + j * rowCount] }
        }
        return m
    }

    public func transposed() -> Matrix {
        var t = Matrix(rowCount: columnCount, columnCount: rowCount)
        for j in 0..<columnCount { for i in 0..<rowCount { t[j, i] = self[i, j] } }
        return t
    }

    /// `op(a) · op(b)` through `cblas_dgemm`, where `op` transposes when asked; no transposed copy is made.
    public static func product(_ a: Matrix, _ b: Matrix, transposeA ta: Bool = false, transposeB tb: Bool = false) -> Matrix {
        let m = ta ? a.columnCount : a.rowCount
        let k = ta ? a.rowCount : a.columnCount
        let kb = tb ? b.columnCount : b.rowCount
        let n = tb ? b.rowCount : b.columnCount
        precondition(k == kb, "inner dimensions differ: \(k) and \(kb)")
        var c = Matrix(rowCount: m, columnCount: n)
        guard m > 0, n > 0, k > 0 else { return c }
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    cblas_dgemm(CblasColMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                                Int32(m), Int32(n), Int32(k), 1, pa.baseAddress, Int32(max(1, a.rowCount)),
                                pb.baseAddress, Int32(max(1, b.rowCount)), 0, pc.baseAddress, Int32(max(1, m)))
                }
            }
        }
        return c
    }

    public static func * (a: Matrix, b: Matrix) -> Matrix { product(a, b) }

    /// `self · x` (or `selfᵀ · x` when `transposed`) through `cblas_dgemv`.
    public func multiply(_ x: [Double], transposed: Bool = false) -> [Double] {
        precondition(x.count == (transposed ? rowCount : columnCount), "vector length \(x.count) does not fit \(rowCount) × \(columnCount)")
        var y = [Double](repeating: 0, count: transposed ? columnCount : rowCount)
        guard rowCount > 0, columnCount > 0 else { return y }
        storage.withUnsafeBufferPointer { pa in
            cblas_dgemv(CblasColMajor, transposed ? CblasTrans : CblasNoTrans, Int32(rowCount), Int32(columnCount), 1,
                        pa.baseAddress, Int32(rowCount), x, 1, 0, &y, 1)
        }
        return y
    }

    public var description: String {
        (0..<rowCount).map { i in row(i).map { "\($0)" }.joined(separator: "\t") }.joined(separator: "\n")
    }
}
