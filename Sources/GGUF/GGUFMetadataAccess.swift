import Core

/// Typed metadata look-ups that fail with the file and key named, instead of optional chains at every call site.
extension GGUFFile {
    /// The value of `key`, or an error naming the key when it is absent.
    public func value(_ key: String) throws -> GGUFValue {
        guard let value = metadata[key] else { throw InputError(file: name, path: "metadata key '\(key)'", "missing") }
        return value
    }

    /// An integer of any stored width.
    public func int(_ key: String) throws -> Int {
        try scalar(key, "an integer") { $0.intValue }
    }

    /// A float or integer, as Float.
    public func float(_ key: String) throws -> Float {
        try scalar(key, "a number") { $0.doubleValue.map(Float.init) }
    }

    public func bool(_ key: String) throws -> Bool {
        try scalar(key, "a bool") { $0.boolValue }
    }

    public func string(_ key: String) throws -> String {
        try scalar(key, "a string") { $0.stringValue }
    }

    /// An array of strings (e.g. `tokenizer.ggml.tokens`).
    public func strings(_ key: String) throws -> [String] {
        try array(key, "strings") { $0.stringValue }
    }

    /// An array of integers of any width (e.g. `tokenizer.ggml.token_type`).
    public func ints(_ key: String) throws -> [Int] {
        try array(key, "integers") { $0.intValue }
    }

    /// An array of numbers as Float (e.g. `tokenizer.ggml.scores`).
    public func floats(_ key: String) throws -> [Float] {
        try array(key, "numbers") { $0.doubleValue.map(Float.init) }
    }

    private func scalar<T>(_ key: String, _ expected: String, _ convert: (GGUFValue) -> T?) throws -> T {
        let value = try value(key)
        guard let result = convert(value) else { throw mismatch(key, value, expected) }
        return result
    }

    private func array<T>(_ key: String, _ kind: String, _ element: (GGUFValue) -> T?) throws -> [T] {
        let value = try value(key)
        guard let elements = value.arrayValue else { throw mismatch(key, value, "an array of \(kind)") }
        var result: [T] = []
        result.reserveCapacity(elements.count)
        for (position, item) in elements.enumerated() {
            guard let converted = element(item) else {
                throw InputError(file: name, path: "metadata key '\(key)'[\(position)]", "expected one of an array of \(kind), found \(item.typeName)")
            }
            result.append(converted)
        }
        return result
    }

    private func mismatch(_ key: String, _ value: GGUFValue, _ expected: String) -> InputError {
        InputError(file: name, path: "metadata key '\(key)'", "expected \(expected), found \(value.typeName)")
    }
}
