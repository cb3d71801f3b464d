/// An error in user-supplied input that names where it is: file, line (or JSON path) and field.
///
/// Every loader, parser and importer in the workbench reports bad input through this type so that a user can go
/// straight to the offending record.
public struct InputError: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String
    /// 1-based line number, when the format is line-oriented or the parser tracks it.
    public var line: Int?
    /// A JSON path such as `$[41].output`, when the position is structural.
    public var path: String?
    public var field: String?
    public var message: String

    public init(file: String, line: Int? = nil, path: String? = nil, field: String? = nil, _ message: String) {
        (self.file, self.line, self.path, self.field, self.message) = (file, line, path, field, message)
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let path { location += " at \(path)" }
        if let field { location += " field '\(field)'" }
        return "\(location): \(message)"
    }
}
