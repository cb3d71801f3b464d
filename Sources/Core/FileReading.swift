import Foundation

/// Reads files the user names, and says in plain words what is wrong when it cannot: the path and one of "does
/// not exist", "is a folder", "permission denied", "a loop of symbolic links", "is not a regular file", "is
/// larger than ...", "is not UTF-8 text". Never a Foundation error dump, never a hang on a named pipe.
public enum FileReading {
    /// The bytes of the regular file at `path`, at most `maxBytes` of them.
    public static func data(_ path: String, maxBytes: Int = Int.max) throws -> Data {
        // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw InputError(file: path, problem(errno: errno, path: path)) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw InputError(file: path, problem(errno: errno, path: path)) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw InputError(file: path, "is a folder, not a file") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw InputError(file: path, "is not a regular file (a device, pipe or socket)") }
        guard Int(info.st_size) <= maxBytes else {
            throw InputError(file: path, "is \(info.st_size) bytes; at most \(maxBytes) are accepted here")
        }
        do { return try handle.readToEnd() ?? Data() } catch {
            throw InputError(file: path, "cannot be read: \(describe(error))")
        }
    }

    /// The file's text, which must be UTF-8.
    public static func text(_ path: String, maxBytes: Int = Int.max) throws -> String {
        let bytes = try data(path, maxBytes: maxBytes)
        guard let text = String(data: bytes, encoding: .utf8) else { throw InputError(file: path, "is not UTF-8 text") }
        return text
    }

    /// Why `path` cannot be opened, from `errno`; for a missing path, whether it is a dangling or looping link.
    public static func problem(errno code: Int32, path: String) -> String {
        switch code {
        case ENOENT:
            var info = stat()
            return lstat(path, &info) == 0 ? "is a symbolic link to a file that does not exist" : "does not exist"
        case EACCES, EPERM: return "permission denied"
        case ELOOP: return "is a loop of symbolic links"
        case ENOTDIR: return "does not exist (a part of the path is a file, not a folder)"
        case EISDIR: return "is a folder, not a file"
        case ENAMETOOLONG: return "the path is too long"
        default: return String(cString: strerror(code))
        }
    }

    /// Whether something (a file, a folder, even a broken or looping link) is at `path`; unlike
    /// `FileManager.fileExists`, a looping link counts as present, so it is reported as a loop, not as missing.
    public static func entryExists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// A Foundation or POSIX error in plain words, with no domain or code numbers.
    public static func describe(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return problem(errno: Int32(underlying.code), path: nsError.userInfo[NSFilePathErrorKey] as? String ?? "")
        }
        if nsError.domain == NSPOSIXErrorDomain { return problem(errno: Int32(nsError.code), path: "") }
        if nsError.domain == NSCocoaErrorDomain {
            switch CocoaError.Code(rawValue: nsError.code) {
            case .fileNoSuchFile, .fileReadNoSuchFile: return "does not exist"
            case .fileReadNoPermission, .fileWriteNoPermission: return "permission denied"
            case .fileReadInapplicableStringEncoding, .fileReadCorruptFile: return "is not UTF-8 text"
            case .fileWriteOutOfSpace: return "the disk is full"
            case .fileWriteVolumeReadOnly: return "the volume is read-only"
            case .fileWriteFileExists: return "already exists"
            default: return "cannot be read or written"
            }
        }
        return "\(error)"
    }

    /// The path a Foundation file error is about, if it says.
    public static func path(of error: Error) -> String? {
        let info = (error as NSError).userInfo
        return info[NSFilePathErrorKey] as? String ?? (info[NSURLErrorKey] as? URL)?.path
    }
}
