import Foundation
import Search

/// A search's trials as sorted-key JSON: two runs reproduce each other exactly when these bytes are equal.
func encoded(_ outcome: SearchOutcome) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    return try encoder.encode(outcome.trials)
}
