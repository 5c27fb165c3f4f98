import ChatPOSIX
import CLinux

#if canImport(Glibc)
import Glibc
#endif

// Process calls only the tests make: starting helper programs, reaching into a session,
// counting a process's threads.
extension Proc {
    /// Number of threads of this process, from /proc/self/task.
    public static func threadCount(of pid: pid_t = getpid()) -> Int {
        guard let dir = opendir("/proc/\(pid)/task") else { return -1 }
        defer { closedir(dir) }
        var n = 0
        while let e = readdir(dir) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { n += 1 }
        }
        return n
    }

    /// Starts a program (posix_spawn): input from `input` (default /dev/null), output and
    /// errors appended to `outputPath`, this process's environment with `environment` on top,
    /// no signal blocked and every signal at its default (a caller's mask and handlers would
    /// be inherited otherwise, and a tmux server does not survive them). For the tests'
    /// helper programs.
    public static func spawn(_ path: String, _ args: [String], outputPath: String,
                             environment: [String: String] = [:], input: Int32? = nil) throws(SystemError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let input {
            posix_spawn_file_actions_adddup2(&actions, input, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of the caller's: a test process holds many descriptors without
        // close-on-exec, and a program started under a descriptor limit must not get them.
        posix_spawn_file_actions_addclosefrom_np(&actions, 3)
        let argv = Proc.cStrings([path] + args)
        let envp = Proc.cStrings(Proc.environmentEntries(overriding: environment))
        defer { (argv + envp).forEach { free($0) } }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attr, &empty)
        posix_spawnattr_setsigdefault(&attr, &all)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attr, argv, envp)
        guard rc == 0 else { throw SystemError("posix_spawn(\(path))", errno: rc) }
        return pid
    }

    /// A copy of descriptor `fd` of process `pid` (`pidfd_getfd`); needs ptrace access to it.
    /// The tests use it to write into a session's hub channel as a compromised session would.
    public static func copyDescriptor(of pid: pid_t, _ fd: Int32) throws(SystemError) -> Int32 {
        brokenPipesAreErrors
        return try check("pidfd_getfd") { clinux_copy_fd(pid, fd) }
    }

}
