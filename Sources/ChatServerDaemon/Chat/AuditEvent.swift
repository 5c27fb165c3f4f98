import ChatProtocol

/// What the operator's audit log records of the chat, as the chat state decides it: who came
/// (and in which dialect), which nicks they took, who left and why, who was kicked. Rare
/// events only: nothing on a message's path. The hub adds each connection's address.
enum AuditEvent: Equatable {
    /// The session chose its dialect: the connection's first line in the log.
    case connected(session: Int, dialect: Dialect)
    /// A nick taken at registration (`old` nil) or changed.
    case nick(session: Int, old: String?, new: String)
    /// The session left; `nick` nil if it never registered. `reason` is cleaned.
    case quit(session: Int, nick: String?, reason: String)
    /// `by` kicked `target` out of `channel`. `reason` is cleaned.
    case kick(by: Int, channel: String, target: Int, targetNick: String, reason: String)
}
