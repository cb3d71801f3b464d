import CBLAS

/// The QR factorisation with column pivoting, `A · P = Q · R`, from LAPACK's `dgeqp3`.
///
/// Pivoting moves the most independent remaining column forward at every step, so the diagonal of `R` decreases in
/// magnitude and a tiny `|R[k,k]|` exposes a column that is (numerically) a combination of the columns before it.
/// That is what least squares needs to *refuse* a rank-deficient design instead of quietly solving it.
///
/// ```swift
/// let qr = try PivotedQR(x)
/// guard qr.rank(relativeTolerance: 1e-10) == x.columnCount else { /* report qr.dependentColumns(...) */ }
/// let beta = try qr.solve(y)            // least-squares coefficients, in the original column order
/// ```
public struct PivotedQR: Sendable {
    public let rowCount: Int
    public let columnCount: Int
    /// `pivot[k]` is the original index of the column at position `k` of `A · P`.
    public let pivot: [Int]
    /// LAPACK's compact form: `R` on and above the diagonal, Householder vectors below it.
    let packed: [Double]
    let tau: [Double]

    public init(_ a: Matrix) throws {
        guard a.rowCount >= a.columnCount, a.columnCount > 0 else {
            throw LinalgError.shape("pivoted QR needs rows >= columns > 0, got \(a.rowCount) × \(a.columnCount)")
        }
        rowCount = a.rowCount
        columnCount = a.columnCount
        var work = a.storage
        var jpvt = [Int32](repeating: 0, count: a.columnCount)  // 0 = free column, may be pivoted
        var tau = [Double](repeating: 0, count: a.columnCount)
        let info = LAPACKE_dgeqp3(LAPACK_COL_MAJOR, Int32(a.rowCount), Int32(a.columnCount), &work,
                                  Int32(a.rowCount), &jpvt, &tau)
        guard info == 0 else { throw LinalgError.lapack(routine: "dgeqp3", info: Int(info)) }
        packed = work
        self.tau = tau
        pivot = jpvt.map { Int($0) - 1 }  // LAPACK pivots are 1-based
    }

    /// The diagonal of `R`, non-increasing in magnitude.
    public var rDiagonal: [Double] { (0..<columnCount).map { packed[$0 + $0 * rowCount] } }

    /// The `columnCount × columnCount` upper-triangular factor `R`.
    public var r: Matrix {
        var m = Matrix(rowCount: columnCount, columnCount: columnCount)
        for j in 0..<columnCount { for i in 0...j { m[i, j] = packed[i + j * rowCount] } }
        return m
    }

    /// The numerical rank: how many `|R[k,k]|` exceed `relativeTolerance · |R[0,0]|`.
    public func rank(relativeTolerance: Double) -> Int {
        let d = rDiagonal.map(abs)
        guard let top = d.first, top > 0 else { return 0 }
        return d.prefix { $0 > relativeTolerance * top }.count
    }

    /// For each column beyond `rank` (a dependent one), the coefficients `c` that express it through the first
    /// `rank` pivoted columns: `A[:, dependent] ≈ Σ c[i] · A[:, pivot[i]]`. Keys and the inner indices are
    /// original column indices. This is how a caller names *which* regressors are collinear.
    public func dependentColumns(rank: Int) throws -> [(dependent: Int, combination: [(column: Int, coefficient: Double)])] {
        guard rank > 0 else { return pivot.map { ($0, []) } }
        var out: [(Int, [(Int, Double)])] = []
        for k in rank..<columnCount {
            // R11 · c = R12[:, k]  (the first `rank` rows of column k of R)
            var rhs = (0..<rank).map { packed[$0 + k * rowCount] }
            let info = packed.withUnsafeBufferPointer { p in
                LAPACKE_dtrtrs(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int8(UInt8(ascii: "N")), Int8(UInt8(ascii: "N")),
                               Int32(rank), 1, p.baseAddress, Int32(rowCount), &rhs, Int32(rank))
            }
            guard info == 0 else { throw LinalgError.lapack(routine: "dtrtrs", info: Int(info)) }
            out.append((pivot[k], (0..<rank).map { (pivot[$0], rhs[$0]) }))
        }
        return out
    }

    /// `Qᵀ · b` for a vector of length `rowCount` (through `dormqr`).
    public func qTransposeTimes(_ b: [Double]) throws -> [Double] {
        guard b.count == rowCount else { throw LinalgError.shape("vector of \(b.count), need \(rowCount)") }
        var c = b
        var a = packed  // dormqr takes a non-const pointer, though it does not modify A
        let info = LAPACKE_dormqr(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), Int8(UInt8(ascii: "T")), Int32(rowCount), 1,
                                  Int32(columnCount), &a, Int32(rowCount), tau, &c, Int32(rowCount))
        guard info == 0 else { throw LinalgError.lapack(routine: "dormqr", info: Int(info)) }
        return c
    }

    /// The least-squares solution of `A · x ≈ b` for a full-rank `A`, in the original column order.
    /// Call only after checking `rank(...) == columnCount`; a zero on `R`'s diagonal throws `.singular`.
    public func solve(_ b: [Double]) throws -> [Double] {
        var qtb = Array(try qTransposeTimes(b).prefix(columnCount))
        let info = packed.withUnsafeBufferPointer { p in
            LAPACKE_dtrtrs(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int8(UInt8(ascii: "N")), Int8(UInt8(ascii: "N")),
                           Int32(columnCount), 1, p.baseAddress, Int32(rowCount), &qtb, Int32(columnCount))
        }
        if info > 0 { throw LinalgError.singular("R[\(info - 1),\(info - 1)] is zero") }
        guard info == 0 else { throw LinalgError.lapack(routine: "dtrtrs", info: Int(info)) }
        var x = [Double](repeating: 0, count: columnCount)
        for k in 0..<columnCount { x[pivot[k]] = qtb[k] }
        return x
    }

    /// `R⁻¹` (upper triangular, pivoted order) through `dtrtri`. With it, `(AᵀA)⁻¹ = P · R⁻¹ · R⁻ᵀ · Pᵀ`.
    public func rInverse() throws -> Matrix {
        var rm = r
        let n = Int32(columnCount)
        let info = LAPACKE_dtrtri(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int8(UInt8(ascii: "N")), n, &rm.storage, n)
        if info > 0 { throw LinalgError.singular("R[\(info - 1),\(info - 1)] is zero") }
        guard info == 0 else { throw LinalgError.lapack(routine: "dtrtri", info: Int(info)) }
        return rm
    }
}
