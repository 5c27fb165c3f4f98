#if canImport(Glibc)
import Glibc
#endif
import CLinux

/// Unix stream sockets for the operator's control socket: a listener only its owner can
/// reach, and the client side.
public enum UnixSocket {
    /// Listens on `path` (non-blocking, close-on-exec). The socket file is created with mode
    /// 0600 (a umask around bind, so there is no window with a wider mode). A stale socket
    /// file that nobody answers on is replaced; a live one is an error (EADDRINUSE), as is a
    /// path that exists and is not a socket (EEXIST).
    public static func listen(path: String, backlog: Int32 = 8) throws(SystemError) -> Int32 {
        guard let address = SocketAddress.unix(path: path) else { throw SystemError("socket path \(path)", errno: ENAMETOOLONG) }
        var st = stat()
        if lstat(path, &st) == 0 {
            guard st.st_mode & S_IFMT == S_IFSOCK else {
                throw SystemError("bind(\(path))", errno: EEXIST, detail: "something that is not a socket is there (left as it is)")
            }
            if let fd = try? connect(path: path) {
                FD.close(fd)
                throw SystemError("bind(\(path))", errno: EADDRINUSE)
            }
            FD.unlink(path)
        }
        let old = umask(0o177)
        defer { umask(old) }
        let fd = try Socket.listen(address, backlog: backlog)
        _ = chmod(path, 0o600)
        return fd
    }

    /// Who listens at `path`, when someone answers there (SO_PEERCRED of a connection to it
    /// gives the listener's uid and pid).
    public static func listener(at path: String) -> (uid: UInt32, pid: Int32)? {
        guard let fd = try? connect(path: path) else { return nil }
        defer { FD.close(fd) }
        return try? Socket.peerCredentials(fd)
    }

    /// Connects (blocking) to the socket at `path`.
    public static func connect(path: String) throws(SystemError) -> Int32 {
        guard let address = SocketAddress.unix(path: path) else { throw SystemError("socket path \(path)", errno: ENAMETOOLONG) }
        return try Socket.connect([address])
    }
}
