/// Holm's step-down adjustment for a family of p-values: controls the family-wise error rate at α for any
/// dependence between the tests, and rejects at least as much as Bonferroni.
public enum Holm {
    /// Adjusted p-values in the input order: sorted ascending, the k-th (0-based) gets max over j ≤ k of
    /// min(1, (m − j)·p₍ⱼ₎). Reject where adjusted < α.
    public static func adjust(_ p: [Double]) -> [Double] {
        let m = p.count
        let order = p.indices.sorted { p[$0] < p[$1] || (p[$0] == p[$1] && $0 < $1) }
        var adjusted = [Double](repeating: 1, count: m)
        var running = 0.0
        for (rank, i) in order.enumerated() {
            running = max(running, min(1, Double(m - rank) * p[i]))
            adjusted[i] = running
        }
        return adjusted
    }
}
