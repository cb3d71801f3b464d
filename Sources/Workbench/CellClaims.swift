import Core
import Foundation

/// Which runner computes which cell, across processes sharing one store: a cell is claimed by a POSIX record
/// lock on one byte of `<store>.claims` (the byte at the first 48 bits of the SHA-256 of its cache key). A second runner that needs
/// the same cell waits for the lock and then finds the result stored, instead of computing it again.
///
/// The kernel drops a process's locks when it exits, however it exits (SIGKILL too), so a dead runner never
/// leaves a cell claimed. Two different keys share a byte with odds of 2⁻⁴⁸; they would only wait for each other.
/// Record locks belong to a process, so runners inside one process do not exclude each other.
final class CellClaims: @unchecked Sendable {
    private let descriptor: Int32
    let path: String

    init(storePath: String) throws {
        path = storePath + ".claims"
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw InputError(file: path, "cannot open the claims file: \(FileReading.problem(errno: errno, path: path))") }
    }

    deinit { close(descriptor) }

    /// Claims the cell with `cacheKey`; if another process holds it, calls `waiting` with that process's id and
    /// blocks until it lets go. Returns whether it had to wait.
    @discardableResult
    func claim(_ cacheKey: String, waiting: (Int32) -> Void) throws -> Bool {
        var lock = region(cacheKey, type: F_WRLCK)
        if fcntl(descriptor, F_SETLK, &lock) == 0 { return false }
        guard errno == EAGAIN || errno == EACCES else { throw InputError(file: path, "cannot lock: \(String(cString: strerror(errno)))") }
        var probe = region(cacheKey, type: F_WRLCK)
        _ = fcntl(descriptor, F_GETLK, &probe)
        waiting(probe.l_type == F_UNLCK ? 0 : probe.l_pid)
        lock = region(cacheKey, type: F_WRLCK)
        while fcntl(descriptor, F_SETLKW, &lock) != 0 {
            guard errno == EINTR else { throw InputError(file: path, "cannot lock: \(String(cString: strerror(errno)))") }
        }
        return true
    }

    func release(_ cacheKey: String) {
        var lock = region(cacheKey, type: F_UNLCK)
        _ = fcntl(descriptor, F_SETLK, &lock)
    }

    private func region(_ cacheKey: String, type: Int32) -> flock {
        var lock = flock()
        lock.l_type = Int16(type)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = off_t(UInt64(SHA256.hex(cacheKey).prefix(12), radix: 16)!)
        lock.l_len = 1
        return lock
    }
}
