/// One entry of a GGUF file's tensor table: where a tensor's bytes are and how to read them.
public struct GGUFTensorInfo: Sendable, Equatable {
    public let name: String
    public let type: GGMLType
    /// Dimensions in GGUF (ggml `ne`) order: `shape[0]` is the row length, the dimension that is contiguous in
    /// memory. A PyTorch weight of shape [out, in] is stored here as [in, out].
    public let shape: [Int]
    /// Byte offset of the tensor's data from the start of the file's data section.
    public let offset: Int

    /// Number of values (the product of `shape`).
    public var elementCount: Int { shape.reduce(1, *) }
    /// Values per row: `shape[0]`.
    public var rowLength: Int { shape.first ?? 1 }
    /// Number of rows: every dimension after the first, multiplied.
    public var rowCount: Int { shape.dropFirst().reduce(1, *) }
    /// Bytes the tensor occupies in the file.
    public var byteCount: Int { elementCount / type.blockSize * type.blockBytes }
}
