#if canImport(Glibc)
import Glibc
#endif
import CLinux

extension Proc {
    /// Confines this process to what a session's event loop needs: no capabilities, no new
    /// privileges, no core dumps, and a seccomp filter (`CLinux/sandbox.h`) that lets it read
    /// only `readable`, write only `writable`, map no executable memory, and kills it on any
    /// other system call (opening a file, making a socket, fork, exec…). Throws when any step
    /// fails: the caller must then not go on.
    public static func enterSessionSandbox(readable: [Int32], writable: [Int32]) throws(SystemError) {
        disableCoreDumps()
        _ = try check("capset") { clinux_drop_capabilities() }
        _ = try check("seccomp") {
            readable.withUnsafeBufferPointer { r in
                writable.withUnsafeBufferPointer { w in
                    clinux_install_session_sandbox(r.baseAddress, Int32(r.count), w.baseAddress, Int32(w.count))
                }
            }
        }
    }

    /// For the tests only: every later seccomp filter fails to install (EINVAL), as on a kernel
    /// without filter support, so that a session's own installation really fails.
    public static func refuseLaterSeccompFilters() throws(SystemError) {
        _ = try check("seccomp") { clinux_refuse_later_seccomp_filters() }
    }
}

extension Proc {
    public static var isRoot: Bool { geteuid() == 0 }

    /// Switches to `user`'s uid, gid and only that group, for good (the saved ids too), with
    /// an empty capability bounding set. Returns the uid and gid.
    @discardableResult
    public static func dropPrivileges(to user: String) throws(SystemError) -> (uid: UInt32, gid: UInt32) {
        guard let pw = getpwnam(user) else { throw SystemError("getpwnam(\(user))", errno: ENOENT) }
        let uid = pw.pointee.pw_uid
        var gid = pw.pointee.pw_gid
        _ = try check("setgroups") { setgroups(1, &gid) }
        _ = try check("setresgid") { setresgid(gid, gid, gid) }
        // While root may still (it takes CAP_SETPCAP): no capability comes back through an exec.
        _ = try check("prctl(PR_CAPBSET_DROP)") { clinux_drop_bounding_set() }
        // Leaving uid 0 clears the other sets; cleared again in case of file capabilities.
        _ = try check("setresuid") { setresuid(uid, uid, uid) }
        _ = try check("capset") { clinux_drop_capabilities() }
        // Make sure there is no way back.
        if setuid(0) == 0 && uid != 0 { throw SystemError("setuid (privileges could be regained)", errno: EPERM) }
        return (uid, gid)
    }
}

extension Proc {
    /// Maps one anonymous page readable and executable, then unmaps it: what a session's
    /// sandbox must refuse (its tests use it).
    public static func mapExecutablePage() throws(SystemError) {
        guard let page = mmap(nil, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), page != MAP_FAILED else {
            throw SystemError("mmap(PROT_EXEC)")
        }
        munmap(page, 4096)
    }
}
