import ChatProtocol

// IRCv3 `CHATHISTORY TARGETS <timestamp> <timestamp> <limit>` (issue 16): the channels the
// user is in and, when private messages are stored (`--history-private`), the people they
// talked with, whose latest line falls strictly between the two times, oldest latest line
// first, at most `limit` (from the earlier time on), as Ergo answers it.
extension ChatState {
    func historyTargets(_ id: Int, _ q: HistoryQuery) {
        guard let me = users[id], case .time(let a) = q.first, case .time(let b) = q.second else {
            return send(.historyTargets([]), to: id)
        }
        let low = min(a, b), high = max(a, b)
        let limit = min(max(0, q.limit), HistoryQuery.maxLimit)  // a hostile session sends any
        var found: [HistoryTarget] = []
        for folded in me.channels {
            guard let ch = channels[folded], let time = latestLineTime(of: ch), time > low, time < high else { continue }
            found.append(HistoryTarget(name: ch.name, time: time))
        }
        if settings.historyPrivate, let historyStorage {
            found += historyStorage.conversations(party: partyKey(me), after: low, before: high, limit: limit)
        }
        charge(work: found.count)
        found.sort { ($0.time, $0.name) < ($1.time, $1.name) }
        send(.historyTargets(Array(found.prefix(limit))), to: id)
    }

    /// When the newest kept line of `ch` was said: in the store when there is one, else in
    /// the hub's memory; nil when it has none.
    func latestLineTime(of ch: Channel) -> Int64? {
        if let historyStorage { return historyStorage.recent(channel: fold(ch.name), limit: 1).last?.time }
        guard !ch.history.isEmpty else { return nil }
        let time = Self.stamp(of: ch.history[(ch.historyStart + ch.history.count - 1) % ch.history.count]).time
        return time > 0 ? time : nil
    }
}
