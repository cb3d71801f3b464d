import Steps
import Workbench

/// The steps `imine` knows: the workbench's built-in diagnostics plus the Steps module's catalog.
func registeredSteps() throws -> StepRegistry {
    try StepCatalog.registry()
}
