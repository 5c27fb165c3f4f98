#if canImport(Glibc)
import Glibc
#endif

extension SignalQueue {
    /// Reaps exited children, waking on SIGCHLD (this queue must take it), while `pending()`
    /// is true and for at most `nanoseconds`: the bounded wait for children just killed.
    /// Other signals that arrive meanwhile are dropped.
    public func reapChildren(for nanoseconds: UInt64, while pending: () -> Bool,
                             _ body: (pid_t, Proc.ExitStatus) -> Void) {
        let until = Proc.monotonicNanos() + nanoseconds
        while pending() && Proc.monotonicNanos() < until {
            Proc.reapChildren(body)
            // 20 ms at most between looks, in case a SIGCHLD came before the reap above.
            var p = [pollfd(fd: fd, events: Poll.readable, revents: 0)]
            _ = try? Poll.wait(&p, timeoutMS: 20)
            _ = drain()
        }
    }
}
