import ChatPOSIX

#if canImport(Glibc)
import Glibc
#endif

// A socket call only the tests make: a client that vanishes abruptly.
extension Socket {
    /// Closes a TCP connection with a reset (RST) instead of the orderly FIN: SO_LINGER with
    /// a zero timeout, then close.
    public static func closeWithReset(_ fd: Int32) {
        var l = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
        FD.close(fd)
    }
}
