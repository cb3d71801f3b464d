import CBLAS

/// Singular values and the 2-norm condition number, through LAPACK's `dgesvd` (values only).
public enum SingularValues {
    /// The singular values of `a`, in decreasing order.
    public static func of(_ a: Matrix) throws -> [Double] {
        let k = min(a.rowCount, a.columnCount)
        guard k > 0 else { return [] }
        var work = a.storage
        var s = [Double](repeating: 0, count: k)
        var superb = [Double](repeating: 0, count: max(1, k - 1))
        var dummy = [Double](repeating: 0, count: 1)
        var dummy2 = [Double](repeating: 0, count: 1)
        let info = LAPACKE_dgesvd(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "N")), Int8(UInt8(ascii: "N")), Int32(a.rowCount),
                                  Int32(a.columnCount), &work, Int32(a.rowCount), &s, &dummy, 1, &dummy2, 1, &superb)
        guard info == 0 else { throw LinalgError.lapack(routine: "dgesvd", info: Int(info)) }
        return s
    }

    /// `σ_max / σ_min`: how much relative error in the data can be amplified in a least-squares solution.
    /// Infinite for a matrix with a zero singular value. This is what statsmodels reports as `condition_number`.
    public static func conditionNumber(_ a: Matrix) throws -> Double {
        let s = try of(a)
        guard let top = s.first, let bottom = s.last else { throw LinalgError.shape("empty matrix has no condition number") }
        return bottom > 0 ? top / bottom : .infinity
    }
}
