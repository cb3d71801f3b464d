import ArgumentParser

/// Every exit status `imine` uses, in one place: the README's table and `imine --help` print ``table``.
enum ExitStatus: Int32, CaseIterable {
    case success = 0
    /// A failure imine did not foresee (a bug; the message says what happened).
    case unexpected = 1
    /// Bad input: a notebook, profile, data file, pool spec or argument value; nothing was run or written.
    case badInput = 2
    /// The store is busy: another imine held its write lock for longer than the busy timeout.
    case storeBusy = 3
    /// A leak between pools (`imine data pools`, or a run's pools cell).
    case poolLeak = 4
    /// The store was refused: not an imine store, a newer schema, or damaged; it was left untouched.
    case storeRefused = 5
    /// The run finished, but some cells failed (finished cells are kept).
    case cellsFailed = 6
    /// Ingesting would shrink a stored source, or a source loaded to no records (`--allow-shrink` accepts it).
    case wouldLoseData = 7
    /// The command line itself is wrong (unknown option, missing value): ArgumentParser's usage status.
    case usage = 64
    /// Interrupted by SIGINT (Ctrl-C) or SIGTERM: 128 + the signal's number. The cell in flight left nothing.
    case interrupted = 130
    case terminated = 143

    var code: ExitCode { ExitCode(rawValue) }

    var meaning: String {
        switch self {
        case .success: "success"
        case .unexpected: "an unexpected failure (a bug in imine: please report the message)"
        case .badInput: "bad input (notebook, profile, data file, pool spec, option value); nothing was run"
        case .storeBusy: "the store is busy (another imine held its write lock too long); try again"
        case .poolLeak: "pools leak into each other (imine data pools)"
        case .storeRefused: "the store was refused (not ours, newer schema, or damaged); it was not touched"
        case .cellsFailed: "the run finished but some cells failed; finished cells are kept"
        case .wouldLoseData: "ingest refused: it would shrink a stored source (--allow-shrink to accept)"
        case .usage: "the command line is wrong (unknown option or missing value)"
        case .interrupted: "interrupted by SIGINT; the cell in flight was rolled back"
        case .terminated: "interrupted by SIGTERM; the cell in flight was rolled back"
        }
    }

    /// The exit-status table for `--help` and the README.
    static var table: String {
        "Exit status:\n" + allCases.map { "  \(String($0.rawValue).padding(toLength: 4, withPad: " ", startingAt: 0)) \($0.meaning)" }.joined(separator: "\n")
    }
}
