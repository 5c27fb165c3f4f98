#if canImport(Glibc)
import Glibc
#endif
import CLinux

/// Puts a terminal's saved modes back on every way out: when asked (`TTY.restore`), at
/// normal exit (atexit), and on a crash: on SIGSEGV, SIGILL, SIGBUS, SIGFPE, SIGTRAP and
/// SIGABRT a handler resets the screen (for a full-screen program: leave the alternate
/// screen, show the cursor, stop mouse and bracketed-paste reporting, normal cursor keys and
/// keypad again), puts the saved modes back, then hands the signal to the previous handler
/// (Swift's backtracer): re-installed, it gets a real fault when the faulting instruction
/// runs again after we return, and a signal sent with kill()/raise()/abort() raised anew.
///
/// The handler only calls async-signal-safe functions (`write`, `tcsetattr`, `sigaction`,
/// `sigprocmask`, `raise`) and reads state in fixed allocations made before it is installed.
enum TerminalRestorer {
    /// Whether saved modes are to be put back.
    static var isArmed: Bool { state.armed.pointee == 1 }

    /// Keeps `modes` as the ones to put back on `fd`.
    static func keep(_ modes: termios, for fd: Int32) {
        state.termios.pointee = modes
        state.fd.pointee = fd
    }

    static func arm() { state.armed.pointee = 1 }

    /// Puts the saved modes back once; safe inside a signal handler.
    static func restoreNow() {
        guard state.armed.pointee == 1, state.fd.pointee >= 0 else { return }
        _ = tcsetattr(state.fd.pointee, TCSANOW, state.termios)
        state.armed.pointee = 0
    }

    /// Installs the atexit hook and the crash handler, once; `resetScreen` also has the crash
    /// handler reset the screen.
    static func installHandlers(resetScreen: Bool) {
        if resetScreen { state.resetScreen.pointee = 1 }
        guard state.installed.pointee == 0 else { return }
        state.installed.pointee = 1
        atexit { TerminalRestorer.restoreNow() }
        for (i, sig) in crashSignals.enumerated() {
            var sa = sigaction()
            sa.__sigaction_handler.sa_sigaction = { sig, info, _ in
                let e = errno
                if TerminalRestorer.state.resetScreen.pointee == 1 {
                    let reset: StaticString = "\u{1b}[?1000l\u{1b}[?1002l\u{1b}[?1006l\u{1b}[?2004l\u{1b}[0m\u{1b}[?1049l\u{1b}[?25h\u{1b}[?1l\u{1b}>\r\n"
                    _ = Glibc.write(1, reset.utf8Start, reset.utf8CodeUnitCount)
                }
                TerminalRestorer.restoreNow()
                for (k, s) in crashSignals.enumerated() where s == sig {
                    _ = sigaction(sig, TerminalRestorer.state.previous + k, nil)
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
            _ = sigaction(sig, &sa, state.previous + i)
        }
    }

    /// State the handler reads: fixed allocations made once (before any handler is
    /// installed), never freed, so the handler touches no Swift runtime machinery.
    private struct State: @unchecked Sendable {
        let termios: UnsafeMutablePointer<termios>
        let fd: UnsafeMutablePointer<Int32>
        let armed: UnsafeMutablePointer<Int32>
        let resetScreen: UnsafeMutablePointer<Int32>
        let installed: UnsafeMutablePointer<Int32>
        let previous: UnsafeMutablePointer<sigaction>
    }

    private static let state: State = {
        func flag(_ v: Int32) -> UnsafeMutablePointer<Int32> {
            let p = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
            p.initialize(to: v)
            return p
        }
        let t = UnsafeMutablePointer<termios>.allocate(capacity: 1)
        t.initialize(to: termios())
        let p = UnsafeMutablePointer<sigaction>.allocate(capacity: crashSignals.count)
        p.initialize(repeating: sigaction(), count: crashSignals.count)
        return State(termios: t, fd: flag(-1), armed: flag(0), resetScreen: flag(0), installed: flag(0), previous: p)
    }()
}

private let crashSignals: [Int32] = [SIGSEGV, SIGILL, SIGBUS, SIGFPE, SIGTRAP, SIGABRT]
