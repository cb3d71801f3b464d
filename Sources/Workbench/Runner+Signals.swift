import Foundation
import GRDB
import Store

extension Runner {
    /// After this call, SIGINT and SIGTERM stop the run cleanly: the store write in progress finishes, the rows the
    /// running cell had inserted are deleted, the run is marked `interrupted`, one message says which cell was
    /// interrupted and how to resume, and the process exits with 128 + the signal number (130, 143).
    ///
    /// All of it happens inside the store's writer queue, so no other write can start between the clean-up and
    /// the exit, and the cell's final write (its result) is either wholly committed before or never started.
    public func stopOnSignals() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)  // delivered to the dispatch source instead
            let source = DispatchSource.makeSignalSource(signal: number, queue: DispatchQueue(label: "imine.signal.\(number)"))
            source.setEventHandler { [unowned self] in self.interrupted(by: number) }
            source.resume()
            signalSources.append(source)
        }
    }

    private func interrupted(by number: Int32) -> Never {
        let name = number == SIGINT ? "SIGINT" : "SIGTERM"
        let resume = "imine " + CommandLine.arguments.dropFirst().joined(separator: " ")
        var message = "interrupted by \(name)"
        do {
            try store.pool.writeWithoutTransaction { db in
                let (cell, runs) = state.withLock { (inFlight, activeRuns) }
                let rows = cell == nil ? [] : writeLog.rowsNewestFirst
                var removed = 0
                try db.inTransaction {
                    do {
                        try db.inSavepoint { removed = try CellWriteLog.delete(rows, in: db); return .commit }
                    } catch {
                        message += " (its \(rows.count) partial rows could not be deleted: \(error))"
                    }
                    for id in runs {
                        try RunRecord.endIfRunning(id, status: "interrupted", finishedAt: ISO8601DateFormatter().string(from: Date()), in: db)
                    }
                    return .commit
                }
                if let cell {
                    message += " while cell \(cell) was running: it was rolled back (\(removed) partial row\(removed == 1 ? "" : "s") deleted)"
                } else {
                    message += " between cells"
                }
                message += "; every finished cell is kept and the run is marked interrupted. Resume with: \(resume)"
                FileHandle.standardError.write(Data("imine: \(message)\n".utf8))
                _exit(128 + number)  // still inside the writer queue: nothing else can write after the clean-up
            }
        } catch {
            message += "; the store could not be updated (\(error)). Resume with: \(resume)"
        }
        FileHandle.standardError.write(Data("imine: \(message)\n".utf8))
        _exit(128 + number)
    }
}
