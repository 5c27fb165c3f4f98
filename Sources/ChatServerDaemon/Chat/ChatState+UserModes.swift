import ChatProtocol

/// User modes, held by the hub: +i invisible (left out of WHO by mask for people who share
/// no channel with the user), +w receives WALLOPS, +o server operator (set only by OPER; the
/// user may drop it with `MODE nick -o`).
extension ChatState {
    /// The user's modes as IRC shows them: `+iwo`, `+` when none.
    func userModes(_ u: User) -> String {
        "+" + (u.invisible ? "i" : "") + (u.wallops ? "w" : "") + (u.isOperator ? "o" : "")
    }

    /// MODE for the user's own nick: without a change the modes (221); otherwise each change
    /// made (changes that change nothing are left out) comes back as one MODE, and each
    /// unknown letter gets 501 once.
    func userMode(_ id: Int, args: [String]) {
        guard let change = args.first else {
            return send(.userModes(nick: users[id]!.nick, modes: userModes(users[id]!), isChange: false), to: id)
        }
        var adding = true
        var applied = ""
        var sign: Character?
        var unknown = Set<Character>()
        for c in change {
            var u = users[id]!
            switch c {
            case "+": adding = true; continue
            case "-": adding = false; continue
            case "i":
                guard u.invisible != adding else { continue }
                u.invisible = adding
            case "w":
                guard u.wallops != adding else { continue }
                u.wallops = adding
            case "o":
                // Only OPER makes an operator; +o from the user is ignored, as servers do.
                guard !adding, u.isOperator else { continue }
                u.operName = nil
                sink.audit(.deoper(session: id, nick: u.nick))
            default:
                if unknown.insert(c).inserted { error(id, .unknownUserModeFlag, [], "Unknown MODE flag") }
                continue
            }
            users[id] = u
            let s: Character = adding ? "+" : "-"
            if s != sign { applied.append(s); sign = s }
            applied.append(c)
        }
        if !applied.isEmpty { send(.userModes(nick: users[id]!.nick, modes: applied, isChange: true), to: id) }
    }

    /// Whether `u` is left out of a WHO by `id`: +i, not `id` itself, sharing no channel with
    /// it, and `id` is not a server operator (who sees everyone).
    func isHidden(_ u: User, from id: Int) -> Bool {
        guard u.invisible, u.id != id, let asker = users[id], !asker.isOperator else { return false }
        return asker.channels.isDisjoint(with: u.channels)
    }
}
