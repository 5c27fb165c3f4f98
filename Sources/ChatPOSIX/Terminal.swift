#if canImport(Glibc)
import Glibc
#endif
import CLinux

// System calls the full-screen client needs beyond the rest of this layer: the terminal's
// modes and size, a crash handler that gives the terminal back, a connect that does not
// block the event loop, and the few file calls for log files.

/// The controlling terminal's modes, saved at start and put back on any exit.
public enum TerminalModes {
    /// Saves the modes of standard input (if it is a terminal) for `restore` and the crash
    /// handler. Call before anything changes them (before `initscr`).
    public static func save() {
        guard isatty(0) == 1 else { return }
        var t = termios()
        if tcgetattr(0, &t) == 0 {
            crashState.termios.pointee = t
            crashState.saved.pointee = 1
        }
    }

    /// Puts the saved modes back.
    public static func restore() {
        guard crashState.saved.pointee == 1 else { return }
        _ = tcsetattr(0, TCSANOW, crashState.termios)
    }

    /// Columns and rows of the terminal on `fd`, nil when it is not a terminal.
    public static func size(_ fd: Int32 = 1) -> (cols: Int, rows: Int)? {
        var ws = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0, ws.ws_row > 0 else { return nil }
        return (Int(ws.ws_col), Int(ws.ws_row))
    }

    /// On SIGSEGV, SIGILL, SIGBUS, SIGFPE, SIGTRAP and SIGABRT: reset the screen (leave the
    /// alternate screen, show the cursor, stop mouse and bracketed-paste reporting, normal
    /// cursor keys and keypad again: ncurses' `keypad` turned on application mode), put the
    /// saved terminal modes back, then hand the signal to the previous handler (Swift's
    /// backtracer): re-installed, it gets a real fault when the faulting instruction runs
    /// again after we return, and a signal sent with kill()/raise()/abort() raised anew.
    ///
    /// The handler only calls async-signal-safe functions (`write`, `tcsetattr`,
    /// `sigaction`, `sigprocmask`, `raise`).
    public static func installCrashHandler() {
        for (i, sig) in crashSignals.enumerated() {
            var sa = sigaction()
            sa.__sigaction_handler.sa_sigaction = { sig, info, _ in
                let e = errno
                let reset: StaticString = "\u{1b}[?1000l\u{1b}[?1002l\u{1b}[?1006l\u{1b}[?2004l\u{1b}[0m\u{1b}[?1049l\u{1b}[?25h\u{1b}[?1l\u{1b}>\r\n"
                _ = Glibc.write(1, reset.utf8Start, reset.utf8CodeUnitCount)
                if crashState.saved.pointee == 1 { _ = tcsetattr(0, TCSANOW, crashState.termios) }
                for (k, s) in crashSignals.enumerated() where s == sig {
                    _ = sigaction(sig, crashState.previous + k, nil)
                }
                // si_code <= 0: sent by a process (kill, tgkill from raise/abort), not a fault
                // that would happen again on return.
                if let info, info.pointee.si_code <= 0 {
                    // Run the previous handler now (unblocked, so raise delivers at once); it
                    // returns for a signal that is not a fault, so end with the default action.
                    var set = sigset_t()
                    sigemptyset(&set)
                    sigaddset(&set, sig)
                    _ = sigprocmask(SIG_UNBLOCK, &set, nil)
                    _ = raise(sig)
                    var dfl = sigaction()
                    dfl.__sigaction_handler.sa_handler = SIG_DFL
                    _ = sigaction(sig, &dfl, nil)
                    _ = raise(sig)
                }
                errno = e
            }
            sigemptyset(&sa.sa_mask)
            sa.sa_flags = SA_SIGINFO
            _ = sigaction(sig, &sa, crashState.previous + i)
        }
    }
}

private let crashSignals: [Int32] = [SIGSEGV, SIGILL, SIGBUS, SIGFPE, SIGTRAP, SIGABRT]

/// State the crash handler reads: fixed allocations made once, never freed, so the handler
/// touches no Swift runtime machinery.
private struct CrashState: @unchecked Sendable {
    let termios: UnsafeMutablePointer<termios>
    let saved: UnsafeMutablePointer<Int32>
    let previous: UnsafeMutablePointer<sigaction>
}

private let crashState: CrashState = {
    let t = UnsafeMutablePointer<termios>.allocate(capacity: 1)
    t.initialize(to: termios())
    let s = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    s.initialize(to: 0)
    let p = UnsafeMutablePointer<sigaction>.allocate(capacity: 8)
    p.initialize(repeating: sigaction(), count: 8)
    return CrashState(termios: t, saved: s, previous: p)
}()

// MARK: - Files for logs

extension FD {
    /// Opens `path` for appending, creating it (mode 0600) if needed.
    public static func openForAppend(_ path: String) throws(SystemError) -> Int32 {
        try retrying("open(\(path))") { Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600) }
    }

    /// Creates a directory and its missing parents (mode 0700 for new ones).
    public static func makeDirectories(_ path: String) throws(SystemError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST { throw SystemError("mkdir(\(prefix))") }
            prefix += "/"
        }
    }
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
