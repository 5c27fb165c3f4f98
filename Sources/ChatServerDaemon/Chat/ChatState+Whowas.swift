import ChatProtocol

/// WHOWAS: who had a nick before, from the bounded `WhowasHistory`.
extension ChatState {
    /// Keeps `u` (registered, about to quit or to change nick) in the history of its nick.
    func rememberWhowas(_ u: User) {
        guard u.registered else { return }
        let entry = WhowasEntry(nick: u.nick, user: u.user, host: u.host, realName: u.realName,
                                server: settings.serverName, leftAt: clock() / 1000)
        whowasHistory.remember(entry, key: fold(u.nick))
    }

    /// The last `count` users of `nick` (all kept when 0), newest first; the reply echoes the
    /// nick as it was asked.
    func whowas(_ id: Int, nick: String, count: Int) {
        let entries = whowasHistory.find(key: fold(nick), count: count)
        charge(work: entries.count)
        send(.whowas(nick: shown(name: nick), entries: entries), to: id)
    }
}
