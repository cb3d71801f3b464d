import XCTest
@testable import Workbench

final class TableNumberTests: XCTestCase {
    /// A p-value that rounds to zero at the shown decimals says "< 0.001", never "0.000"; others print as numbers.
    func testPValueNeverPrintsZero() {
        XCTAssertEqual(Table.pValue(0.00049), "< 0.001")
        XCTAssertEqual(Table.pValue(1e-12), "< 0.001")
        XCTAssertEqual(Table.pValue(0.001), "0.001")
        XCTAssertEqual(Table.pValue(0.0126), "0.013")
        XCTAssertEqual(Table.pValue(0.00004, digits: 4), "< 0.0001")
        XCTAssertEqual(Table.pValue(1), "1.000")
        XCTAssertEqual(Table.pValue(.nan), "nan")
        XCTAssertEqual(Table.pStatement(0.0004), "p < 0.001")
        XCTAssertEqual(Table.pStatement(0.03), "p = 0.030")
    }
}
