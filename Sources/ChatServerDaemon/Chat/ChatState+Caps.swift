import ChatProtocol

// What the IRCv3 capabilities a session told the hub of (`PeerCapabilities`) change in what
// it sends: message ids, client-only tags and TAGMSG (message-tags), the sender's copy
// (echo-message), away changes (away-notify), JOIN with the real name (extended-join) and
// SETNAME (setname). A session without them gets exactly what it got before; the checks are
// one flag per recipient, and only on these paths.
extension ChatState {
    /// A new message number (IRCv3 `msgid`): the same for every recipient and the echo.
    func nextMessageID() -> UInt64 {
        lastMessageID &+= 1
        return lastMessageID
    }

    /// TAGMSG: `tags` alone to a channel's members or to a user, those with message-tags;
    /// the sender gets it back with echo-message. Nothing is sent without tags (what the hub
    /// did not accept of them was dropped).
    func tagMessage(_ id: Int, target: String, tags: String) {
        let u = users[id]!
        if target.isEmpty { return error(id, .noRecipient, [], "No recipient given (TAGMSG)") }
        if tags.isEmpty || u.mutedUntil > clock() { return }
        let now = clock()
        if target.utf8.first == UInt8(ascii: "#") {
            guard let ch = channels[fold(target)] else { return error(id, .noSuchNick, [target], "No such nick/channel") }
            guard ch.members[id] != nil else {
                return error(id, .cannotSendToChannel, [ch.name], "Cannot send to channel (no external messages)")
            }
            let frame = HubEvent.tagMessage(source: u.source, target: ch.name, tags: tags, time: now, id: nextMessageID(), account: u.account ?? "").frame()
            broadcast(frame, in: ch) { $0 != id && users[$0]?.caps.contains(.messageTags) == true }
            if u.caps.contains(.echoMessage) { send(frame, to: id) }
        } else {
            guard let sid = session(named: target), let peer = users[sid] else {
                return error(id, .noSuchNick, [target], "No such nick/channel")
            }
            let frame = HubEvent.tagMessage(source: u.source, target: peer.nick, tags: tags, time: now, id: nextMessageID(), account: u.account ?? "").frame()
            if peer.caps.contains(.messageTags) { send(frame, to: sid) }
            if u.caps.contains(.echoMessage) { send(frame, to: id) }
        }
    }

    /// SETNAME: the new real name (the session refused an empty or overlong one with FAIL),
    /// to the user itself and to the channel peers with setname.
    func setName(_ id: Int, realName: String) {
        guard !realName.isEmpty else { return }
        users[id]!.realName = realName
        let frame = HubEvent.setName(source: users[id]!.source, realName: realName).frame()
        send(frame, to: id)
        broadcast(frame) { recipients in
            for peer in peers(of: id) where users[peer]?.caps.contains(.setname) == true { recipients.append(peer) }
        }
    }

    /// A JOIN to the channel, as `announce` sends membership notices, but with the joiner's
    /// real name to those with extended-join; then, if the joiner is away, its AWAY to those
    /// with away-notify.
    func announceJoin(of id: Int, in ch: Channel) {
        let u = users[id]!
        var plain: [Int] = [], extended: [Int] = []
        func add(_ m: Int) {
            if users[m]?.caps.contains(.extendedJoin) == true { extended.append(m) } else { plain.append(m) }
        }
        if isQuiet(ch) {
            add(id)
            for m in ch.ircMembers where m != id { add(m) }
        } else {
            for m in ch.members.keys { add(m) }
        }
        if !plain.isEmpty {
            let frame = HubEvent.join(channel: ch.name, source: u.source, account: u.account ?? "").frame()
            broadcast(frame) { $0 += plain }
        }
        if !extended.isEmpty {
            let frame = HubEvent.extendedJoin(channel: ch.name, source: u.source, realName: u.realName, account: u.account ?? "").frame()
            broadcast(frame) { $0 += extended }
        }
        if let away = u.away {
            let frame = HubEvent.awayChange(source: u.source, text: away).frame()
            broadcast(frame) { recipients in
                for m in ch.ircMembers where m != id && users[m]?.caps.contains(.awayNotify) == true { recipients.append(m) }
            }
        }
    }

    /// The user's account (nil: logged out), as it just changed, to the channel peers with
    /// account-notify (IRCv3 `ACCOUNT`).
    func notifyAccount(of id: Int) {
        guard let u = users[id], u.registered else { return }
        let frame = HubEvent.accountChange(source: u.source, account: u.account ?? "").frame()
        broadcast(frame) { recipients in
            for peer in peers(of: id) where users[peer]?.caps.contains(.accountNotify) == true { recipients.append(peer) }
        }
    }

    /// The user's away state, as it just changed, to the channel peers with away-notify.
    func notifyAway(of id: Int) {
        let u = users[id]!
        let frame = HubEvent.awayChange(source: u.source, text: u.away).frame()
        broadcast(frame) { recipients in
            for peer in peers(of: id) where users[peer]?.caps.contains(.awayNotify) == true { recipients.append(peer) }
        }
    }
}
