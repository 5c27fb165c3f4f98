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
    /// `session` (as `nick`) tried OPER with the operator block `name`: how it went. The
    /// password is never recorded.
    case oper(session: Int, nick: String, name: String, outcome: OperOutcome)
    /// The server operator `by` killed `target`. `reason` is cleaned.
    case kill(by: Int, target: Int, targetNick: String, reason: String)
    /// `session` gave up its operator status (MODE nick -o).
    case deoper(session: Int, nick: String)

    /// How an OPER attempt ended.
    enum OperOutcome: Equatable {
        case granted
        case wrongPassword
        /// No operator block of that name for the user's address.
        case noBlock
        /// Too soon after a failed attempt, or too many checks under way.
        case throttled
        /// The password worker could not check it (gone, or the stored hash unreadable).
        case unavailable
    }
}
