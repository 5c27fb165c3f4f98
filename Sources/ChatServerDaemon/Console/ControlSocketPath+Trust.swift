import ChatPOSIX

/// What `chat-server console` checks before it sends a command: that the socket is where only
/// its user (or root) could have put it, and that the process answering runs as its user or
/// root. Otherwise another local user who got there first could read the operator's commands
/// and answer them.
extension ControlSocketPath {
    /// Why user `uid` must not use the socket at `path`, judged by its directory, or nil.
    /// `chosen`: the path came from --control-socket (the operator picked the place; as root,
    /// a directory of any owner will do, since the answering process must still be root).
    static func directoryProblem(_ path: String, chosen: Bool, uid: UInt32 = Files.userID,
                                 base: String = temporaryBase) -> String? {
        let dir = parent(of: path)
        let isFallback = !chosen && dir == fallbackDirectory(uid: uid, base: base)
        // The fallback must be the very directory the server makes; elsewhere a symlink in the
        // path is the operator's (a `/var/run` that points to `/run`).
        guard let st = Files.status(dir, followingLinks: !isFallback) else { return nil }  // connect will say
        let advice = isFallback ? "; " + squatAdvice(dir) : ""
        if !st.isDirectory { return "\(dir) is not a directory\(advice)" }
        let ownerTrusted = st.owner == uid || (st.owner == 0 && !isFallback) || (uid == 0 && chosen)
        if !ownerTrusted {
            return "\(dir) belongs to another user (uid \(st.owner)), not to you (uid \(uid))"
                + (isFallback ? advice : "; your chat-server's socket is not there (pass the --control-socket it was started with)")
        }
        if st.isSharedForWriting {
            return "\(dir) can be written by other users (mode \(String(st.mode, radix: 8))), so any of them could have put the socket there; "
                + "make it private (chmod 700 \(dir)) or pass --control-socket PATH"
        }
        return nil
    }

    /// Why user `uid` must not talk to the process that answered on `path`, or nil: it must
    /// run as `uid` or as root (a server started with --user listens before it switches, as root).
    static func peerProblem(_ peer: (uid: UInt32, pid: Int32), path: String, uid: UInt32 = Files.userID) -> String? {
        if peer.uid == uid || peer.uid == 0 { return nil }
        return "the process answering on \(path) (pid \(peer.pid)) runs as uid \(peer.uid), not as you (uid \(uid)) or root: "
            + "it is not your chat-server, and nothing was sent to it"
    }

    /// The directory holding `path` ("/" for a file at the root).
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
