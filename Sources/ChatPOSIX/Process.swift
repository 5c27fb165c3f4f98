#if canImport(Glibc)
import Glibc
#endif
import CLinux

/// Processes, signals, limits and clocks.
public enum Proc {
    public enum ForkResult { case child, parent(pid_t) }

    public static func fork() throws(SystemError) -> ForkResult {
        let pid = Glibc.fork()
        if pid < 0 { throw SystemError("fork") }
        return pid == 0 ? .child : .parent(pid)
    }

    /// A new process whose parent is this process's parent (`clinux_fork_sibling`): what a
    /// single-threaded spawner uses so that its parent adopts nobody, it is the parent.
    public static func forkSibling() throws(SystemError) -> ForkResult {
        let pid = clinux_fork_sibling()
        if pid < 0 { throw SystemError("clone(CLONE_PARENT)") }
        return pid == 0 ? .child : .parent(pid_t(pid))
    }

    /// Replaces this process's image with a fresh start of the same program (`/proc/self/exe`,
    /// which still works when the file has since been replaced or deleted), with `arguments`
    /// as its argv. Returns only when that failed.
    /// `environment` is set in this process's environment for the new image.
    public static func restartSelf(_ arguments: [String], setting environment: [String: String] = [:]) -> SystemError {
        let argv = cStrings(arguments)
        let envp = cStrings(environmentEntries(overriding: environment))
        execve("/proc/self/exe", argv, envp)
        let error = SystemError("execve(/proc/self/exe)")
        (argv + envp).forEach { free($0) }
        return error
    }

    /// This process's environment as `NAME=value` entries, with `overrides` set (replacing
    /// variables of the same names).
    public static func environmentEntries(overriding overrides: [String: String]) -> [String] {
        var entries: [String] = []
        var entry = environ
        while let e = entry.pointee {
            let text = String(cString: e)
            let name = text.split(separator: "=", maxSplits: 1).first.map(String.init) ?? text
            if overrides[name] == nil { entries.append(text) }
            entry += 1
        }
        return entries + overrides.map { "\($0.key)=\($0.value)" }
    }

    /// A NULL-terminated array of C strings for exec (each to be freed).
    public static func cStrings(_ strings: [String]) -> [UnsafeMutablePointer<CChar>?] { strings.map { strdup($0) } + [nil] }

    /// This program's own argv[0], as it was started.
    public static var programName: String { String(cString: CommandLine.unsafeArgv[0]!) }

    /// Ends a forked child without running atexit handlers or flushing inherited stdio.
    public static func exitImmediately(_ code: Int32) -> Never { _exit(code) }

    /// How a reaped child ended.
    public enum ExitStatus: Equatable, Sendable, CustomStringConvertible {
        case exited(Int32)
        case signaled(Int32)

        /// From a `waitpid` status.
        public init(waitStatus status: Int32) {
            if status & 0x7F == 0 { self = .exited((status >> 8) & 0xFF) } else { self = .signaled(status & 0x7F) }
        }

        public var description: String {
            switch self {
            case .exited(let c): return "exit \(c)"
            case .signaled(let s): return "signal \(s) (\(Proc.signalName(s)))"
            }
        }
    }

    /// Reaps every exited child; SIGCHLD coalesces, so callers always loop here.
    public static func reapChildren(_ body: (pid_t, ExitStatus) -> Void) {
        while true {
            var status: Int32 = 0
            let pid = waitpid(-1, &status, WNOHANG)
            if pid <= 0 { return }
            body(pid, ExitStatus(waitStatus: status))
        }
    }

    /// Sends `sig` to process `pid`. Never to a group: a pid of 0 or less does nothing.
    public static func signal(_ pid: pid_t, _ sig: Int32) {
        guard pid > 0 else { return }
        _ = kill(pid, sig)
    }

    /// Orphaned descendants become this process's children (PR_SET_CHILD_SUBREAPER), so it
    /// reaps the sessions its spawner forks.
    public static func becomeSubreaper() throws(SystemError) {
        _ = try check("prctl(PR_SET_CHILD_SUBREAPER)") { clinux_set_child_subreaper() }
    }

    /// Waits for child `pid` to end (blocking); how it ended.
    @discardableResult
    public static func waitFor(_ pid: pid_t) -> ExitStatus {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return ExitStatus(waitStatus: status)
    }

    public static func signalName(_ sig: Int32) -> String {
        switch sig {
        case SIGKILL: return "SIGKILL"
        case SIGTERM: return "SIGTERM"
        case SIGSEGV: return "SIGSEGV"
        case SIGABRT: return "SIGABRT"
        case SIGILL: return "SIGILL"
        case SIGTRAP: return "SIGTRAP"
        case SIGBUS: return "SIGBUS"
        case SIGSYS: return "SIGSYS"
        case SIGINT: return "SIGINT"
        case SIGHUP: return "SIGHUP"
        case SIGQUIT: return "SIGQUIT"
        case SIGPIPE: return "SIGPIPE"
        default: return "signal \(sig)"
        }
    }

    /// Leaves the process group this process was started in for one of its own (its
    /// children follow): a terminal's Ctrl-C, or a `kill` of the group, then reaches only the
    /// group that was started, whose leader decides what happens to the rest.
    public static func startOwnProcessGroup() { _ = setpgid(0, 0) }

    /// Asks the kernel to send `sig` to this process when its parent dies.
    public static func dieWithParent(_ sig: Int32 = SIGTERM) { _ = clinux_set_pdeathsig(sig) }

    public static func disableCoreDumps() {
        var lim = rlimit(rlim_cur: 0, rlim_max: 0)
        _ = setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &lim)
        _ = clinux_set_dumpable(0)
    }

    /// Makes this process `steps` nicer than it is (always allowed; raising it back is not).
    public static func lowerPriority(by steps: Int32) {
        errno = 0
        let now = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        if now == -1 && errno != 0 { return }
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, min(19, now + steps))
    }

    public static func setName(_ name: String) { _ = clinux_set_name(name) }

    /// Raises the soft descriptor limit to the hard one; returns the new soft limit.
    @discardableResult
    public static func raiseDescriptorLimit() -> UInt64 {
        var lim = rlimit()
        guard getrlimit(RLIMIT_NOFILE_VALUE, &lim) == 0 else { return 1024 }
        if lim.rlim_cur < lim.rlim_max {
            lim.rlim_cur = lim.rlim_max
            _ = setrlimit(RLIMIT_NOFILE_VALUE, &lim)
        }
        return UInt64(lim.rlim_cur)
    }

    public static var pid: pid_t { getpid() }
    public static var parentPID: pid_t { getppid() }

    /// Monotonic clock in nanoseconds.
    @inline(__always)
    public static func monotonicNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// Wall clock in milliseconds since the epoch.
    public static func wallMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    /// Offset of local time from UTC, in seconds, now.
    public static func utcOffsetSeconds() -> Int { utcOffsetSeconds(atEpochSeconds: Int64(time(nil))) }

    /// Offset of local time from UTC, in seconds, at a moment (daylight saving time may make
    /// it differ from now's).
    public static func utcOffsetSeconds(atEpochSeconds seconds: Int64) -> Int {
        var t = time_t(seconds)
        var tmv = tm()
        localtime_r(&t, &tmv)
        return tmv.tm_gmtoff
    }

    public static func hostName() -> String {
        var buf = [CChar](repeating: 0, count: 256)
        guard gethostname(&buf, buf.count) == 0 else { return "localhost" }
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public static func environment(_ name: String) -> String? {
        guard let v = getenv(name) else { return nil }
        return String(cString: v)
    }

    /// A process's name (`/proc/PID/comm`), nil when it is gone.
    public static func name(of pid: pid_t) -> String? {
        guard let text = try? FD.readFile("/proc/\(pid)/comm") else { return nil }
        return String(decoding: text.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
    }

    /// A process's parent (`/proc/PID/stat`), nil when it is gone.
    public static func parentPID(of pid: pid_t) -> pid_t? { ProcessStat(pid: pid)?.parent }
}

extension Proc {
    /// The user's login name: $USER, $LOGNAME, then the password database.
    public static func loginName() -> String? {
        for v in ["USER", "LOGNAME"] {
            if let s = environment(v), !s.isEmpty { return s }
        }
        guard let pw = getpwuid(getuid()), let name = pw.pointee.pw_name else { return nil }
        return String(cString: name)
    }
}

extension Proc {
    /// Clock ticks per second for /proc/PID/stat times.
    public static var clockTicksPerSecond: Int {
        let t = sysconf(Int32(_SC_CLK_TCK))
        return t > 0 ? t : 100
    }

    /// Sleeps (in the caller's thread).
    public static func sleep(nanos: UInt64) {
        var ts = timespec(tv_sec: Int(nanos / 1_000_000_000), tv_nsec: Int(nanos % 1_000_000_000))
        var rem = timespec()
        while nanosleep(&ts, &rem) != 0 && errno == EINTR { ts = rem }
    }

    /// Processors online (at least 1).
    public static var onlineCPUs: Int {
        let n = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        return n > 0 ? n : 1
    }
}
