/// A failure reported by a LAPACK routine, or a shape it cannot take.
public enum LinalgError: Error, CustomStringConvertible, Equatable, Sendable {
    /// LAPACK returned a non-zero `info` (negative: bad argument; positive: routine-specific breakdown).
    case lapack(routine: String, info: Int)
    /// Dimensions that the operation cannot take.
    case shape(String)
    /// A triangular factor with a zero on its diagonal, i.e. an exactly singular system.
    case singular(String)

    public var description: String {
        switch self {
        case .lapack(let routine, let info): return "LAPACK \(routine) failed with info = \(info)"
        case .shape(let m): return "shape: \(m)"
        case .singular(let m): return "singular: \(m)"
        }
    }
}
