#if canImport(Glibc)
import Glibc
#endif
import CLinux

extension Proc {
    /// Starts detaching from the terminal, the classic way (fork, setsid, fork again), so that
    /// everything the daemon sets up (its event loop, its signal descriptor) belongs to the
    /// daemon itself. The process that was started stays in the foreground until the daemon
    /// says how its start-up went (`daemonReady`): it exits 0 on success, 1 on failure
    /// (printing the daemon's reason, or saying it died). Returns in the daemon only, with the
    /// descriptor to report on; the daemon keeps the terminal's stdio until
    /// `detachStandardDescriptors`, so errors before that reach the user directly. Every other
    /// descriptor it inherited is closed.
    public static func beginDaemon() throws(SystemError) -> Int32 {
        let (r, w) = try FD.pipe(nonBlocking: false)
        if case .parent = try fork() {
            FD.close(w)
            var said: [UInt8] = []
            while said.count < 4096, let chunk = FD.readSome(r, max: 512), !chunk.isEmpty { said += chunk }
            let text = String(decoding: said, as: UTF8.self)
            if text == "ok\n" { exitImmediately(0) }
            FD.writeAllIgnoringErrors(2, text.isEmpty ? "the daemon stopped during start-up\n" : text)
            exitImmediately(1)
        }
        FD.close(r)
        _ = setsid()
        if case .parent = try fork() { exitImmediately(0) }
        return try FD.keepOnly([w], movingTo: 3)[0]
    }

    /// The daemon's stdio leaves the terminal: stdin and stdout to /dev/null, stderr to
    /// `logFD` (crash reports then reach the log) or /dev/null; the working directory is `/`.
    public static func detachStandardDescriptors(logFD: Int32?) throws(SystemError) {
        _ = chdir("/")
        let null = try FD.open("/dev/null", O_RDWR)
        try FD.dup2(null, 0)
        try FD.dup2(null, 1)
        try FD.dup2(logFD ?? null, 2)
        if null > 2 { FD.close(null) }
    }

    /// Tells the process waiting in the foreground how the daemon's start-up went: nil for
    /// success, else the line it prints (to its stderr) before exiting 1.
    public static func daemonReady(_ fd: Int32, failure: String?) {
        FD.writeAllIgnoringErrors(fd, failure.map { $0 + "\n" } ?? "ok\n")
        FD.close(fd)
    }
}
