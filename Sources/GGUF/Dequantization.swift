import Core
import Foundation

/// Decoding tensors to Float32, in the exact arithmetic of ggml's reference dequantisers (`dequantize_row_*` in
/// ggml-quants.c), so the values are bit-identical to llama.cpp's and the `gguf` Python package's.
extension GGUFFile {
    /// The tensor's values as Float32 in memory order: `rowCount` rows of `rowLength` values.
    public func float32(tensor tensorName: String) throws -> [Float] {
        try float32(try tensor(named: tensorName))
    }

    /// The values of a tensor of this file as Float32 in memory order.
    public func float32(_ info: GGUFTensorInfo) throws -> [Float] {
        guard let decode = BlockDecoder.decoder(for: info.type) else {
            throw InputError(file: name, path: "tensor '\(info.name)'", field: "type",
                             "tensor type \(info.type) cannot be dequantised (supported: \(GGMLType.allCases.filter(\.isDequantizable).map(\.description).joined(separator: ", ")))")
        }
        let count = info.elementCount
        let blocks = count / info.type.blockSize
        let source = bytes.base + dataOffset + info.offset
        let blockBytes = info.type.blockBytes, blockSize = info.type.blockSize
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard let destination = buffer.baseAddress else { initialized = 0; return }
            // Chunks of about 64 K values: big enough that thread start-up is noise, small enough to balance.
            let blocksPerChunk = max(1, 65_536 / blockSize)
            let chunks = (blocks + blocksPerChunk - 1) / blocksPerChunk
            let work = { (chunk: Int) in
                let first = chunk * blocksPerChunk
                let n = min(blocksPerChunk, blocks - first)
                decode(source + first * blockBytes, destination + first * blockSize, n)
            }
            if chunks <= 1 {
                if chunks == 1 { work(0) }
            } else {
                DispatchQueue.concurrentPerform(iterations: chunks, execute: work)
            }
            initialized = count
        }
    }
}
