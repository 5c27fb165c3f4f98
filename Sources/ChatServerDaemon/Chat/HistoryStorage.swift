import ChatProtocol

/// Where channel lines are kept beyond the hub's memory and its restarts (the state store,
/// under `--state-dir`): written as they are said, read when a channel comes back to life and
/// for CHATHISTORY. The chat state does no I/O; a line the store fails to keep is the store's
/// to report (nobody's message is refused for it).
protocol HistoryStorage: AnyObject {
    /// Keeps `line` of the channel `folded` (committed with the loop turn's other writes);
    /// lines older than `retention` milliseconds before it go, a bounded number at a time.
    func append(_ line: StoredLine, channel folded: String, retention: Int64)
    /// The newest `limit` lines of `folded`, oldest first.
    func recent(channel folded: String, limit: Int) -> [StoredLine]
    /// Every line a CHATHISTORY query on `folded` with these references and `limit` can
    /// select, oldest first, each once: the newest `limit`, and `limit` on each side of each
    /// reference (a message reference's own line included; `*`: the oldest `limit`).
    func window(channel folded: String, around references: [HistoryQuery.Reference], limit: Int) -> [StoredLine]
    /// Notes that `party` (a `ChatState.partyKey`) had a private line with `peer` at `time`,
    /// shown as `name` (the peer's account or nick): what CHATHISTORY TARGETS lists.
    func noteConversation(party: String, peer: String, name: String, time: Int64)
    /// The people `party` talked with whose latest line is strictly between `after` and
    /// `before`, oldest first, at most `limit`.
    func conversations(party: String, after: Int64, before: Int64, limit: Int) -> [HistoryTarget]
}
