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
    public static func utcOffsetSeconds() -> Int {
        var t = time(nil)
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
}

/// Signals delivered as readable records on a descriptor (signalfd), so the event loop
/// handles them like any other input and nothing runs inside a handler.
public final class SignalQueue {
    public let fd: Int32
    private let signals: [Int32]

    /// Blocks `signals` for this (single-threaded) process and opens a signalfd for them.
    public init(_ signals: [Int32]) throws(SystemError) {
        self.signals = signals
        var set = sigset_t()
        _ = signals.withUnsafeBufferPointer { clinux_sigset_of(&set, $0.baseAddress, Int32($0.count)) }
        _ = try check("sigprocmask") { sigprocmask(SIG_BLOCK, &set, nil) }
        fd = try check("signalfd") { signalfd(-1, &set, Int32(SFD_CLOEXEC) | Int32(SFD_NONBLOCK)) }
    }

    deinit { FD.close(fd) }

    /// Signal numbers waiting, in arrival order (each at most once per read: they coalesce).
    public func drain() -> [Int32] {
        var out: [Int32] = []
        var info = signalfd_siginfo()
        while true {
            let n = withUnsafeMutableBytes(of: &info) { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n != MemoryLayout<signalfd_siginfo>.size { return out }
            out.append(Int32(info.ssi_signo))
        }
    }

    /// In a freshly forked child: default handlers, nothing blocked, SIGPIPE ignored. The
    /// crash signals go back to their default too: a crashing session dies at once (and the
    /// hub announces it) instead of running the runtime's backtracer, which also would let a
    /// signal sent with kill(2) be survived.
    public static func resetInChild() {
        for s in [SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2, SIGQUIT, SIGALRM,
                  SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP] { Glibc.signal(s, SIG_DFL) }
        Glibc.signal(SIGPIPE, SIG_IGN)
        var empty = sigset_t()
        sigemptyset(&empty)
        sigprocmask(SIG_SETMASK, &empty, nil)
    }

    public static func ignore(_ sig: Int32) { Glibc.signal(sig, SIG_IGN) }
}

extension Proc {
    /// Confines this process to what a session's event loop needs: no new privileges, no
    /// core dumps, and a seccomp filter that kills it on any other system call (opening a
    /// file, making a socket, fork, exec…).
    public static func enterSessionSandbox() throws(SystemError) {
        disableCoreDumps()
        _ = try check("seccomp") { clinux_install_session_sandbox() }
    }
}

extension Proc {
    public static var isRoot: Bool { geteuid() == 0 }

    /// Switches to `user`'s uid, gid and only that group, for good (the saved ids too).
    public static func dropPrivileges(to user: String) throws(SystemError) {
        guard let pw = getpwnam(user) else { throw SystemError("getpwnam(\(user))", errno: ENOENT) }
        let uid = pw.pointee.pw_uid
        var gid = pw.pointee.pw_gid
        _ = try check("setgroups") { setgroups(1, &gid) }
        _ = try check("setresgid") { setresgid(gid, gid, gid) }
        _ = try check("setresuid") { setresuid(uid, uid, uid) }
        // Make sure there is no way back.
        if setuid(0) == 0 && uid != 0 { throw SystemError("setuid (privileges could be regained)", errno: EPERM) }
    }
}

extension Proc {
    /// The children of `pid`, as the kernel lists them in /proc.
    public static func children(of pid: pid_t) -> [pid_t] {
        guard let bytes = try? FD.readFile("/proc/\(pid)/task/\(pid)/children", limit: 1 << 20) else { return [] }
        return bytes.split(separator: 0x20).compactMap { pid_t(String(decoding: $0, as: UTF8.self)) }
    }

    /// Proportional set size (shared pages split among their users) of `pid` in KiB, from
    /// /proc/PID/smaps_rollup; nil when the process is gone.
    public static func pssKiB(of pid: pid_t) -> Int? {
        guard let bytes = try? FD.readFile("/proc/\(pid)/smaps_rollup", limit: 8192) else { return nil }
        return parsePSS(String(decoding: bytes, as: UTF8.self))
    }

    /// The `Pss:` figure of a smaps_rollup text, in KiB.
    public static func parsePSS(_ text: String) -> Int? {
        for line in text.split(separator: "\n") where line.hasPrefix("Pss:") {
            return Int(line.dropFirst(4).split(separator: " ").first ?? "")
        }
        return nil
    }
}

/// The allocations that fill the heap's holes (`Proc.plugHeapHoles`), each pointing to the one
/// before.
nonisolated(unsafe) private var heapPlugs: UnsafeMutableRawPointer?

extension Proc {
    /// Gives free heap pages back to the kernel (glibc keeps them after a peak).
    public static func releaseFreeMemory() { _ = malloc_trim(0) }

    /// Gives the whole pages inside `buffer` back to the kernel: a scratch buffer's contents
    /// are not needed between uses, and its next use faults in zero pages.
    public static func discardPages(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress else { return }
        let page = UInt(sysconf(Int32(_SC_PAGESIZE)))
        let start = (UInt(bitPattern: base) + page - 1) & ~(page - 1)
        let end = (UInt(bitPattern: base) + UInt(buffer.count)) & ~(page - 1)
        if end > start { _ = madvise(UnsafeMutableRawPointer(bitPattern: start), Int(end - start), MADV_DONTNEED) }
    }

    /// Fills every free hole in the heap with a small allocation that is never freed, so
    /// that what is allocated next comes from the top of the heap, contiguous, in pages no
    /// one has used. For a process about to fork many children: a child's allocations then
    /// land in a few fresh pages of its own instead of in holes spread over the parent's
    /// pages, each of which it would copy. Returns the bytes plugged. (Chunks in glibc's
    /// per-thread cache are not holes to `mallinfo2` and are not plugged.)
    @discardableResult
    public static func plugHeapHoles(limit: Int = 4 << 20) -> Int {
        _ = malloc_trim(0)
        var plugged = 0
        while plugged < limit && clinux_heap_hole_bytes() > 0 {
            guard let plug = malloc(24) else { break }
            // Chained from a global, so the compiler cannot drop the allocation as unused.
            plug.storeBytes(of: heapPlugs, as: UnsafeMutableRawPointer?.self)
            heapPlugs = plug
            plugged += 32
        }
        return plugged
    }
}

/// A process's `/proc/PID/stat`: the fields after its command name (which may hold spaces and
/// parentheses, so it is skipped up to the last ")"), proc(5)'s field 3 onwards.
public struct ProcessStat {
    private let fields: [ArraySlice<UInt8>]

    /// nil when the process is gone.
    public init?(pid: pid_t) {
        guard let bytes = try? FD.readFile("/proc/\(pid)/stat"), let close = bytes.lastIndex(of: UInt8(ascii: ")")),
              close + 2 < bytes.count else { return nil }
        let fields = bytes[(close + 2)...].split(separator: UInt8(ascii: " "))
        guard fields.count > 14 else { return nil }
        self.fields = fields
    }

    /// Exited but not reaped yet.
    public var isZombie: Bool { fields[0].first == UInt8(ascii: "Z") }
    public var parent: pid_t { pid_t(truncatingIfNeeded: number(1)) }
    /// The session it belongs to (its own pid after `setsid`).
    public var session: pid_t { pid_t(truncatingIfNeeded: number(3)) }
    /// Clock ticks (`Proc.clockTicksPerSecond`) of CPU, user + system: the process's own,
    /// and its reaped children's.
    public var ownTicks: UInt64 { number(11) + number(12) }
    public var childrenTicks: UInt64 { number(13) + number(14) }

    private func number(_ i: Int) -> UInt64 { UInt64(String(decoding: fields[i], as: UTF8.self)) ?? 0 }
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
