import Corpus
import Indicators
import Search
import Store
import Training
import Workbench

/// The store as the workbench uses it: the tables of every module that keeps some, in the order their migrations run
/// (Corpus's examples before the indicator values that refer to them). Every `imine` command opens its store here,
/// so that a store one command wrote is one every other command knows.
public enum WorkbenchStore {
    public static let schemas: [StoreSchema] = [.corpus, .indicators, .training, .search, .workbench]

    public static func open(_ path: String) throws -> Store { try Store(path: path, schemas: schemas) }
}
