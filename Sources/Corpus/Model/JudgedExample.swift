/// An example with a binary desirability label (KTO-style data: `label: true` is a desirable response).
public struct JudgedExample: Codable, Hashable, Sendable {
    public var example: Example
    public var desirable: Bool
    public init(example: Example, desirable: Bool) { self.example = example; self.desirable = desirable }
}
