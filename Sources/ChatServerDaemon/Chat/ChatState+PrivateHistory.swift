import ChatProtocol

// Private messages in the stored history (`--history-private`, issue 16): a PRIVMSG or NOTICE
// between two users is kept with the channel lines, under a key naming the conversation
// rather than a channel, and read back by CHATHISTORY with the other party's nick as target,
// as Ergo does. Each party is named in the key by its account when logged in, by its nick
// otherwise: only someone who is one of the two (logged in to that account, or on that nick)
// reads it.
extension ChatState {
    /// How one party of a conversation is named in its key: `a:` and the folded account when
    /// logged in, `n:` and the folded nick otherwise (neither holds a space).
    func partyKey(_ u: User) -> String {
        if let account = u.account { return "a:" + fold(account) }
        return "n:" + fold(u.nick)
    }

    /// The stored history's key of a conversation between two parties: never a channel's
    /// (those begin with `#`), the same whichever of the two speaks.
    static func conversationKey(_ a: String, _ b: String) -> String {
        a <= b ? "@" + a + " " + b : "@" + b + " " + a
    }

    /// Keeps a private line `u` sent to `peer`, if the operator asked for it and there is a
    /// store. CTCP queries stay out, as in channels (an ACTION arrives as its own kind).
    func keepPrivate(_ line: StoredLine, from u: User, to peer: User) {
        guard settings.historyPrivate, let historyStorage, line.text.utf8.first != CTCP.delimiter else { return }
        let (mine, theirs) = (partyKey(u), partyKey(peer))
        historyStorage.append(line, channel: Self.conversationKey(mine, theirs), retention: settings.historyRetention)
        historyStorage.noteConversation(party: mine, peer: theirs, name: peer.account ?? peer.nick, time: line.time)
        if mine != theirs { historyStorage.noteConversation(party: theirs, peer: mine, name: u.account ?? u.nick, time: line.time) }
    }

    /// CHATHISTORY with a nick as target: the asker's conversation with that nick, under each
    /// name the other party may have had in it (its nick, its account if it is online and
    /// logged in, the account of that name if one is registered). The asker is named as it
    /// is now, so that nobody reads a conversation they were not in.
    func privateHistory(_ id: Int, _ q: HistoryQuery) {
        guard settings.historyPrivate, let historyStorage, let me = users[id], Names.isValidNick(q.target, maxLength: 64) else {
            return send(.historyRefused(subcommand: q.subcommand.name, target: shown(name: q.target)), to: id)
        }
        var peers: Set<String> = ["n:" + fold(q.target)]
        if let sid = session(named: q.target), let account = users[sid]?.account { peers.insert("a:" + fold(account)) }
        if accounts[fold(q.target)] != nil { peers.insert("a:" + fold(q.target)) }
        let mine = partyKey(me)
        let limit = min(max(0, q.limit), HistoryQuery.maxLimit)
        var byID: [UInt64: StoredLine] = [:]
        for peer in peers.sorted() {
            for line in historyStorage.window(channel: Self.conversationKey(mine, peer), around: [q.first, q.second], limit: limit) {
                byID[line.id] = line
            }
        }
        let lines = byID.values.sorted { $0.id < $1.id }
        charge(work: lines.count)
        let shownTarget = session(named: q.target).flatMap { users[$0]?.nick } ?? shown(name: q.target)
        send(.historyBatch(target: shownTarget, isEnd: false), to: id)
        for line in lines[Self.select(lines.map(\.stamp), q)] { send(line.frame, to: id) }
        send(.historyBatch(target: shownTarget, isEnd: true), to: id)
    }
}
