import XCTest

final class LinalgPlaceholderTests: XCTestCase {}
