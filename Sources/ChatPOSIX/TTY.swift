#if canImport(Glibc)
import Glibc
#endif
import CLinux

/// A terminal: whether a descriptor is one, its size, and its modes. Raw mode (the
/// console's line editor) and saved modes (the full-screen client) are put back by
/// `TerminalRestorer` on every way out.
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
        guard let w = windowSize(fd), w.ws_col > 0 else { return 80 }
        return Int(w.ws_col)
    }

    private static func windowSize(_ fd: Int32) -> winsize? {
        var w = winsize()
        return ioctl(fd, UInt(TIOCGWINSZ), &w) == 0 ? w : nil
    }

    /// Turns off echo on `fd`, for a password typed at a prompt. Returns the modes to put
    /// back with `restore(_:_:)`; nil when `fd` is not a terminal (nothing changed).
    public static func disableEcho(_ fd: Int32) -> termios? {
        var t = termios()
        guard tcgetattr(fd, &t) == 0 else { return nil }
        var quiet = t
        quiet.c_lflag &= ~tcflag_t(ECHO)
        return tcsetattr(fd, TCSANOW, &quiet) == 0 ? t : nil
    }

    /// Puts back the modes `disableEcho` returned.
    public static func restore(_ fd: Int32, _ modes: termios) {
        var t = modes
        _ = tcsetattr(fd, TCSANOW, &t)
    }

    /// No canonical mode, no echo, no signals from keys (Ctrl-C reaches the editor as a byte),
    /// no flow control (Ctrl-S would freeze whoever writes to the terminal), CR stays CR.
    /// Output processing stays on, so "\n" written by anyone still starts a fresh line.
    /// `restore()`, normal exit and a crash put the modes from before back.
    public static func enterRawMode(_ fd: Int32) throws(SystemError) {
        var t = termios()
        _ = try check("tcgetattr") { tcgetattr(fd, &t) }
        if !TerminalRestorer.isArmed { TerminalRestorer.keep(t, for: fd) }
        t.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
        t.c_iflag &= ~tcflag_t(IXON | ICRNL | INLCR | IGNCR | ISTRIP | BRKINT)
        withUnsafeMutableBytes(of: &t.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        _ = try retrying("tcsetattr") { tcsetattr(fd, TCSANOW, &t) }
        TerminalRestorer.arm()
        TerminalRestorer.installHandlers(resetScreen: false)
    }

    /// Saves the modes of standard input (if it is a terminal) for `restore` and the crash
    /// handler, which also resets what a full-screen program turned on (the alternate
    /// screen, a hidden cursor, mouse reporting). Call before anything changes them (before
    /// `initscr`).
    public static func saveModesForFullScreen() {
        var t = termios()
        guard isTerminal(0), tcgetattr(0, &t) == 0 else {
            TerminalRestorer.installHandlers(resetScreen: true)
            return
        }
        TerminalRestorer.keep(t, for: 0)
        TerminalRestorer.arm()
        TerminalRestorer.installHandlers(resetScreen: true)
    }

    /// Puts back the modes saved by `enterRawMode` or `saveModesForFullScreen`.
    public static func restore() { TerminalRestorer.restoreNow() }
}
