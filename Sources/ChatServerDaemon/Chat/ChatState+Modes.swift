import ChatProtocol

/// Channel modes: MODE on a channel (queries, changes, lists), and what the modes decide
/// elsewhere: who may join (`admits`), who may speak (`speechRefusal`), who sees a secret
/// channel (`isHidden`). The modes themselves are a `ChannelModes` value on each channel.
extension ChatState {
    func mode(_ id: Int, target: String, args: [String]) {
        guard let ch = channels[fold(target)] else {
            if session(named: target) != nil { return error(id, .usersDontMatch, [], "Can't change mode for other users") }
            if target.hasPrefix("#") { return error(id, .noSuchChannel, [target], "No such channel") }
            return error(id, .noSuchNick, [target], "No such nick/channel")
        }
        guard let modes = args.first else {
            let member = ch.members[id] != nil
            return send(.channelModes(channel: ch.name, modes: ch.modes.summary(showKey: member), createdAt: ch.createdAt), to: id)
        }
        changeModes(id, ch, ChannelModeChange.parse(modes, Array(args.dropFirst())))
    }

    /// Applies an operator's changes in order and announces those that changed something
    /// in one MODE line; answers list queries; refuses, each once, unknown letters (472) and
    /// a non-operator's changes (482). At most `ChatSettings.modesPerLine` changes with a
    /// parameter are looked at; the rest of the line is ignored, as ISUPPORT MODES says.
    private func changeModes(_ id: Int, _ ch: Channel, _ changes: [ChannelModeChange]) {
        let isOp = ch.members[id] == true
        var applied: [ChannelModeChange] = []
        var refused = false, unknown = Set<Character>(), listed = Set<Character>()
        var withParameter = 0
        for c in changes {
            let known = ChannelModes.Flags(letter: c.letter) != nil || ChannelModeChange.takesParameter(c.letter, adding: true)
            guard known else {
                if unknown.insert(c.letter).inserted { error(id, .unknownMode, [String(c.letter)], "is unknown mode char to me") }
                continue
            }
            if ChannelModeChange.listLetters.contains(c.letter) && c.parameter == nil {
                // A list without a mask is a query of the list, which anyone may make.
                if listed.insert(c.letter).inserted {
                    send(.modeList(channel: ch.name, mode: String(c.letter), entries: ch.modes.list(c.letter)), to: id)
                }
                continue
            }
            guard isOp else {
                if !refused { error(id, .chanOpPrivsNeeded, [ch.name], "You're not channel operator") }
                refused = true
                continue
            }
            if c.parameter != nil {
                withParameter += 1
                if withParameter > ChatSettings.modesPerLine { continue }
            }
            if let done = apply(c, to: ch, by: id) { applied.append(done) }
        }
        guard !applied.isEmpty else { return }
        if ch.registration != nil { keepModes(ch, applied) }
        let (modes, args) = ChannelModeChange.format(applied)
        broadcast(HubEvent.channelModeChange(channel: ch.name, source: users[id]!.source, modes: modes, args: args).frame(), in: ch)
    }

    /// One operator's change to `ch`: the change as announced, nil when it changed nothing
    /// or was refused (and the refusal sent).
    private func apply(_ c: ChannelModeChange, to ch: Channel, by id: Int) -> ChannelModeChange? {
        if let flag = ChannelModes.Flags(letter: c.letter) {
            if ch.modes.flags.contains(flag) == c.adding { return nil }
            if c.adding { ch.modes.flags.insert(flag) } else { ch.modes.flags.remove(flag) }
            return ChannelModeChange(adding: c.adding, letter: c.letter)
        }
        switch c.letter {
        case "o", "v":
            // Without its nick the mode is ignored, as servers do for parameter modes.
            guard let nick = c.parameter else { return nil }
            guard let sid = session(named: nick), let u = users[sid] else {
                error(id, .noSuchNick, [nick], "No such nick/channel")
                return nil
            }
            guard let isOp = ch.members[sid] else {
                error(id, .userNotInChannel, [u.nick, ch.name], "They aren't on that channel")
                return nil
            }
            if c.letter == "o" {
                if isOp == c.adding { return nil }
                ch.members[sid] = c.adding
            } else {
                if ch.voiced.contains(sid) == c.adding { return nil }
                if c.adding { ch.voiced.insert(sid) } else { ch.voiced.remove(sid) }
            }
            return ChannelModeChange(adding: c.adding, letter: c.letter, parameter: u.nick)
        case "k":
            guard c.adding else {
                guard ch.modes.key != nil else { return nil }
                ch.modes.key = nil
                return ChannelModeChange(adding: false, letter: "k", parameter: "*")
            }
            guard let key = c.parameter else { return nil }
            guard ChannelModes.isValidKey(key) else {
                error(id, .invalidModeParameter, [ch.name, "k", "*"],
                      "Invalid key: 1 to \(ChannelModes.keyLength) characters, no spaces or commas")
                return nil
            }
            if ch.modes.key == key { return nil }
            ch.modes.key = key
            return ChannelModeChange(adding: true, letter: "k", parameter: key)
        case "l":
            guard c.adding else {
                guard ch.modes.limit != nil else { return nil }
                ch.modes.limit = nil
                return ChannelModeChange(adding: false, letter: "l")
            }
            guard let text = c.parameter else { return nil }
            guard let limit = ChannelModes.parseLimit(text) else {
                error(id, .invalidModeParameter, [ch.name, "l", text.isEmpty ? "*" : text],
                      "Invalid limit: a number from 1 to \(ChannelModes.maxLimit)")
                return nil
            }
            if ch.modes.limit == limit { return nil }
            ch.modes.limit = limit
            return ChannelModeChange(adding: true, letter: "l", parameter: String(limit))
        default:  // b, e, I with a mask
            guard let given = c.parameter else { return nil }
            guard let mask = ChannelModes.normalizedMask(given) else {
                error(id, .invalidModeParameter, [ch.name, String(c.letter), "*"], "Invalid mask: nick!user@host")
                return nil
            }
            if !c.adding {
                guard let removed = ch.modes.remove(c.letter, mask: mask, casemapping: settings.casemapping) else { return nil }
                return ChannelModeChange(adding: false, letter: c.letter, parameter: removed)
            }
            switch ch.modes.add(c.letter, mask: mask, by: users[id]!.source, at: clock() / 1000, casemapping: settings.casemapping) {
            case .added(let m): return ChannelModeChange(adding: true, letter: c.letter, parameter: m)
            case .present: return nil
            case .full:
                error(id, .banListFull, [ch.name, mask], "Channel list is full (at most \(ChannelModes.listLimit))")
                return nil
            }
        }
    }

    /// Whether `id` may join `ch` with `key`; otherwise sends why (474, 473, 475, 471). An
    /// invitation lets them in past all four, once.
    func admits(_ id: Int, to ch: Channel, key: String?) -> Bool {
        let u = users[id]!
        if ch.registration?.frozen == true && !u.isOperator {
            error(id, .bannedFromChannel, [ch.name], Self.frozenRefusal)
            return false
        }
        let folded = fold(ch.name)
        if let i = u.invitations.firstIndex(of: folded) {
            users[id]!.invitations.remove(at: i)
            return true
        }
        let m = ch.modes
        if m.isBanned(u.source, casemapping: settings.casemapping) {
            error(id, .bannedFromChannel, [ch.name], "Cannot join channel (+b)")
            return false
        }
        if m.flags.contains(.inviteOnly) && !m.matches("I", u.source, casemapping: settings.casemapping) {
            error(id, .inviteOnlyChannel, [ch.name], "Cannot join channel (+i)")
            return false
        }
        if let k = m.key, k != key {
            error(id, .badChannelKey, [ch.name], "Cannot join channel (+k)")
            return false
        }
        if let limit = m.limit, ch.members.count >= limit {
            error(id, .channelIsFull, [ch.name], "Cannot join channel (+l)")
            return false
        }
        return true
    }

    /// Why `id` may not speak in `ch` (moderated and neither operator nor voiced; banned and
    /// not an operator or voiced), nil when they may. Asked only when `checksSpeech`.
    func speechRefusal(_ id: Int, in ch: Channel) -> String? {
        if ch.members[id] == true || ch.voiced.contains(id) { return nil }
        if ch.modes.flags.contains(.moderated) { return "Cannot send to channel (+m)" }
        if let u = users[id], ch.modes.isBanned(u.source, casemapping: settings.casemapping) {
            return "Cannot send to channel (banned)"
        }
        return nil
    }

    /// A secret channel is hidden from those not in it (LIST, NAMES, WHOIS).
    func isHidden(_ ch: Channel, from id: Int) -> Bool {
        ch.modes.flags.contains(.secret) && ch.members[id] == nil
    }
}
