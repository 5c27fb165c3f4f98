import ChatPOSIX

#if canImport(Glibc)
import Glibc
#endif

extension Proc {
    /// Forks a process that serves the listening Unix socket `fd` as user `uid` (when given:
    /// it switches, then listens again, so that a client's SO_PEERCRED names that user), and
    /// answers each connection with `reply`, sent `repeats` times (a bound, so that a client
    /// that never stops reading cannot keep it busy for ever), then hangs up. For the tests: a
    /// console server that is someone else's, or one that never stops talking. The caller
    /// closes its own `fd`, and kills and reaps the pid.
    /// Only C calls run in the child (the test process has threads).
    public static func forkListener(_ fd: Int32, asUser uid: UInt32?, reply: [UInt8], repeats: Int = 1) -> pid_t {
        let pid = Glibc.fork()
        guard pid == 0 else { return pid }
        if let uid {
            guard setgroups(0, nil) == 0, setgid(uid) == 0, setuid(uid) == 0 else { _exit(90) }
        }
        // Blocking, and listening anew: the socket's credentials are the caller of listen's.
        _ = Glibc.fcntl(fd, F_SETFL, 0)
        guard Glibc.listen(fd, 8) == 0 else { _exit(91) }
        _ = Glibc.signal(SIGPIPE, SIG_IGN)
        reply.withUnsafeBytes { raw in
            while true {
                let c = Glibc.accept(fd, nil, nil)
                if c < 0 { continue }
                var left = repeats
                while left > 0 {
                    var sent = 0
                    while sent < raw.count {
                        let n = Glibc.write(c, raw.baseAddress! + sent, raw.count - sent)
                        if n <= 0 { break }
                        sent += n
                    }
                    if sent < raw.count { break }
                    left -= 1
                }
                Glibc.close(c)
            }
        }
        _exit(0)
    }
}
