import ChatProtocol

// IRCv3 CHATHISTORY (https://ircv3.net/specs/extensions/chathistory) over the lines a channel
// keeps (`Channel.history`, the frames JOIN replays): the lines a query selects, sent as they
// were first sent (their time and msgid are in the frames) between two `historyBatch` events
// that the session renders as `BATCH +ref chathistory` / `BATCH -ref`. A nick is a target when
// private messages are stored (`--history-private`, ChatState+PrivateHistory.swift).
extension ChatState {
    /// A kept line's time and message number, read from its frame.
    struct HistoryStamp: Equatable {
        var time: Int64
        var id: UInt64
    }

    func chatHistory(_ id: Int, _ q: HistoryQuery) {
        if q.subcommand == .targets { return historyTargets(id, q) }
        if q.target.utf8.first != UInt8(ascii: "#") { return privateHistory(id, q) }
        // Not a member (a secret or invite-only channel included): as if it did not exist.
        guard let ch = channels[fold(q.target)], ch.members[id] != nil else {
            return send(.historyRefused(subcommand: q.subcommand.name, target: shown(name: q.target)), to: id)
        }
        send(.historyBatch(target: ch.name, isEnd: false), to: id)
        if let historyStorage {
            // On disk, the lines the query can reach; the same selection over them.
            let limit = min(max(0, q.limit), HistoryQuery.maxLimit)
            let lines = historyStorage.window(channel: fold(ch.name), around: [q.first, q.second], limit: limit)
            charge(work: lines.count)
            for line in lines[Self.select(lines.map(\.stamp), q)] { send(line.frame, to: id) }
        } else {
            let lines = ch.orderedHistory
            charge(work: lines.count)
            for f in lines[Self.select(lines.map(Self.stamp(of:)), q)] { send(f, to: id) }
        }
        send(.historyBatch(target: ch.name, isEnd: true), to: id)
    }

    /// The time and number of the message event `frame` holds (zeros if it holds none).
    static func stamp(of frame: [UInt8]) -> HistoryStamp {
        frame.withUnsafeBytes { raw in
            guard raw.count >= HubFrame.headerSize,
                  let m = MessageView(payload: UnsafeRawBufferPointer(rebasing: raw[HubFrame.headerSize...])) else {
                return HistoryStamp(time: 0, id: 0)
            }
            return HistoryStamp(time: m.time, id: m.id)
        }
    }

    /// Which of `lines` (oldest first) `q` selects, as the spec and Ergo do: references are
    /// exclusive (AROUND's centre aside), at most `q.limit` lines, those nearest the
    /// reference (LATEST and BEFORE: the newest; AFTER: the oldest; BETWEEN: those nearest
    /// its first reference, whichever way it points; AROUND: half before, the rest from the
    /// centre on). A msgid no kept line has selects nothing.
    static func select(_ lines: [HistoryStamp], _ q: HistoryQuery) -> Range<Int> {
        let n = lines.count, limit = min(max(0, q.limit), HistoryQuery.maxLimit)  // a hostile session sends any
        /// Where the lines after `r` begin (nil: a msgid not kept).
        func after(_ r: HistoryQuery.Reference) -> Int? {
            switch r {
            case .none: return 0
            case .messageID(let m): return lines.firstIndex { $0.id == m }.map { $0 + 1 }
            case .time(let t): return lines.firstIndex { $0.time > t } ?? n
            }
        }
        /// Where the lines before `r` end.
        func before(_ r: HistoryQuery.Reference) -> Int? {
            switch r {
            case .none: return n
            case .messageID(let m): return lines.firstIndex { $0.id == m }
            case .time(let t): return lines.firstIndex { $0.time >= t } ?? n
            }
        }
        func newest(_ r: Range<Int>) -> Range<Int> { max(r.lowerBound, r.upperBound - limit)..<r.upperBound }
        func oldest(_ r: Range<Int>) -> Range<Int> { r.lowerBound..<min(r.upperBound, r.lowerBound + limit) }
        switch q.subcommand {
        case .latest:
            guard let start = after(q.first) else { return 0..<0 }
            return newest(start..<n)
        case .before:
            guard let end = before(q.first) else { return 0..<0 }
            return newest(0..<end)
        case .after:
            guard let start = after(q.first) else { return 0..<0 }
            return oldest(start..<n)
        case .around:
            guard let centre = before(q.first) else { return 0..<0 }
            let start = max(0, centre - limit / 2)
            return start..<min(n, start + limit)
        case .between:
            guard let aAfter = after(q.first), let aBefore = before(q.first),
                  let bAfter = after(q.second), let bBefore = before(q.second) else { return 0..<0 }
            if aAfter <= bBefore { return oldest(aAfter..<bBefore) }
            return bAfter < aBefore ? newest(bAfter..<aBefore) : 0..<0
        case .targets:
            return 0..<0  // a list of targets, not lines (ChatState+HistoryTargets.swift)
        }
    }
}
