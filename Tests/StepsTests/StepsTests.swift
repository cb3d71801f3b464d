import XCTest

final class StepsPlaceholderTests: XCTestCase {}
