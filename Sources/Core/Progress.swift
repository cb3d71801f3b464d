import Foundation

/// A progress bar for long work: redrawn in place on a terminal, silent in CI or when output is piped.
///
/// Quiet when `CI` is set, when stderr is not a terminal, or when `IMINE_QUIET` is set, so logs stay readable.
public final class Progress: @unchecked Sendable {
    public let label: String
    public let total: Int
    private var done = 0
    private var lastDraw = Date.distantPast
    private let start = Date()
    private let enabled: Bool
    private let lock = NSLock()

    public static var isInteractive: Bool {
        let env = ProcessInfo.processInfo.environment
        if env["CI"] != nil || env["IMINE_QUIET"] != nil { return false }
        return isatty(STDERR_FILENO) != 0
    }

    public init(_ label: String, total: Int) {
        self.label = label
        self.total = max(total, 1)
        self.enabled = Progress.isInteractive
    }

    public func advance(by step: Int = 1, note: String = "") {
        lock.lock(); defer { lock.unlock() }
        done += step
        guard enabled else { return }
        let now = Date()
        if now.timeIntervalSince(lastDraw) < 0.1 && done < total { return }
        lastDraw = now
        let fraction = Double(min(done, total)) / Double(total)
        let width = 28
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let elapsed = now.timeIntervalSince(start)
        let eta = fraction > 0 ? elapsed / fraction - elapsed : 0
        let line = String(format: "\r%@ %@ %3.0f%% %d/%d  %.0fs, eta %.0fs %@", label, bar, fraction * 100, done, total, elapsed, eta, note)
        FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))
    }

    public func finish() {
        lock.lock(); defer { lock.unlock() }
        guard enabled else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
