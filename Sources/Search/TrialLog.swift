import Core
import GRDB
import Store

/// The store's `search_trial` table: every trial of a search, queryable beside the cell that ran it (the cell's
/// payload holds the same trials; this table is the index for looking across searches).
public enum TrialLog {
    /// Replaces the rows of search `searchID` with `trials`, in one transaction.
    public static func replace(_ searchID: String, with trials: [Trial], in store: Store) throws {
        try store.write { db in
            try db.execute(sql: "DELETE FROM search_trial WHERE search_id = ?", arguments: [searchID])
            for trial in trials {
                try db.execute(sql: "INSERT INTO search_trial (search_id, trial, config_json, objective, cost, thread, seed) VALUES (?, ?, ?, ?, ?, ?, ?)",
                               arguments: [searchID, trial.number, try CanonicalJSON.string(trial.configuration), trial.objective, trial.cost ?? 0,
                                           trial.proposer, Int64(bitPattern: trial.seed)])
            }
        }
    }
}
