import Core
import XCTest
@testable import Linalg

final class LinalgTests: XCTestCase {
    func randomMatrix(_ rows: Int, _ columns: Int, seed: UInt64) -> Matrix {
        var r = SeededRandom(seed: seed)
        return Matrix(rowCount: rows, columnCount: columns, columnMajor: (0..<(rows * columns)).map { _ in r.gaussian() })
    }

    func testLayoutAndConstruction() {
        let m = Matrix(rows: [[1, 2, 3], [4, 5, 6]])
        XCTAssertEqual(m.storage, [1, 4, 2, 5, 3, 6], "column-major")
        XCTAssertEqual(Matrix(columns: [[1, 4], [2, 5], [3, 6]]), m)
        XCTAssertEqual(m.row(1), [4, 5, 6])
        XCTAssertEqual(m.column(2), [3, 6])
        XCTAssertEqual(m.transposed().row(2), [3, 6])
        XCTAssertEqual(m.columns([2, 0]).storage, [3, 6, 1, 4])
        XCTAssertEqual(m.rows([1, 1]).row(0), [4, 5, 6])
    }

    func testProductsMatchTheNaiveSums() {
        let a = randomMatrix(7, 5, seed: 1), b = randomMatrix(5, 4, seed: 2)
        let c = a * b
        for i in 0..<7 { for j in 0..<4 {
            XCTAssertEqual(c[i, j], (0..<5).reduce(0) { $0 + a[i, $1] * b[$1, j] }, accuracy: 1e-13)
        } }
        let at = Matrix.product(a.transposed(), b.transposed(), transposeA: true, transposeB: true)
        XCTAssertEqual(at.storage, c.storage)
        let x: [Double] = [1, -2, 0.5, 3, 0]
        let ax = a.multiply(x)
        for i in 0..<7 { XCTAssertEqual(ax[i], (0..<5).reduce(0) { $0 + a[i, $1] * x[$1] }, accuracy: 1e-13) }
        let aty = a.multiply(ax, transposed: true)
        for j in 0..<5 { XCTAssertEqual(aty[j], (0..<7).reduce(0) { $0 + a[$1, j] * ax[$1] }, accuracy: 1e-12) }
    }

    func testQRSolvesAConsistentSystemExactly() throws {
        let a = randomMatrix(9, 4, seed: 3)
        let truth: [Double] = [0.5, -1.25, 2, 3.5]
        let qr = try PivotedQR(a)
        XCTAssertEqual(qr.rank(relativeTolerance: 1e-12), 4)
        let solved = try qr.solve(a.multiply(truth))
        for (s, t) in zip(solved, truth) { XCTAssertEqual(s, t, accuracy: 1e-13) }
        let d = qr.rDiagonal.map(abs)
        XCTAssertEqual(d, d.sorted(by: >), "pivoting orders |R[k,k]| decreasingly")
        // (AᵀA)⁻¹ = P R⁻¹R⁻ᵀ Pᵀ: check (AᵀA)·that = I.
        let rInv = try qr.rInverse()
        let inner = Matrix.product(rInv, rInv, transposeB: true)
        var inverse = Matrix(rowCount: 4, columnCount: 4)
        for p in 0..<4 { for q in 0..<4 { inverse[qr.pivot[p], qr.pivot[q]] = inner[p, q] } }
        let identity = Matrix.product(a, a, transposeA: true) * inverse
        for i in 0..<4 { for j in 0..<4 { XCTAssertEqual(identity[i, j], i == j ? 1 : 0, accuracy: 1e-12) } }
    }

    func testQRExposesADependentColumnAndItsRelation() throws {
        var a = randomMatrix(8, 3, seed: 4)
        let dependent = (0..<8).map { 2 * a[$0, 0] - a[$0, 2] }
        a = Matrix(columns: [a.column(0), a.column(1), a.column(2), dependent])
        let qr = try PivotedQR(a)
        XCTAssertEqual(qr.rank(relativeTolerance: 1e-10), 3)
        let relations = try qr.dependentColumns(rank: 3)
        XCTAssertEqual(relations.count, 1)
        // Whichever column the pivoting left last, the relation must reproduce it.
        let (column, combination) = relations[0]
        for i in 0..<8 {
            XCTAssertEqual(a[i, column], combination.reduce(0) { $0 + $1.coefficient * a[i, $1.column] }, accuracy: 1e-12)
        }
    }

    func testSingularValuesAndConditionNumber() throws {
        let d = Matrix(rows: [[3, 0], [0, -0.5], [0, 0]])
        XCTAssertEqual(try SingularValues.of(d), [3, 0.5])
        XCTAssertEqual(try SingularValues.conditionNumber(d), 6, accuracy: 1e-15)
        let singular = Matrix(rows: [[1, 2], [2, 4], [3, 6]])
        XCTAssertGreaterThan(try SingularValues.conditionNumber(singular), 1e15)
        XCTAssertThrowsError(try PivotedQR(Matrix(rows: [[1, 2, 3]])))
    }
}
