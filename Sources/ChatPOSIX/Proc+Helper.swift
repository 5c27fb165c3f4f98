#if canImport(Glibc)
import Glibc
#endif

extension Proc {
    /// Forks a helper process (the session spawner, the password worker) with a
    /// sequenced-packet channel to it. In the child: signal handlers and mask reset, killed
    /// with its parent, every descriptor closed but its end of the channel, moved to
    /// `channelFD`; then `child` runs, and never returns. Returns the child's pid and this
    /// process's end of the channel, non-blocking.
    public static func forkHelper(channelFD: Int32, _ child: () -> Never) throws(SystemError) -> (pid: pid_t, channel: Int32) {
        let (parentEnd, childEnd) = try Socket.packetPair()
        let forked = Result { () throws(SystemError) in try fork() }
        switch forked {
        case .failure(let error):
            FD.close(parentEnd)
            FD.close(childEnd)
            throw error
        case .success(.child):
            SignalQueue.resetInChild()
            dieWithParent(SIGKILL)
            guard (try? FD.keepOnly([childEnd], movingTo: channelFD)) != nil else { exitImmediately(2) }
            child()
        case .success(.parent(let pid)):
            FD.close(childEnd)
            try FD.setNonBlocking(parentEnd)
            return (pid, parentEnd)
        }
    }
}
