import ChatPOSIX

/// Where the control socket lives: --control-socket PATH, else $XDG_RUNTIME_DIR/chat-server.sock
/// (when that directory is ours), else /tmp/chat-server-UID/chat-server.sock (a directory only
/// this user can enter). The server resolves it after --user has switched users.
enum ControlSocketPath {
    static let fileName = "chat-server.sock"
    /// Where the fallback directory is made. The functions below take it as a parameter only
    /// so that the tests can check its refusals in a directory of their own, not in /tmp.
    static let temporaryBase = "/tmp"

    /// The socket path to use for user `uid`; nil for `--control-socket none`.
    /// `runtimeDirectory` is $XDG_RUNTIME_DIR.
    static func resolve(_ option: String?, uid: UInt32 = Files.userID,
                        runtimeDirectory: String? = Proc.environment("XDG_RUNTIME_DIR"),
                        base: String = temporaryBase) -> String? {
        if let option {
            if option == "none" || option.isEmpty { return nil }
            return absolute(option)
        }
        // Only a runtime directory that is ours (after `sudo` or --user it may be someone else's).
        if let xdg = runtimeDirectory, xdg.hasPrefix("/"),
           let st = Files.status(xdg), st.isDirectory, st.owner == uid {
            return (xdg.hasSuffix("/") ? xdg : xdg + "/") + fileName
        }
        return fallbackDirectory(uid: uid, base: base) + "/" + fileName
    }

    static func fallbackDirectory(uid: UInt32 = Files.userID, base: String = temporaryBase) -> String {
        (base.hasSuffix("/") ? base : base + "/") + "chat-server-\(uid)"
    }

    /// For the server: the path `resolve` gives, with the fallback directory made private to
    /// the socket's owner (`owner`, else this user) when that is where the socket goes. A
    /// fallback directory that is a symlink or someone else's is a start-up error.
    static func prepare(_ option: String?, owner: (uid: UInt32, gid: UInt32)?,
                        runtimeDirectory: String? = Proc.environment("XDG_RUNTIME_DIR"),
                        base: String = temporaryBase) throws(StartupError) -> String? {
        let uid = owner?.uid ?? Files.userID
        let path = resolve(option, uid: uid, runtimeDirectory: runtimeDirectory, base: base)
        let fallback = fallbackDirectory(uid: uid, base: base)
        if let path, option == nil, path.hasPrefix(fallback + "/") {
            do { try Files.privateDirectory(fallback, owner: owner) } catch {
                throw StartupError("cannot use \(fallback) for the control socket: \(error); \(squatAdvice(fallback))")
            }
        }
        return path
    }

    /// What to do about a fallback directory that is not ours (server and client say the same).
    static func squatAdvice(_ directory: String) -> String {
        "someone may have made it to catch the console: remove it as root (rm -r \(directory)), or choose another place (pass --control-socket PATH)"
    }

    /// A relative path made absolute (a daemon changes directory to /).
    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        guard let cwd = Files.currentDirectory() else { return path }
        return cwd + "/" + path
    }
}
