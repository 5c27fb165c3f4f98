#if canImport(Glibc)
import Glibc
#endif
import CLinux

// The terminal state to put back, written once when raw mode starts and read by the crash
// handler and the atexit hook (async-signal-safe: plain loads and tcsetattr).
nonisolated(unsafe) private var ttySaved = termios()
nonisolated(unsafe) private var ttyFD: Int32 = -1
nonisolated(unsafe) private var ttyRaw = false
nonisolated(unsafe) private var ttyHooksInstalled = false
nonisolated(unsafe) private let ttyPreviousActions = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
private let ttyCrashSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP]

/// Puts the terminal back; safe inside a signal handler.
private func ttyRestoreNow() {
    guard ttyRaw, ttyFD >= 0 else { return }
    var t = ttySaved
    _ = tcsetattr(ttyFD, TCSANOW, &t)
    ttyRaw = false
}

/// Raw ("character at a time, no echo") mode for a line editor, restored on every way out:
/// `restore()`, normal exit (atexit), and a crash (a handler on the fatal signals puts the
/// terminal back, then hands the signal to whoever handled it before, e.g. Swift's backtracer).
public enum TTY {
    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// False when `fd` is our controlling terminal and we are in a background process group
    /// (reading it would stop us with SIGTTIN). A terminal that is not our controlling one
    /// (no job control applies) counts as foreground.
    public static func isForeground(_ fd: Int32) -> Bool {
        let group = tcgetpgrp(fd)
        return group == -1 || group == getpgrp()
    }

    /// Width of the terminal in columns (80 when it cannot tell).
    public static func columns(_ fd: Int32) -> Int {
        var w = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &w) == 0, w.ws_col > 0 else { return 80 }
        return Int(w.ws_col)
    }

    /// No canonical mode, no echo, no signals from keys (Ctrl-C reaches the editor as a byte),
    /// no flow control (Ctrl-S would freeze whoever writes to the terminal), CR stays CR.
    /// Output processing stays on, so "\n" written by anyone still starts a fresh line.
    public static func enterRawMode(_ fd: Int32) throws(SystemError) {
        var t = termios()
        _ = try check("tcgetattr") { tcgetattr(fd, &t) }
        if !ttyRaw { ttySaved = t; ttyFD = fd }
        t.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
        t.c_iflag &= ~tcflag_t(IXON | ICRNL | INLCR | IGNCR | ISTRIP | BRKINT)
        withUnsafeMutableBytes(of: &t.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        _ = try retrying("tcsetattr") { tcsetattr(fd, TCSANOW, &t) }
        ttyRaw = true
        installRestoreHooks()
    }

    /// Back to the mode the terminal had before `enterRawMode`.
    public static func restore() { ttyRestoreNow() }

    public static var isRaw: Bool { ttyRaw }

    /// A new pseudo-terminal pair (tests put a program's stdin on `slave` and play the
    /// keyboard and screen on `master`). Both close-on-exec.
    public static func openPseudoTerminal() throws(SystemError) -> (master: Int32, slave: Int32) {
        var master: Int32 = -1, slave: Int32 = -1
        _ = try check("openpty") { openpty(&master, &slave, nil, nil, nil) }
        try? FD.setCloseOnExec(master)
        try? FD.setCloseOnExec(slave)
        return (master, slave)
    }

    /// Whether `fd`'s terminal is in canonical mode with echo (the "cooked" mode a shell
    /// leaves it in).
    public static func isCooked(_ fd: Int32) -> Bool {
        var t = termios()
        guard tcgetattr(fd, &t) == 0 else { return false }
        return t.c_lflag & tcflag_t(ICANON) != 0 && t.c_lflag & tcflag_t(ECHO) != 0
    }

    private static func installRestoreHooks() {
        guard !ttyHooksInstalled else { return }
        ttyHooksInstalled = true
        atexit { ttyRestoreNow() }
        for sig in ttyCrashSignals {
            var action = sigaction()
            action.__sigaction_handler.sa_sigaction = { sig, info, _ in
                ttyRestoreNow()
                // Whoever handled it before (the backtracer, or the default) gets it next: a
                // real fault faults again on return. A fault signal sent with kill(2) would
                // not come back, and the backtracer returns from it, so the process would
                // live on: that one gets the default action (death), as the sender meant.
                // An abort is raised again.
                _ = sigaction(sig, ttyPreviousActions + Int(sig), nil)
                if sig != SIGABRT && (info?.pointee.si_code ?? 0) <= 0 { _ = signal(sig, SIG_DFL) }
                if sig == SIGABRT || (info?.pointee.si_code ?? 0) <= 0 { _ = raise(sig) }
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_SIGINFO
            _ = sigaction(sig, &action, ttyPreviousActions + Int(sig))
        }
    }
}
