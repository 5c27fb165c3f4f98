/// Whom the server runs as once it has bound its addresses: from `--user` and whether it was
/// started as root. Started as root, it never stays root unless the operator says so.
enum ServerUser: Equatable {
    /// Not started as root: it stays who it is.
    case unchanged
    /// `--user root`: the hub keeps root (sessions still give up every capability).
    case keepRoot
    /// Switches to this user, named with `--user` or chosen by default.
    case drop(to: String, byDefault: Bool)

    /// Tried in order when the server is started as root without `--user`: a dedicated user
    /// if the system has one, else the conventional unprivileged one.
    static let defaults = ["chat-server", "nobody"]

    /// `option` is `--user`; `uid` looks a user name up (nil: no such user).
    static func choose(option: String?, isRoot: Bool, uid: (String) -> UInt32?) throws(StartupError) -> ServerUser {
        guard isRoot else {
            if let option { throw StartupError("--user \(option) needs the server to be started as root") }
            return .unchanged
        }
        if let option {
            guard let id = uid(option) else { throw StartupError("no user named \(option)") }
            return id == 0 ? .keepRoot : .drop(to: option, byDefault: false)
        }
        for name in defaults {
            if let id = uid(name), id != 0 { return .drop(to: name, byDefault: true) }
        }
        throw StartupError("started as root, and there is no user \(defaults.joined(separator: " or ")) to run as: pass --user NAME (--user root keeps root)")
    }

    /// Whom the control socket is given to: the user named with `--user` owns the console. A
    /// user chosen by default does not: the socket stays root's, where root's
    /// `chat-server console` looks for it, and answers with root's credentials (it was made
    /// before the switch).
    var consoleOwner: String? {
        if case .drop(let name, false) = self { return name }
        return nil
    }
}
