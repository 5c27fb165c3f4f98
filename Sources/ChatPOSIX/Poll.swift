#if canImport(Glibc)
import Glibc
#endif
import CLinux

/// `poll()` over a handful of descriptors, for loops that wait on a few at a time (the client,
/// the console client, the bench's parent, short waits in the hub and a session).
public enum Poll {
    /// Waits up to `timeoutMS` (-1: forever). Returns the number of ready descriptors, 0 on
    /// timeout and on EINTR (the caller's loop looks at its signals then).
    public static func wait(_ fds: inout [pollfd], timeoutMS: Int32) throws(SystemError) -> Int {
        let n = fds.withUnsafeMutableBufferPointer { Glibc.poll($0.baseAddress, nfds_t($0.count), timeoutMS) }
        if n >= 0 { return Int(n) }
        if errno == EINTR { return 0 }
        throw SystemError("poll")
    }

    public static let readable = Int16(POLLIN)
    public static let writable = Int16(POLLOUT)
    public static let hangup = Int16(POLLHUP)
    public static let error = Int16(POLLERR)
}
