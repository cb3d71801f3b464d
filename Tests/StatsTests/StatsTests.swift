import XCTest

final class StatsPlaceholderTests: XCTestCase {}
