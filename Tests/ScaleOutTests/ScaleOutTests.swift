import XCTest

final class ScaleOutPlaceholderTests: XCTestCase {}
