import Core

/// One document of pretraining text (a C4 page, a Wikipedia article), for the base language model.
public struct TextDocument: Codable, Hashable, Sendable {
    /// SHA-256 of the text.
    public var id: String
    public var text: String
    public var source: String
    public var licence: String

    public init(text: String, source: String, licence: String) {
        (self.text, self.source, self.licence) = (text, source, licence)
        id = SHA256.hex(Array(text.utf8))
    }
}
