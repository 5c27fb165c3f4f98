import ChatPOSIX
import CLinux

#if canImport(Glibc)
import Glibc
#endif

// Terminal calls only the tests make: a pseudo-terminal to run a program on, and a look at
// the modes it leaves behind.
extension TTY {
    /// A new pseudo-terminal pair (tests put a program's stdin on `slave` and play the
    /// keyboard and screen on `master`). Both close-on-exec.
    public static func openPseudoTerminal() throws(SystemError) -> (master: Int32, slave: Int32) {
        var master: Int32 = -1, slave: Int32 = -1
        _ = try check("openpty") { openpty(&master, &slave, nil, nil, nil) }
        _ = fcntl(master, F_SETFD, FD_CLOEXEC)
        _ = fcntl(slave, F_SETFD, FD_CLOEXEC)
        return (master, slave)
    }

    /// Whether `fd`'s terminal is in canonical mode with echo (the "cooked" mode a shell
    /// leaves it in).
    public static func isCooked(_ fd: Int32) -> Bool {
        var t = termios()
        guard tcgetattr(fd, &t) == 0 else { return false }
        return t.c_lflag & tcflag_t(ICANON) != 0 && t.c_lflag & tcflag_t(ECHO) != 0
    }
}
