#if canImport(Glibc)
import Glibc
#endif
import CLinux

extension UnixSocket {
    /// A Unix datagram socket bound to `path` (non-blocking, close-on-exec), whose file gets
    /// `mode`: what a service manager listens on for notifications (`NOTIFY_SOCKET`), and the
    /// tests' stand-in for one. Each `FD.read` of it is one datagram.
    public static func datagramReceiver(path: String, mode: mode_t = 0o600) throws(SystemError) -> Int32 {
        guard let address = SocketAddress.unix(path: path) else { throw SystemError("socket path \(path)", errno: ENAMETOOLONG) }
        let type = Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let fd = try check("socket") { socket(AF_UNIX, type, 0) }
        do {
            _ = try check("bind(\(path))") { address.withSockaddr { bind(fd, $0, $1) } }
            _ = try check("chmod(\(path))") { chmod(path, mode) }
        } catch {
            FD.close(fd)
            throw error
        }
        return fd
    }
}
