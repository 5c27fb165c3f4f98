/// A channel: its members, topic and recent history, shared by the users who joined it.
final class Channel {
    let name: String
    let createdAt: Int64
    var members: [Int: Bool] = [:]  // session → is operator
    /// The members whose clients speak IRC: in a crowd (`ChatState.isQuiet`) only they get
    /// membership notices, and this spares a walk over everyone to find them.
    var ircMembers = Set<Int>()
    var topic = ""
    var topicBy = ""
    var topicAt: Int64 = 0
    /// Recent messages, already encoded as event frames, replayed to whoever joins.
    var history: [[UInt8]] = []
    var historyStart = 0

    init(name: String, createdAt: Int64) {
        self.name = name
        self.createdAt = createdAt
    }

    func remember(_ frame: [UInt8], limit: Int) {
        guard limit > 0 else { return }
        if history.count < limit {
            history.append(frame)
        } else {
            history[historyStart] = frame
            historyStart = (historyStart + 1) % limit
        }
    }

    /// History oldest first.
    var orderedHistory: [[UInt8]] { Array(history[historyStart...] + history[..<historyStart]) }
}
