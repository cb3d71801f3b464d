import XCTest

final class NeuralPlaceholderTests: XCTestCase {}
