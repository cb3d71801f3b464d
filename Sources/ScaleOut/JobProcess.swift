import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs one program to completion or to its time limit, without a shell.
///
/// The program is started with `posix_spawn` as the leader of a new process group, so a timeout can end it *and
/// everything it started* (data-loader workers, `torchrun` ranks): SIGTERM to the group, then SIGKILL after
/// `killGrace` seconds. Its stdout and stderr go to one log file, stdin is /dev/null, and no other descriptor of
/// this process leaks into it.
///
/// Not Foundation's `Process`: on Linux it learns of a child's exit from a descriptor the child inherits, so a
/// program that leaves a daemon behind (`local-cluster.sh` starting slurmctld, say) is never seen to exit.
/// Here exit is `waitpid` on the child itself.
struct JobProcess {
    var executable: URL
    var arguments: [String]
    var environment: [String: String]
    var workingDirectory: URL
    var log: URL
    var timeout: TimeInterval?
    var killGrace: TimeInterval

    enum Ending: Equatable {
        case exited(Int32)
        case signalled(Int32)
        case timedOut
    }

    func run() throws -> Ending {
        let pid = try spawn()
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        var status: Int32 = 0
        while true {
            if let ended = reap(pid, &status) {
                kill(-pid, SIGKILL)  // a finished job leaves nothing of its group running
                return ended
            }
            if let deadline, Date() >= deadline { break }
            usleep(20_000)
        }
        kill(-pid, SIGTERM)
        let grace = Date().addingTimeInterval(killGrace)
        while reap(pid, &status) == nil {
            if Date() >= grace {
                kill(-pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                break
            }
            usleep(20_000)
        }
        kill(-pid, SIGKILL)  // members that ignored SIGTERM after the leader left
        return .timedOut
    }

    /// The ending once the child has exited (collected), nil while it runs.
    private func reap(_ pid: pid_t, _ status: inout Int32) -> Ending? {
        var result: pid_t
        repeat { result = waitpid(pid, &status, WNOHANG) } while result == -1 && errno == EINTR
        guard result == pid else { return nil }
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
    }

    private func spawn() throws -> pid_t {
        let logDescriptor = open(log.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard logDescriptor >= 0 else {
            throw CommandTrainerError.launchFailed(executable.path, "cannot create the log file \(log.path): \(String(cString: strerror(errno)))")
        }
        defer { close(logDescriptor) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, logDescriptor, 1)
        posix_spawn_file_actions_adddup2(&actions, logDescriptor, 2)
        // glibc ≥ 2.34 has both; Swift's Glibc module does not export these GNU extensions, so look them up.
        guard let closeFrom = JobProcess.glibc("posix_spawn_file_actions_addclosefrom_np", as: CloseFrom.self),
              let changeDirectory = JobProcess.glibc("posix_spawn_file_actions_addchdir_np", as: ChangeDirectory.self) else {
            throw CommandTrainerError.launchFailed(executable.path, "this C library lacks posix_spawn_file_actions_addchdir_np/addclosefrom_np (glibc 2.34+ needed)")
        }
        _ = closeFrom(&actions, 3)
        _ = changeDirectory(&actions, workingDirectory.path)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)  // no inherited ignored signals (SIGPIPE)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, executable.path, &actions, &attributes, argv, envp)
        guard code == 0 else {
            throw CommandTrainerError.launchFailed(executable.path, String(cString: strerror(code)))
        }
        return pid
    }

    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    private static func glibc<F>(_ name: String, as type: F.Type) -> F? {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }  // RTLD_DEFAULT
        return unsafeBitCast(symbol, to: F.self)
    }

    /// The last `limit` bytes of the log, for error messages.
    func logTail(limit: Int = 1200) -> String {
        guard let data = FileManager.default.contents(atPath: log.path) else { return "" }
        return String(decoding: data.suffix(limit), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
