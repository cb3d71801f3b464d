import Foundation

/// The values one dimension of a search space may take.
///
/// Searchers work in a normalised unit cube: every domain maps its values to [0, 1] and back. Integer bounds are
/// **inclusive** on both ends (`.logInteger(16, 4096)` admits 16 and 4096); this is FLAML's
/// `lograndint(16, 4097)`, whose upper bound is exclusive.
public enum Domain: Codable, Sendable, Hashable {
    /// A real number in `lower...upper`, uniform.
    case uniform(Double, Double)
    /// A positive real number in `lower...upper`, uniform in its logarithm.
    case logUniform(Double, Double)
    /// An integer in `lower...upper`, uniform.
    case integer(Int, Int)
    /// A positive integer in `lower...upper`, uniform in its logarithm (a subset size, a width).
    case logInteger(Int, Int)

    /// Whether values are rounded to whole numbers after denormalising.
    public var isInteger: Bool {
        switch self {
        case .integer, .logInteger: return true
        case .uniform, .logUniform: return false
        }
    }

    var bounds: (lower: Double, upper: Double) {
        switch self {
        case let .uniform(l, u), let .logUniform(l, u): return (l, u)
        case let .integer(l, u), let .logInteger(l, u): return (Double(l), Double(u))
        }
    }

    var isLog: Bool {
        switch self {
        case .logUniform, .logInteger: return true
        case .uniform, .integer: return false
        }
    }

    /// Maps a value to [0, 1] (values outside the domain map outside [0, 1]).
    public func normalize(_ value: Double) -> Double {
        let (l, u) = bounds
        if isLog { return Foundation.log(value / l) / Foundation.log(u / l) }
        return (value - l) / (u - l)
    }

    /// Maps a normalised coordinate back to a value, clipping to [0, 1] first and rounding integers to nearest.
    public func denormalize(_ x: Double) -> Double {
        let (l, u) = bounds
        let t = Swift.min(1, Swift.max(0, x))
        let value = isLog ? Foundation.exp(t * Foundation.log(u / l)) * l : l + t * (u - l)
        // Clamp again: exp/log round trips can land a hair outside the bounds.
        let clamped = Swift.min(u, Swift.max(l, value))
        return isInteger ? clamped.rounded(.toNearestOrAwayFromZero) : clamped
    }

    /// The smallest normalised move that can change an integer value at `value` (FLOW2's step lower bound);
    /// nil for real domains, which have no plateaus.
    func smallestStep(at value: Double) -> Double? {
        let (l, u) = bounds
        switch self {
        case .uniform, .logUniform: return nil
        // FLAML's randint bound is exclusive, hence u − l + 1 in its units.
        case .integer: return 1 / (u - l + 1)
        case .logInteger: return Foundation.log(1 + 1 / value) / Foundation.log(u / l)
        }
    }

    func validate(name: String) throws {
        let (l, u) = bounds
        guard l.isFinite, u.isFinite, l < u else {
            throw SearchError.invalidSpace("dimension '\(name)': bounds must be finite with lower < upper")
        }
        if isLog, l <= 0 { throw SearchError.invalidSpace("dimension '\(name)': a log domain needs lower > 0") }
    }
}

/// A named dimension of a search space.
public struct Dimension: Codable, Sendable, Hashable {
    public var name: String
    public var domain: Domain
    public init(_ name: String, _ domain: Domain) {
        self.name = name
        self.domain = domain
    }
}

/// Errors a searcher raises for an ill-formed space or configuration.
public enum SearchError: Error, CustomStringConvertible, Equatable, Sendable {
    case invalidSpace(String)
    case invalidConfiguration(String)
    public var description: String {
        switch self {
        case let .invalidSpace(m): return "invalid search space: \(m)"
        case let .invalidConfiguration(m): return "invalid configuration: \(m)"
        }
    }
}

/// An ordered list of dimensions. Configurations are `[Double]` in this order (integers as whole numbers);
/// ``configuration(_:)`` turns one into the name-keyed form stored with a ``Trial``.
public struct SearchSpace: Codable, Sendable, Hashable {
    public let dimensions: [Dimension]

    public init(_ dimensions: [Dimension]) throws {
        guard !dimensions.isEmpty else { throw SearchError.invalidSpace("no dimensions") }
        guard Set(dimensions.map(\.name)).count == dimensions.count else {
            throw SearchError.invalidSpace("dimension names must be unique")
        }
        for d in dimensions { try d.domain.validate(name: d.name) }
        self.dimensions = dimensions
    }

    public var count: Int { dimensions.count }

    public func normalize(_ values: [Double]) -> [Double] {
        zip(dimensions, values).map { $0.domain.normalize($1) }
    }

    public func denormalize(_ point: [Double]) -> [Double] {
        zip(dimensions, point).map { $0.domain.denormalize($1) }
    }

    /// The name-keyed form of a configuration.
    public func configuration(_ values: [Double]) -> [String: Double] {
        Dictionary(uniqueKeysWithValues: zip(dimensions.map(\.name), values))
    }

    /// Values in dimension order from a name-keyed (possibly partial) configuration; nil where a name is missing.
    /// Throws for unknown names and values outside a domain.
    func values(from configuration: [String: Double]) throws -> [Double?] {
        let known = Set(dimensions.map(\.name))
        for name in configuration.keys.sorted() where !known.contains(name) {
            throw SearchError.invalidConfiguration("unknown dimension '\(name)'")
        }
        return try dimensions.map { d in
            guard let v = configuration[d.name] else { return nil }
            let (l, u) = d.domain.bounds
            guard v >= l, v <= u else {
                throw SearchError.invalidConfiguration("'\(d.name)' = \(v) lies outside [\(l), \(u)]")
            }
            return d.domain.isInteger ? v.rounded(.toNearestOrAwayFromZero) : v
        }
    }

    /// The duplicate-cache key: integers rounded, reals bit-exact (as FLAML's `config_signature`).
    func signature(_ values: [Double]) -> [UInt64] {
        zip(dimensions, values).map { d, v in
            d.domain.isInteger ? UInt64(bitPattern: Int64(v.rounded(.toNearestOrAwayFromZero))) : v.bitPattern
        }
    }
}
