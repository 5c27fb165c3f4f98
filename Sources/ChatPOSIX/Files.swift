#if canImport(Glibc)
import Glibc
#endif
import CLinux

/// The few file-system checks the control socket needs.
public enum Files {
    public struct Status: Sendable, Equatable {
        public var mode: UInt32  // permission bits only
        public var owner: UInt32
        public var isDirectory: Bool
        public var isSocket: Bool
        public var isSymlink: Bool
        /// Others may write here (group or world write permission) and, without the sticky
        /// bit (as /tmp has), remove or replace what is here.
        public var isSharedForWriting: Bool { mode & 0o022 != 0 && mode & 0o1000 == 0 }
    }

    /// lstat: the link itself, never what it points to (stat with `followingLinks`).
    public static func status(_ path: String, followingLinks: Bool = false) -> Status? {
        var st = stat()
        guard (followingLinks ? stat(path, &st) : lstat(path, &st)) == 0 else { return nil }
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
        guard st.owner == uid else { throw SystemError("\(path) belongs to another user (uid \(st.owner))", errno: EPERM) }
        if st.mode != 0o700 { _ = try check("chmod(\(path))") { chmod(path, 0o700) } }
    }

    /// Creates the directory `path` with `mode` (less the umask); false when it exists already.
    @discardableResult
    public static func makeDirectory(_ path: String, mode: UInt32) throws(SystemError) -> Bool {
        if mkdir(path, mode_t(mode)) == 0 { return true }
        if errno == EEXIST { return false }
        throw SystemError("mkdir(\(path))")
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
