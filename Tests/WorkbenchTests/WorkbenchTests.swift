import XCTest

final class WorkbenchPlaceholderTests: XCTestCase {}
