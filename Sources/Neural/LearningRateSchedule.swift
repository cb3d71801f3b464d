import Foundation

/// Linear warm-up to `peak`, then cosine decay to `floor` at `totalSteps`.
public struct LearningRateSchedule: Codable, Hashable, Sendable {
    public var peak: Double
    public var warmupSteps: Int
    public var totalSteps: Int
    public var floor: Double

    /// Warm-up defaults to 5% of the steps (at least one); the floor to a tenth of the peak.
    public init(peak: Double, totalSteps: Int, warmupSteps: Int? = nil, floor: Double? = nil) {
        self.peak = peak
        self.totalSteps = max(1, totalSteps)
        self.warmupSteps = max(1, warmupSteps ?? totalSteps / 20)
        self.floor = floor ?? peak / 10
    }

    /// The rate for 0-based `step`.
    public func rate(at step: Int) -> Double {
        if step < warmupSteps { return peak * Double(step + 1) / Double(warmupSteps) }
        let progress = min(1, Double(step - warmupSteps) / Double(max(1, totalSteps - warmupSteps)))
        return floor + (peak - floor) * 0.5 * (1 + cos(Double.pi * progress))
    }
}
