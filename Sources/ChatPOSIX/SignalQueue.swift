#if canImport(Glibc)
import Glibc
#endif
import CLinux

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
