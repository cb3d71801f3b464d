import XCTest

final class SearchPlaceholderTests: XCTestCase {}
