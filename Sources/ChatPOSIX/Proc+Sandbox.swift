#if canImport(Glibc)
import Glibc
#endif
import CLinux

extension Proc {
    /// Confines this process to what a session's event loop needs: no new privileges, no
    /// core dumps, and a seccomp filter that kills it on any other system call (opening a
    /// file, making a socket, fork, exec…).
    public static func enterSessionSandbox() throws(SystemError) {
        disableCoreDumps()
        _ = try check("seccomp") { clinux_install_session_sandbox() }
    }
}

extension Proc {
    public static var isRoot: Bool { geteuid() == 0 }

    /// Switches to `user`'s uid, gid and only that group, for good (the saved ids too).
    public static func dropPrivileges(to user: String) throws(SystemError) {
        guard let pw = getpwnam(user) else { throw SystemError("getpwnam(\(user))", errno: ENOENT) }
        let uid = pw.pointee.pw_uid
        var gid = pw.pointee.pw_gid
        _ = try check("setgroups") { setgroups(1, &gid) }
        _ = try check("setresgid") { setresgid(gid, gid, gid) }
        _ = try check("setresuid") { setresuid(uid, uid, uid) }
        // Make sure there is no way back.
        if setuid(0) == 0 && uid != 0 { throw SystemError("setuid (privileges could be regained)", errno: EPERM) }
    }
}
