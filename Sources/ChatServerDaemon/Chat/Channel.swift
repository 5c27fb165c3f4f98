/// A channel: its members, topic and recent history, shared by the users who joined it.
final class Channel {
    let name: String
    let createdAt: Int64
    var members: [Int: Bool] = [:]  // session → is operator
    /// The members with a voice (`+v`): they may speak when the channel is moderated.
    var voiced = Set<Int>()
    /// Flags, key, limit, ban and exception lists (`ChannelModes`).
    var modes = ChannelModes()
    /// The members whose clients speak IRC: in a crowd (`ChatState.isQuiet`) only they get
    /// membership notices, and this spares a walk over everyone to find them.
    var ircMembers = Set<Int>()
    var topic = ""
    var topicBy = ""
    var topicAt: Int64 = 0
    /// Set when the channel is registered (ChanServ): it then outlives its last member.
    var registration: ChannelRegistration?
    /// Recent messages, already encoded as event frames, replayed to whoever joins.
    private(set) var history: [[UInt8]] = []
    private(set) var historyStart = 0
    private(set) var historyBytes = 0
    /// Its number in the hub's `HistoryLedger`, and how many of its lines the ledger lists.
    var serial = 0
    var listed = 0

    init(name: String, createdAt: Int64) {
        self.name = name
        self.createdAt = createdAt
    }

    /// Keeps `frame`, at most `limit` lines; returns the bytes of the line it replaced, nil
    /// when it replaced none.
    @discardableResult
    func remember(_ frame: [UInt8], limit: Int) -> Int? {
        guard limit > 0 else { return nil }
        historyBytes += frame.count
        if history.count < limit {
            history.append(frame)
            return nil
        }
        let freed = history[historyStart].count
        history[historyStart] = frame
        historyStart = (historyStart + 1) % limit
        historyBytes -= freed
        return freed
    }

    /// Drops the oldest line (the hub's history is over its bound); returns its bytes.
    func dropOldest() -> Int {
        guard !history.isEmpty else { return 0 }
        // Oldest first again, so that the next line is appended after the newest.
        var lines = orderedHistory
        let freed = lines.removeFirst().count
        history = lines
        historyStart = 0
        historyBytes -= freed
        return freed
    }

    /// History oldest first.
    var orderedHistory: [[UInt8]] { Array(history[historyStart...] + history[..<historyStart]) }
}
