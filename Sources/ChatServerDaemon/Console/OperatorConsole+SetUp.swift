import ChatPOSIX

extension OperatorConsole {
    /// The console for `chat-server`: control socket per `option`, terminal console when
    /// `terminal` is allowed and stdin is a terminal we are in the foreground of. With
    /// `runAs` (--user, while still root) the socket and its directory are given to that user,
    /// who owns the console from then on.
    static func setUp(option: String?, terminal allowed: Bool, runAs: String?) throws -> (OperatorConsole, warnings: [String]) {
        var warnings: [String] = []
        var owner: (uid: UInt32, gid: UInt32)?
        if let runAs {
            guard let o = Files.lookupUser(runAs) else { throw StartupError("no user named \(runAs)") }
            owner = o
        }
        let uid = owner?.uid ?? Files.userID
        let path = try ControlSocketPath.prepare(option, owner: owner)
        var terminal = false
        if allowed && TTY.isTerminal(0) && (TTY.isTerminal(1) || TTY.isTerminal(2)) {
            if TTY.isForeground(0) {
                terminal = true
            } else {
                warnings.append("running in the background: no console on this terminal (use chat-server console)")
            }
        }
        let console = OperatorConsole(socketPath: path, terminal: terminal, ownerUID: uid)
        try console.openSocket()
        if let path, let owner, console.hasSocket {
            do { try Files.changeOwner(path, to: owner) } catch {
                throw StartupError("cannot give the control socket \(path) to \(runAs ?? "?"): \(error)")
            }
        }
        return (console, warnings)
    }
}
