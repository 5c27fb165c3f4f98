import ChatProtocol

/// IRCv3 MONITOR (ircv3.net/specs/extensions/monitor): a session watches nicks and hears
/// when each comes online or goes (connects, quits, is renamed). Targets must be valid
/// nicks, not masks, so that nobody follows a person through nick changes.
extension ChatState {
    func monitor(_ id: Int, _ action: MonitorAction, targets: [String]) {
        switch action {
        case .add:
            var online: [String] = [], offline: [String] = []
            for (i, nick) in settings.casemapping.unique(targets).enumerated()
            where Names.isValidNick(nick, maxLength: settings.nickLength) {
                guard monitors.add(fold(nick), nick: nick, for: id) else {
                    let rest = settings.casemapping.unique(targets).dropFirst(i).map { shown(name: $0) }
                    send(.error(code: ErrorCode(rawValue: 734), params: [String(MonitorTable.limit), rest.joined(separator: ",")],
                                text: "Monitor list is full."), to: id)
                    break
                }
                if let sid = session(named: nick), let u = users[sid] { online.append(u.source) } else { offline.append(nick) }
            }
            if !online.isEmpty || !offline.isEmpty { send(.monitor(online: online, offline: offline), to: id) }
        case .remove:
            for nick in targets { monitors.remove(fold(nick), for: id) }
        case .clear:
            monitors.clear(id)
        case .list:
            send(.monitorList(targets: monitors.list(id)), to: id)
        case .status:
            var online: [String] = [], offline: [String] = []
            for nick in monitors.list(id) {
                if let sid = session(named: nick), let u = users[sid] { online.append(u.source) } else { offline.append(nick) }
            }
            send(.monitor(online: online, offline: offline), to: id)
        }
    }

    /// `id`'s nick came online (registered, or renamed to it): its watchers hear it.
    func announceOnline(_ id: Int) {
        guard let u = users[id] else { return }
        let watchers = monitors.watching(fold(u.nick))
        if watchers.isEmpty { return }
        let frame = HubEvent.monitor(online: [u.source], offline: []).frame()
        for w in watchers where w != id { sink.deliver(frame, to: w) }
    }

    /// The nick `nick` went offline (its user quit or was renamed): its watchers hear it.
    func announceOffline(_ nick: String, of id: Int) {
        let watchers = monitors.watching(fold(nick))
        if watchers.isEmpty { return }
        let frame = HubEvent.monitor(online: [], offline: [nick]).frame()
        for w in watchers where w != id { sink.deliver(frame, to: w) }
    }
}
