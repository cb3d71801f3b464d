import XCTest

final class CorpusPlaceholderTests: XCTestCase {}
