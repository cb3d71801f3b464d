import XCTest

final class IndicatorsPlaceholderTests: XCTestCase {}
