import Core
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The read-only bytes of a GGUF file: memory-mapped from disk, so opening a 250 MB model reads only the header and
/// the pages of the tensors actually used, or copied from memory (hand-made test files).
final class MappedBytes: @unchecked Sendable {
    // Immutable after init: safe to share between the threads that dequantise rows in parallel.
    let base: UnsafeRawPointer
    let count: Int
    private let unmap: () -> Void

    init(contentsOf url: URL) throws {
        let path = url.path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw InputError(file: path, "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw InputError(file: path, "cannot stat: \(String(cString: strerror(errno)))") }
        let size = Int(status.st_size)
        guard size > 0 else { throw InputError(file: path, "the file is empty") }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED else {
            throw InputError(file: path, "cannot memory-map: \(String(cString: strerror(errno)))")
        }
        base = UnsafeRawPointer(mapped)
        count = size
        unmap = { munmap(mapped, size) }
    }

    init(copying bytes: some Collection<UInt8>) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 64)
        _ = buffer.initializeMemory(as: UInt8.self, from: bytes)
        base = UnsafeRawPointer(buffer.baseAddress!)
        count = bytes.count
        unmap = { buffer.deallocate() }
    }

    deinit { unmap() }
}
