import ChatProtocol

/// Joining, leaving and looking at channels, and what users ask about each other (WHOIS,
/// AWAY, LIST).
extension ChatState {
    // MARK: Channels

    /// Each channel once, with the key in its place.
    func joinAll(_ id: Int, _ list: [String], keys: [String]) {
        var seen = Set<String>()
        for (i, c) in list.enumerated() where seen.insert(fold(c)).inserted {
            join(id, channel: c, key: i < keys.count ? keys[i] : nil)
        }
    }

    func join(_ id: Int, channel name: String, key keyGiven: String? = nil) {
        guard Names.isValidChannel(name, maxLength: settings.channelLength) else {
            return error(id, .noSuchChannel, [name], "No such channel")
        }
        let key = fold(name)
        if users[id]!.channels.contains(key) { return }
        if users[id]!.channels.count >= settings.maxChannelsPerUser {
            return error(id, .tooManyChannels, [name], "You have joined too many channels")
        }
        let ch: Channel
        if let existing = channels[key] {
            ch = existing
            guard admits(id, to: ch, key: keyGiven) else { return }
            ch.members[id] = false
        } else {
            ch = Channel(name: name, createdAt: clock() / 1000)
            ch.members[id] = true
            open(ch)
        }
        users[id]!.channels.insert(key)
        let human = users[id]!.dialect == .human
        if !human { ch.ircMembers.insert(id) }
        announceJoin(of: id, in: ch)
        if !ch.topic.isEmpty {
            send(.topic(channel: ch.name, text: ch.topic, setBy: ch.topicBy, setAt: ch.topicAt, isChange: false), to: id)
        }
        if human && isQuiet(ch) {
            send(.memberCount(channel: ch.name, count: ch.members.count), to: id)
        } else {
            sendNames(ch.name, ch, to: id)
        }
        for f in ch.orderedHistory { send(f, to: id) }
        if ch.registration != nil { grantStatus(id, in: ch) }
    }

    /// At most 1,000 members per event, and `chunkBytes` of them.
    func sendNames(_ name: String, _ ch: Channel?, to id: Int) {
        let secret = ch?.modes.flags.contains(.secret) ?? false
        sendChunked(ch.map(members(of:)) ?? [], rows: 1000, to: id, bytes: HubEvent.encodedSize) {
            .names(channel: name, members: Array($0), more: $1, isSecret: secret)
        }
    }

    /// Operators first, then by nick, case-insensitively. Each nick is lowercased once, not
    /// at every comparison: this runs for every IRC client that joins, over the whole channel.
    func members(of ch: Channel) -> [Member] {
        var keyed: [(key: String, member: Member)] = []
        keyed.reserveCapacity(ch.members.count)
        charge(work: ch.members.count)
        for (id, op) in ch.members {
            guard let u = users[id] else { continue }
            let voiced = !ch.voiced.isEmpty && ch.voiced.contains(id)
            keyed.append(((op ? "0" : voiced ? "1" : "2") + u.nick.lowercased(),
                          Member(nick: u.nick, isOperator: op, isVoiced: voiced, source: u.source)))
        }
        keyed.sort { $0.key < $1.key }
        return keyed.map(\.member)
    }

    func leave(channelKey key: String, session id: Int) {
        guard let ch = channels[key] else { return }
        ch.members[id] = nil
        ch.ircMembers.remove(id)
        ch.voiced.remove(id)
        users[id]?.channels.remove(key)
        closeIfEmpty(ch)
    }

    /// The channel `name` if `id` is a member; otherwise sends the error and returns nil.
    func memberChannel(_ id: Int, _ name: String) -> Channel? {
        guard let ch = channels[fold(name)] else {
            error(id, .noSuchChannel, [name], "No such channel")
            return nil
        }
        guard ch.members[id] != nil else {
            error(id, .notOnChannel, [ch.name], "You're not on that channel")
            return nil
        }
        return ch
    }

    func part(_ id: Int, channel name: String, reason: String) {
        guard let ch = memberChannel(id, name) else { return }
        let frame = HubEvent.part(channel: ch.name, source: users[id]!.source, reason: reason).frame()
        announce(frame, in: ch, about: id)
        leave(channelKey: fold(name), session: id)
    }

    func topic(_ id: Int, channel name: String, text: String?) {
        guard let text else {
            guard let ch = channels[fold(name)] else { return error(id, .noSuchChannel, [name], "No such channel") }
            send(.topic(channel: ch.name, text: ch.topic, setBy: ch.topicBy, setAt: ch.topicAt, isChange: false), to: id)
            return
        }
        guard let ch = memberChannel(id, name) else { return }
        if ch.modes.flags.contains(.topicLock) && ch.members[id] != true {
            return error(id, .chanOpPrivsNeeded, [ch.name], "You're not channel operator")
        }
        setTopic(ch, text: text, by: users[id]!.nick)
    }

    /// Sets a channel's topic and tells its members (also used by the operator console).
    func setTopic(_ ch: Channel, text: String, by: String) {
        ch.topic = clean(text, limit: settings.topicLength)
        ch.topicBy = by
        ch.topicAt = clock() / 1000
        if ch.registration != nil { keep(ch, .row) }
        let source = users.values.first { $0.nick == by }?.source ?? by
        let frame = HubEvent.topic(channel: ch.name, text: ch.topic, setBy: source, setAt: ch.topicAt, isChange: true).frame()
        broadcast(frame, in: ch)
    }

    func names(_ id: Int, channel name: String?) {
        if let name {
            // A secret channel's members are hidden from outsiders: an empty list, as for a
            // channel that does not exist.
            let ch = channels[fold(name)].flatMap { isHidden($0, from: id) ? nil : $0 }
            sendNames(ch?.name ?? shown(name: name), ch, to: id)
        } else if users[id]!.channels.isEmpty {
            // In no channel: an empty list, so that IRC clients get `366 nick * :End of /NAMES list.`
            sendNames("*", nil, to: id)
        } else {
            for key in users[id]!.channels.sorted() {
                if let ch = channels[key] { sendNames(ch.name, ch, to: id) }
            }
        }
    }

    func whois(_ id: Int, nick: String) {
        guard let sid = session(named: nick), let u = users[sid] else {
            return send(.whoisMissing(nick: shown(name: nick)), to: id)
        }
        charge(work: u.channels.count)
        let chans = u.channels.compactMap { key -> String? in
            guard let ch = channels[key], !isHidden(ch, from: id) else { return nil }
            return (ch.members[sid] == true ? "@" : ch.voiced.contains(sid) ? "+" : "") + ch.name
        }.sorted()
        let now = clock()
        send(.whois(WhoisInfo(nick: u.nick, user: u.user, host: u.host, realName: u.realName, channels: chans,
                              idleSeconds: (now - u.lastActive) / 1000, signonTime: u.connectedAt / 1000,
                              away: u.away, isServerOperator: u.isOperator, account: u.account)), to: id)
    }

    func kick(_ id: Int, channel name: String, nick: String, reason: String) {
        guard let ch = memberChannel(id, name) else { return }
        guard ch.members[id] == true else {
            return error(id, .chanOpPrivsNeeded, [ch.name], "You're not channel operator")
        }
        guard let target = session(named: nick), ch.members[target] != nil else {
            return error(id, .userNotInChannel, [nick, ch.name], "They aren't on that channel")
        }
        let why = reason.isEmpty ? users[id]!.nick : reason
        let frame = HubEvent.kick(channel: ch.name, source: users[id]!.source, nick: users[target]!.nick, reason: why).frame()
        broadcast(frame, in: ch)
        sink.audit(.kick(by: id, channel: ch.name, target: target, targetNick: users[target]!.nick, reason: why))
        leave(channelKey: fold(ch.name), session: target)
    }

    func away(_ id: Int, text: String?) {
        users[id]!.away = (text?.isEmpty ?? true) ? nil : text
        send(.awayStatus(isAway: users[id]!.away != nil), to: id)
        notifyAway(of: id)
    }

    func list(_ id: Int, filters: [String]) {
        charge(work: channels.count)
        let rows = listedChannels(filters, for: id).sorted { $0.name < $1.name }
            .map { ChannelSummary(name: $0.name, users: $0.members.count, topic: $0.topic) }
        sendChunked(rows, rows: 100, to: id, bytes: HubEvent.encodedSize) { .list(Array($0), more: $1) }
    }
}
