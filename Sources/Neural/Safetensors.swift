import Core
import Foundation

/// Reads and writes the safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
/// mapping each tensor name to its dtype, shape and byte range, then the raw little-endian tensor bytes.
///
/// Used for MicroLM checkpoints (which PyTorch's `safetensors` loads) and to read all-MiniLM-L6-v2's weights.
public struct Safetensors {
    public struct Tensor: Sendable {
        public var shape: [Int]
        public var values: [Float]
        public init(shape: [Int], values: [Float]) {
            precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not hold \(values.count) values")
            self.shape = shape
            self.values = values
        }
    }

    public var tensors: [String: Tensor]
    public var metadata: [String: String]

    public init(tensors: [String: Tensor] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// Loads every tensor of a file as Float32 (F32, F16 and BF16 are converted).
    public init(contentsOf url: URL) throws {
        let data = try Data(contentsOf: url, options: .alwaysMapped)
        try self.init(data: data, name: url.path)
    }

    public init(data: Data, name: String = "<memory>") throws {
        guard data.count >= 8 else { throw InputError(file: name, "file shorter than the 8-byte safetensors header") }
        let headerLength = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(data.count - 8) else {
            throw InputError(file: name, "header length \(headerLength) exceeds the file (\(data.count) bytes)")
        }
        let headerData = data.subdata(in: 8..<(8 + Int(headerLength)))
        guard let header = try JSONSerialization.jsonObject(with: headerData) as? [String: Any] else {
            throw InputError(file: name, path: "$", "header is not a JSON object")
        }
        let base = 8 + Int(headerLength)
        var tensors: [String: Tensor] = [:]
        var metadata: [String: String] = [:]
        for (key, value) in header {
            if key == "__metadata__" {
                metadata = (value as? [String: String]) ?? [:]
                continue
            }
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2
            else { throw InputError(file: name, path: "$.\(key)", "tensor entry needs dtype, shape and data_offsets") }
            let start = base + offsets[0], end = base + offsets[1]
            guard start <= end, end <= data.count else {
                throw InputError(file: name, path: "$.\(key)", field: "data_offsets", "byte range \(offsets) is outside the file")
            }
            let count = shape.reduce(1, *)
            let bytes = data.subdata(in: start..<end)
            let values: [Float]
            switch dtype {
            case "F32":
                guard bytes.count == 4 * count else { throw InputError(file: name, path: "$.\(key)", field: "shape", "expects \(4 * count) bytes, has \(bytes.count)") }
                values = bytes.withUnsafeBytes { raw in (0..<count).map { Float(bitPattern: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self).littleEndian) } }
            case "F16":
                guard bytes.count == 2 * count else { throw InputError(file: name, path: "$.\(key)", field: "shape", "expects \(2 * count) bytes, has \(bytes.count)") }
                values = bytes.withUnsafeBytes { raw in (0..<count).map { Float(Float16(bitPattern: raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self).littleEndian)) } }
            case "BF16":
                guard bytes.count == 2 * count else { throw InputError(file: name, path: "$.\(key)", field: "shape", "expects \(2 * count) bytes, has \(bytes.count)") }
                values = bytes.withUnsafeBytes { raw in (0..<count).map { Float(bitPattern: UInt32(raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self).littleEndian) << 16) } }
            default:
                throw InputError(file: name, path: "$.\(key)", field: "dtype", "unsupported dtype \(dtype) (F32, F16, BF16 are read)")
            }
            tensors[key] = Tensor(shape: shape, values: values)
        }
        self.tensors = tensors
        self.metadata = metadata
    }

    /// Serialises as F32 with tensors in name order, so equal weights give equal bytes (and equal digests).
    public func serialized() throws -> Data {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            let tensor = tensors[name]!
            header[name] = ["dtype": "F32", "shape": tensor.shape, "data_offsets": [offset, offset + 4 * tensor.values.count]] as [String: Any]
            offset += 4 * tensor.values.count
        }
        var headerBytes = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // Pad the header with spaces to an 8-byte boundary, as the reference writer does, so data stays aligned.
        while (8 + headerBytes.count) % 8 != 0 { headerBytes.append(0x20) }
        var out = Data(capacity: 8 + headerBytes.count + offset)
        var length = UInt64(headerBytes.count).littleEndian
        withUnsafeBytes(of: &length) { out.append(contentsOf: $0) }
        out.append(headerBytes)
        for name in names {
            tensors[name]!.values.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: UInt32.self) { words in
                    let littleEndian = words.map { $0.littleEndian }
                    littleEndian.withUnsafeBytes { out.append(contentsOf: $0) }
                }
            }
        }
        return out
    }

    public func write(to url: URL) throws { try serialized().write(to: url, options: .atomic) }

    public func tensor(_ name: String, file: String = "<safetensors>") throws -> Tensor {
        guard let tensor = tensors[name] else { throw InputError(file: file, field: name, "tensor not found") }
        return tensor
    }
}
