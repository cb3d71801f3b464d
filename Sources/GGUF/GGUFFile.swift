import Core
import Foundation

/// A GGUF model file (llama.cpp's format, versions 2 and 3): its metadata, its tensor table and, through
/// `float32(tensor:)`, any tensor dequantised to Float32.
///
/// The file is memory-mapped; opening it reads the header, the metadata and the tensor table and checks that every
/// tensor's data lies inside the file, so later reads cannot run off the end. Every problem is an `InputError`
/// naming the file, the metadata key or tensor (in `path`) and the reason.
///
/// ```swift
/// let file = try GGUFFile(contentsOf: url)
/// let layers = try file.int("llama.block_count")
/// let tokens = try file.strings("tokenizer.ggml.tokens")
/// let wq = try file.float32(tensor: "blk.0.attn_q.weight")   // row-major, rows of shape[0] values
/// ```
public struct GGUFFile: Sendable {
    /// The path (or name) errors mention.
    public let name: String
    public let version: UInt32
    /// Metadata in file order.
    public let metadataKeys: [String]
    public let metadata: [String: GGUFValue]
    /// The tensor table in file order.
    public let tensors: [GGUFTensorInfo]
    /// Alignment of tensor data (`general.alignment`, 32 when absent).
    public let alignment: Int
    /// Byte offset of the data section in the file; tensor offsets count from here.
    public let dataOffset: Int

    let bytes: MappedBytes
    private let tensorIndex: [String: Int]

    /// Arrays nested deeper than this are refused: real files nest at most once, and a hostile file could otherwise
    /// recurse the reader off its stack.
    static let maximumArrayDepth = 8
    /// ggml tensors have at most four dimensions (`GGML_MAX_DIMS`).
    static let maximumDimensions = 4

    public init(contentsOf url: URL) throws {
        try self.init(bytes: MappedBytes(contentsOf: url), name: url.path)
    }

    /// Reads a GGUF file held in memory (hand-made files in tests).
    public init(data: some Collection<UInt8>, name: String = "<memory>") throws {
        try self.init(bytes: MappedBytes(copying: data), name: name)
    }

    init(bytes: MappedBytes, name: String) throws {
        self.bytes = bytes
        self.name = name
        var reader = ByteReader(bytes: bytes, file: name)

        let magic = try reader.integer(UInt32.self, for: "header magic")
        guard magic == 0x4655_4747 else {  // "GGUF" read as a little-endian UInt32
            throw InputError(file: name, path: "header", field: "magic", "not a GGUF file: the first 4 bytes are \(String(format: "%08x", magic.byteSwapped)), expected 'GGUF' (47475546)")
        }
        version = try reader.integer(UInt32.self, for: "header version")
        guard version == 2 || version == 3 else {
            let hint = version.byteSwapped <= 3 ? " (a big-endian file?)" : (version == 1 ? " (version 1 predates 64-bit counts)" : "")
            throw InputError(file: name, path: "header", field: "version", "unsupported GGUF version \(version)\(hint); versions 2 and 3 are read")
        }
        let tensorCount = try reader.integer(UInt64.self, for: "header tensor count")
        let keyCount = try reader.integer(UInt64.self, for: "header metadata count")
        // Each metadata pair takes at least 13 bytes (key length, value type, one byte) and each tensor entry at
        // least 32, so larger counts cannot be honest: refuse them before reserving anything.
        guard keyCount <= UInt64(reader.remaining / 13) else {
            throw InputError(file: name, path: "header", field: "metadata count", "\(keyCount) metadata pairs cannot fit in the \(reader.remaining) bytes left")
        }
        guard tensorCount <= UInt64(reader.remaining / 32) else {
            throw InputError(file: name, path: "header", field: "tensor count", "\(tensorCount) tensors cannot fit in the \(reader.remaining) bytes left")
        }

        var keys: [String] = []
        var values: [String: GGUFValue] = [:]
        keys.reserveCapacity(Int(keyCount))
        for index in 0..<Int(keyCount) {
            let key = try reader.string(for: "metadata pair \(index) key")
            let item = "metadata key '\(key)'"
            let type = try reader.integer(UInt32.self, for: item)
            let value = try Self.readValue(type: type, from: &reader, item: item, depth: 0)
            guard values.updateValue(value, forKey: key) == nil else {
                throw InputError(file: name, path: item, "the key appears twice")
            }
            keys.append(key)
        }
        metadataKeys = keys
        metadata = values

        var alignment = 32
        if let value = values["general.alignment"] {
            guard case .uint32(let raw) = value, raw > 0, raw & (raw - 1) == 0 else {
                throw InputError(file: name, path: "metadata key 'general.alignment'", "must be a uint32 power of two, is \(value.typeName) \(value)")
            }
            alignment = Int(raw)
        }
        self.alignment = alignment

        var infos: [GGUFTensorInfo] = []
        var index: [String: Int] = [:]
        infos.reserveCapacity(Int(tensorCount))
        for position in 0..<Int(tensorCount) {
            let info = try Self.readTensorInfo(from: &reader, position: position, alignment: alignment, file: name)
            guard index.updateValue(infos.count, forKey: info.name) == nil else {
                throw InputError(file: name, path: "tensor '\(info.name)'", "the name appears twice in the tensor table")
            }
            infos.append(info)
        }
        reader.align(to: alignment)
        dataOffset = reader.offset
        let dataBytes = max(0, bytes.count - dataOffset)
        for info in infos where info.offset > dataBytes || info.byteCount > dataBytes - info.offset {
            throw InputError(file: name, path: "tensor '\(info.name)'", field: "offset",
                             "data runs past the end of the file: \(info.byteCount) bytes at data offset \(info.offset), the data section holds \(dataBytes)")
        }
        tensors = infos
        tensorIndex = index
    }

    private static func readTensorInfo(from reader: inout ByteReader, position: Int, alignment: Int, file: String) throws -> GGUFTensorInfo {
        let name = try reader.string(for: "tensor \(position) name")
        let item = "tensor '\(name)'"
        let dimensionCount = try reader.integer(UInt32.self, for: item)
        guard (1...maximumDimensions).contains(Int(dimensionCount)) else {
            throw InputError(file: file, path: item, field: "dimensions", "\(dimensionCount) dimensions; ggml tensors have 1 to \(maximumDimensions)")
        }
        var shape: [Int] = []
        var elements = 1
        for _ in 0..<dimensionCount {
            let size = try reader.integer(UInt64.self, for: item)
            let (product, overflow) = elements.multipliedReportingOverflow(by: Int(clamping: size))
            guard !overflow, product <= Int(Int64.max / 8) else {
                throw InputError(file: file, path: item, field: "shape", "dimension \(size) makes the tensor impossibly large")
            }
            shape.append(Int(size))
            elements = product
        }
        let rawType = try reader.integer(UInt32.self, for: item)
        guard let type = GGMLType(rawValue: rawType) else {
            throw InputError(file: file, path: item, field: "type", "unknown ggml tensor type id \(rawType)")
        }
        guard shape[0] % type.blockSize == 0 else {
            throw InputError(file: file, path: item, field: "shape", "row length \(shape[0]) is not a multiple of \(type)'s block size \(type.blockSize)")
        }
        let offset = try reader.integer(UInt64.self, for: item)
        guard offset % UInt64(alignment) == 0, offset <= UInt64(Int64.max / 2) else {
            throw InputError(file: file, path: item, field: "offset", "data offset \(offset) is not a multiple of the alignment \(alignment)")
        }
        return GGUFTensorInfo(name: name, type: type, shape: shape, offset: Int(offset))
    }

    private static func readValue(type: UInt32, from reader: inout ByteReader, item: String, depth: Int) throws -> GGUFValue {
        switch type {
        case 0: return .uint8(try reader.integer(UInt8.self, for: item))
        case 1: return .int8(try reader.integer(Int8.self, for: item))
        case 2: return .uint16(try reader.integer(UInt16.self, for: item))
        case 3: return .int16(try reader.integer(Int16.self, for: item))
        case 4: return .uint32(try reader.integer(UInt32.self, for: item))
        case 5: return .int32(try reader.integer(Int32.self, for: item))
        case 6: return .float32(Float(bitPattern: try reader.integer(UInt32.self, for: item)))
        case 7:
            let raw = try reader.integer(UInt8.self, for: item)
            guard raw <= 1 else { throw InputError(file: reader.file, path: item, "bool byte is \(raw), must be 0 or 1") }
            return .bool(raw == 1)
        case 8: return .string(try reader.string(for: item))
        case 9:
            guard depth < maximumArrayDepth else {
                throw InputError(file: reader.file, path: item, "arrays nested deeper than \(maximumArrayDepth)")
            }
            let elementType = try reader.integer(UInt32.self, for: item)
            let count = try reader.integer(UInt64.self, for: item)
            guard let smallest = smallestEncoding(of: elementType) else {
                throw InputError(file: reader.file, path: item, "unknown array element type \(elementType)")
            }
            guard count <= UInt64(reader.remaining / smallest) else {
                throw InputError(file: reader.file, path: item, "array of \(count) elements cannot fit in the \(reader.remaining) bytes left")
            }
            var elements: [GGUFValue] = []
            elements.reserveCapacity(Int(count))
            for _ in 0..<Int(count) {
                elements.append(try readValue(type: elementType, from: &reader, item: item, depth: depth + 1))
            }
            return .array(elements)
        case 10: return .uint64(try reader.integer(UInt64.self, for: item))
        case 11: return .int64(try reader.integer(Int64.self, for: item))
        case 12: return .float64(Double(bitPattern: try reader.integer(UInt64.self, for: item)))
        default: throw InputError(file: reader.file, path: item, "unknown metadata value type \(type)")
        }
    }

    /// The fewest bytes one value of a type can take, to bound array counts before allocating.
    private static func smallestEncoding(of type: UInt32) -> Int? {
        switch type {
        case 0, 1, 7: 1
        case 2, 3: 2
        case 4, 5, 6: 4
        case 8, 10, 11, 12: 8
        case 9: 12
        default: nil
        }
    }

    /// The tensor table entry of `name`.
    public func tensor(named tensorName: String) throws -> GGUFTensorInfo {
        guard let position = tensorIndex[tensorName] else {
            throw InputError(file: name, path: "tensor '\(tensorName)'", "no such tensor (the file has \(tensors.count))")
        }
        return tensors[position]
    }

    /// The raw bytes of a tensor, as stored (valid while this file value lives).
    public func rawBytes(of info: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: bytes.base + dataOffset + info.offset, count: info.byteCount)
    }
}
