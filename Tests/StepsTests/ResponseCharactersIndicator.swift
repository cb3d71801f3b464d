import Indicators

/// An indicator the workbench does not ship, defined in one file as any new indicator would be: the number of
/// characters of the response.
struct ResponseCharactersIndicator: Indicator {
    let name = "response_characters"
    let needs: Set<IndicatorNeed> = []

    func compute(_ inputs: IndicatorInputs) throws -> IndicatorColumn {
        IndicatorColumn(variant: IndicatorVariant(name: name, parameters: ["unit": "characters"], textField: .response),
                        description: "characters of the response", values: inputs.examples.map { Double($0.response.count) })
    }
}
