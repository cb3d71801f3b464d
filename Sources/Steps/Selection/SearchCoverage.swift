import Foundation
import Stats

/// What a search over k explored, set against a size sweep's measured loss curve (issue #19).
///
/// A search that reports "the best k" has only seen the ks it tried. The sweep measured the loss at fixed sizes
/// over several seeds; where the two ranges overlap, the sweep can say whether a k the search never reached is
/// better than the one it reported. Better means: the sweep's mean loss at its best size is lower than its mean at
/// the sweep size nearest the reported k (in log k) by more than two standard errors of that difference.
struct SearchCoverage: Codable, Equatable {
    var kMin, kMax: Int
    var smallestTried, largestTried: Int
    /// ln(largest / smallest tried) / ln(kMax / kMin): the share of the log range the trials span.
    var logRangeShare: Double
    var reportedK: Int
    /// The sweep sizes within [kMin, kMax], their mean loss and standard deviation over `sweepSeeds` seeds.
    var sweepSizes: [Int]
    var sweepMeans, sweepSDs: [Double]
    var sweepSeeds: Int
    var sweepBestSize, sweepSizeNearReported: Int
    /// Sweep mean at the best size minus at the size nearest the reported k (≤ 0), and its standard error.
    var sweepDifference, sweepDifferenceSE: Double
    var sweepShowsBetterK: Bool

    /// - Parameters:
    ///   - triedK: every k the search tried; `reportedK` the one it reported as best.
    ///   - sweepLosses: per sweep size, one loss per seed (the sweep's rule top-k, on the search's objective set).
    init(triedK: [Int], reportedK: Int, kMin: Int, kMax: Int, sweepSizes allSizes: [Int], sweepLosses: [[Double]]) throws {
        guard let smallest = triedK.min(), let largest = triedK.max() else { throw CoverageError("the search tried no k") }
        let inRange = allSizes.indices.filter { allSizes[$0] >= kMin && allSizes[$0] <= kMax }
        guard !inRange.isEmpty else {
            throw CoverageError("no sweep size (\(allSizes)) lies in the search's range [\(kMin), \(kMax)]")
        }
        let seeds = sweepLosses[inRange[0]].count
        guard seeds >= 2, inRange.allSatisfy({ sweepLosses[$0].count == seeds }) else {
            throw CoverageError("the sweep needs the same number (at least 2) of seeds at every size to give a standard error")
        }
        self.kMin = kMin
        self.kMax = kMax
        smallestTried = smallest
        largestTried = largest
        logRangeShare = Foundation.log(Double(largest) / Double(smallest)) / Foundation.log(Double(kMax) / Double(kMin))
        self.reportedK = reportedK
        let sizes = inRange.map { allSizes[$0] }
        let means = inRange.map { Sample.mean(sweepLosses[$0]) }
        let sds = inRange.map { Sample.standardDeviation(sweepLosses[$0]) }
        let best = means.indices.min { means[$0] < means[$1] }!
        let distance = { (i: Int) in abs(Foundation.log(Double(sizes[i]) / Double(reportedK))) }
        let near = sizes.indices.min { distance($0) < distance($1) }!
        sweepSizes = sizes
        sweepMeans = means
        sweepSDs = sds
        sweepSeeds = seeds
        sweepBestSize = sizes[best]
        sweepSizeNearReported = sizes[near]
        sweepDifference = means[best] - means[near]
        sweepDifferenceSE = ((sds[best] * sds[best] + sds[near] * sds[near]) / Double(seeds)).squareRoot()
        sweepShowsBetterK = best != near && -sweepDifference > 2 * sweepDifferenceSE
    }

    /// One sentence: did the search explore the range, and does the sweep show a better k?
    var verdict: String {
        let share = String(format: "%.0f%%", logRangeShare * 100)
        let gain = String(format: "%.4f ± %.4f", -sweepDifference, sweepDifferenceSE)
        if sweepShowsBetterK && largestTried < sweepBestSize {
            return "Did not explore the range: the search tried k ≤ \(largestTried) (\(share) of the log range), while the sweep's loss is lower at k = \(sweepBestSize) than at \(sweepSizeNearReported) (near the reported k = \(reportedK)) by \(gain). Its best k is the best of what it tried, not of the range."
        }
        if sweepShowsBetterK {
            return "Reached the sweep's best size (largest k tried \(largestTried), \(share) of the log range) but reported k = \(reportedK); the sweep's loss is lower at k = \(sweepBestSize) than at \(sweepSizeNearReported) by \(gain): one-seed trials can rank ks differently from seed means."
        }
        let thin = logRangeShare < 0.5 ? " The search still spanned only \(share) of the log range, so this agreement rests on the sweep, not on the search." : ""
        return "The sweep shows no k better than the reported k = \(reportedK) by more than two standard errors (largest k tried \(largestTried), \(share) of the log range).\(thin)"
    }
}

struct CoverageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
