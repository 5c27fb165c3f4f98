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

    /// Connects (blocking) to the socket at `path`.
    public static func connect(path: String) throws(SystemError) -> Int32 {
        guard let address = SocketAddress.unix(path: path) else { throw SystemError("socket path \(path)", errno: ENAMETOOLONG) }
        return try Socket.connect([address])
    }
}

/// The few file-system checks the control socket needs.
public enum Files {
    public struct Status: Sendable, Equatable {
        public var mode: UInt32  // permission bits only
        public var owner: UInt32
        public var isDirectory: Bool
        public var isSocket: Bool
        public var isSymlink: Bool
    }

    /// lstat: the link itself, never what it points to.
    public static func status(_ path: String) -> Status? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        let type = st.st_mode & S_IFMT
        return Status(mode: UInt32(st.st_mode & 0o7777), owner: st.st_uid, isDirectory: type == S_IFDIR,
                      isSocket: type == S_IFSOCK, isSymlink: type == S_IFLNK)
    }

    /// Makes sure `path` is a directory owned by `owner` (default: this user) with mode 0700,
    /// creating it if needed (and, as root, giving a new one to `owner`). Refuses one owned by
    /// someone else or a symlink (someone could have prepared it in /tmp to catch our socket).
    public static func privateDirectory(_ path: String, owner: (uid: UInt32, gid: UInt32)? = nil) throws(SystemError) {
        let uid = owner?.uid ?? getuid()
        if mkdir(path, 0o700) == 0 {
            if let owner, owner.uid != getuid() { try changeOwner(path, to: owner) }
        } else if errno != EEXIST {
            throw SystemError("mkdir(\(path))")
        }
        guard let st = status(path), st.isDirectory, !st.isSymlink else { throw SystemError("\(path) is not a directory", errno: ENOTDIR) }
        guard st.owner == uid else { throw SystemError("\(path) belongs to another user", errno: EPERM) }
        if st.mode != 0o700 { _ = try check("chmod(\(path))") { chmod(path, 0o700) } }
    }

    /// The uid and gid of a user name, or nil.
    public static func lookupUser(_ name: String) -> (uid: UInt32, gid: UInt32)? {
        guard let pw = getpwnam(name) else { return nil }
        return (pw.pointee.pw_uid, pw.pointee.pw_gid)
    }

    /// lchown: the file itself, never what a link points to.
    public static func changeOwner(_ path: String, to owner: (uid: UInt32, gid: UInt32)) throws(SystemError) {
        _ = try check("chown(\(path))") { lchown(path, owner.uid, owner.gid) }
    }

    public static var userID: UInt32 { getuid() }

    /// The current directory, for making a relative path absolute before daemonizing.
    public static func currentDirectory() -> String? {
        var buf = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buf, buf.count) != nil else { return nil }
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
